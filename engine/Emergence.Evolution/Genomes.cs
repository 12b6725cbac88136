using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Evolution;

/// <summary>A real-vector genome's codec (the genome is a <c>double[]</c>).</summary>
public sealed class RealCodec : IGenomeCodec<double[]>
{
    /// <summary>The shared instance.</summary>
    public static readonly RealCodec Instance = new();

    /// <inheritdoc />
    public void Save(double[] genome, IStateWriter writer) => writer.WriteDoubles("values", genome);

    /// <inheritdoc />
    public double[] Load(IStateReader reader) => reader.ReadDoubles("values", out _);

    /// <inheritdoc />
    public double[] Clone(double[] genome) => (double[])genome.Clone();
}

/// <summary>An integer index set (e.g. which inputs a sparse genome reads): distinct indices in [0, universe).</summary>
public sealed class IndexCodec : IGenomeCodec<int[]>
{
    /// <summary>The shared instance.</summary>
    public static readonly IndexCodec Instance = new();

    /// <inheritdoc />
    public void Save(int[] genome, IStateWriter writer) => writer.WriteInt32s("indices", genome);

    /// <inheritdoc />
    public int[] Load(IStateReader reader) => reader.ReadInt32s("indices", out _);

    /// <inheritdoc />
    public int[] Clone(int[] genome) => (int[])genome.Clone();
}

/// <summary>A named gene with a range; <see cref="Log"/> genes are mutated in log space, <see cref="Integer"/> ones rounded.</summary>
public sealed record GeneSpec(string Name, double Min, double Max, bool Log = false, bool Integer = false)
{
    /// <summary>The value's position in [0, 1] (log space for log genes).</summary>
    public double Normalise(double value) => Log
        ? (Math.Log(value) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min))
        : (value - Min) / (Max - Min);

    /// <summary>The value at position <paramref name="u"/> (clamped to [0, 1], rounded for integer genes).</summary>
    public double Denormalise(double u)
    {
        u = Math.Clamp(u, 0, 1);
        double v = Log ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        // exp(log(max)) can land an ulp outside the range.
        return Math.Clamp(Integer ? Math.Round(v) : v, Min, Max);
    }

    /// <summary>A uniform draw in normalised space.</summary>
    public double Sample(RngStream rng) => Denormalise(rng.NextDouble());
}

/// <summary>Genomes of named genes (e.g. hyperparameters) as a value vector in the order of their specs.</summary>
public sealed class NamedGenes(IReadOnlyList<GeneSpec> specs)
{
    /// <summary>The genes, in genome order.</summary>
    public IReadOnlyList<GeneSpec> Specs { get; } = specs;

    /// <summary>A genome drawn uniformly in normalised space.</summary>
    public double[] Sample(RngStream rng) => Specs.Select(s => s.Sample(rng)).ToArray();

    /// <summary>Per-gene mutation in normalised space: each gene with probability <paramref name="rate"/> moves by N(0, scale²).</summary>
    public double[] Mutate(double[] genome, double rate, double scale, RngStream rng)
    {
        var child = (double[])genome.Clone();
        for (int i = 0; i < child.Length; i++)
            if (rng.NextDouble() < rate)
                child[i] = Specs[i].Denormalise(Specs[i].Normalise(child[i]) + scale * rng.NextNormal());
        return child;
    }

    /// <summary>Gene name → value.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary(double[] genome) =>
        Specs.Select((s, i) => (s.Name, genome[i])).ToDictionary(p => p.Name, p => p.Item2);
}
