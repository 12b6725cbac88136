using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Evolution;

/// <summary>A genome type's serialisation and copying (populations checkpoint through the engine's state writer).</summary>
/// <typeparam name="TGenome">The genome type.</typeparam>
public interface IGenomeCodec<TGenome>
{
    /// <summary>Writes one genome.</summary>
    void Save(TGenome genome, IStateWriter writer);

    /// <summary>Reads one genome written by <see cref="Save"/>.</summary>
    TGenome Load(IStateReader reader);

    /// <summary>An independent copy.</summary>
    TGenome Clone(TGenome genome);
}

/// <summary>One member of a population: identity, lineage, age and fitness.</summary>
/// <typeparam name="TGenome">The genome type.</typeparam>
public sealed class Individual<TGenome>(long id, TGenome genome, long birthGeneration, long[] parents)
{
    /// <summary>Unique within the population's history, assigned in creation order.</summary>
    public long Id { get; } = id;

    /// <summary>The genome.</summary>
    public TGenome Genome { get; set; } = genome;

    /// <summary>The generation it was created in.</summary>
    public long BirthGeneration { get; } = birthGeneration;

    /// <summary>Ids of its parents (none for a random or immigrant individual, one for a clone or mutant).</summary>
    public long[] Parents { get; } = parents;

    /// <summary>Generations survived.</summary>
    public int Age { get; set; }

    /// <summary>Fitness (higher is better); NaN until evaluated.</summary>
    public double Fitness { get; set; } = double.NaN;
}

/// <summary>
/// A population with ids, parents, ages and birth generations. Orderings are stable: by fitness (higher first), ties by
/// id (older first), so results never depend on a sort's tie behaviour. Checkpoints exactly through
/// <see cref="Save"/>/<see cref="Load"/>.
/// </summary>
/// <typeparam name="TGenome">The genome type.</typeparam>
public sealed class Population<TGenome>(IGenomeCodec<TGenome> codec)
{
    private long _nextId;

    /// <summary>The members, in insertion order.</summary>
    public List<Individual<TGenome>> Members { get; private set; } = [];

    /// <summary>The current generation (0 before the first).</summary>
    public long Generation { get; set; }

    /// <summary>The codec that saves and copies genomes.</summary>
    public IGenomeCodec<TGenome> Codec { get; } = codec;

    /// <summary>Creates an individual with the next id (not yet added).</summary>
    public Individual<TGenome> Create(TGenome genome, params long[] parents) => new(_nextId++, genome, Generation, parents);

    /// <summary>Members ranked best first: fitness descending (NaN last), ties by id.</summary>
    public List<Individual<TGenome>> Ranked() => Rank(Members);

    /// <summary>Ranks any list of individuals best first, stably.</summary>
    public static List<Individual<TGenome>> Rank(IEnumerable<Individual<TGenome>> individuals) =>
        individuals.OrderByDescending(i => double.IsNaN(i.Fitness) ? double.NegativeInfinity : i.Fitness).ThenBy(i => i.Id).ToList();

    /// <summary>Replaces the members with the next generation; survivors age by one, newborns keep age 0.</summary>
    public void Advance(IEnumerable<Individual<TGenome>> next)
    {
        var members = next.ToList();
        var previous = new HashSet<long>(Members.Select(m => m.Id));
        var seen = new HashSet<long>();
        foreach (var m in members)
        {
            if (!seen.Add(m.Id)) throw new InvalidOperationException($"individual {m.Id} appears twice in the next generation; clone it instead");
            // Survivors (members of the generation just ranked) age; individuals born while building this one start at 0.
            if (previous.Contains(m.Id)) m.Age++;
        }
        Members = members;
        Generation++;
    }

    /// <summary>Writes the generation, the id counter and every member.</summary>
    public void Save(IStateWriter writer)
    {
        writer.WriteInt64("generation", Generation);
        writer.WriteInt64("next_id", _nextId);
        writer.WriteInt64("count", Members.Count);
        for (int i = 0; i < Members.Count; i++)
        {
            var m = Members[i];
            var s = writer.Section(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.WriteInt64("id", m.Id);
            s.WriteInt64("birth", m.BirthGeneration);
            s.WriteInt64s("parents", m.Parents);
            s.WriteInt64("age", m.Age);
            s.WriteDouble("fitness", m.Fitness);
            Codec.Save(m.Genome, s.Section("genome"));
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Load(IStateReader reader)
    {
        Generation = reader.ReadInt64("generation");
        _nextId = reader.ReadInt64("next_id");
        long count = reader.ReadInt64("count");
        var members = new List<Individual<TGenome>>();
        for (int i = 0; i < count; i++)
        {
            var s = reader.Section(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            members.Add(new Individual<TGenome>(s.ReadInt64("id"), Codec.Load(s.Section("genome")), s.ReadInt64("birth"), s.ReadInt64s("parents", out _))
            {
                Age = (int)s.ReadInt64("age"), Fitness = s.ReadDouble("fitness"),
            });
        }
        Members = members;
    }
}

/// <summary>Per-individual random streams that do not depend on evaluation order or thread count.</summary>
public static class EvolutionRng
{
    /// <summary>The stream for evaluating individual <paramref name="id"/> in <paramref name="generation"/> (repetition <paramref name="repeat"/>).</summary>
    public static RngStream ForIndividual(ulong seed, long generation, long id, int repeat = 0) =>
        RngStream.Derive(seed, $"evaluate/{generation}/{id}/{repeat}");

    /// <summary>
    /// Common random numbers: the seeds every individual of a generation is evaluated on, so differences in fitness
    /// come from the genomes, not from luck.
    /// </summary>
    public static ulong[] CommonSeeds(ulong seed, long generation, int count)
    {
        var rng = RngStream.Derive(seed, $"common/{generation}");
        return Enumerable.Range(0, count).Select(_ => rng.NextUInt64()).ToArray();
    }
}
