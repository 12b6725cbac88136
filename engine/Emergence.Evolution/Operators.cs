using Emergence.Contracts.Random;

namespace Emergence.Evolution;

/// <summary>Chooses parents or survivors from a population ranked best first.</summary>
public interface ISelection
{
    /// <summary>Indices into <paramref name="rankedFitness"/> (best first) of <paramref name="count"/> picks.</summary>
    int[] Select(IReadOnlyList<double> rankedFitness, int count, RngStream rng);
}

/// <summary>Tournament of <paramref name="k"/> uniformly drawn contestants (with replacement); the best wins (ties: the better rank).</summary>
public sealed class TournamentSelection(int k) : ISelection
{
    /// <inheritdoc />
    public int[] Select(IReadOnlyList<double> rankedFitness, int count, RngStream rng)
    {
        var picks = new int[count];
        for (int p = 0; p < count; p++)
        {
            int best = rng.NextInt(rankedFitness.Count);
            for (int c = 1; c < k; c++) best = Math.Min(best, rng.NextInt(rankedFitness.Count)); // ranked: lower index = fitter
            picks[p] = best;
        }
        return picks;
    }
}

/// <summary>Truncation ("spartan" culling): uniform picks among the top <paramref name="fraction"/>.</summary>
public sealed class TruncationSelection(double fraction) : ISelection
{
    /// <inheritdoc />
    public int[] Select(IReadOnlyList<double> rankedFitness, int count, RngStream rng)
    {
        int top = Math.Max(1, (int)Math.Ceiling(fraction * rankedFitness.Count));
        return Enumerable.Range(0, count).Select(_ => rng.NextInt(top)).ToArray();
    }
}

/// <summary>How a tiered generation is made: percentages of the next population (they sum to at most 100).</summary>
/// <param name="Elite">Top individuals kept unchanged.</param>
/// <param name="Survive">Further individuals kept (drawn from the rest of the top half).</param>
/// <param name="Clones">Mutated copies of the top individuals.</param>
/// <param name="Random">Random immigrants ("aliens"); the remainder is filled with offspring.</param>
public sealed record TierPlan(double Elite, double Survive, double Clones, double Random)
{
    /// <summary>Counts for a population of <paramref name="size"/>: elite, survive, clone, random, offspring.</summary>
    public (int Elite, int Survive, int Clone, int Random, int Offspring) Counts(int size)
    {
        int e = (int)Math.Round(size * Elite / 100), s = (int)Math.Round(size * Survive / 100);
        int c = (int)Math.Round(size * Clones / 100), r = (int)Math.Round(size * Random / 100);
        if (e + s + c + r > size) throw new ArgumentException($"tiers add up to {e + s + c + r} of {size}");
        return (e, s, c, r, size - e - s - c - r);
    }
}

/// <summary>Crossover of two real vectors.</summary>
public static class Crossover
{
    /// <summary>Each gene from either parent with probability ½.</summary>
    public static double[] Uniform(double[] a, double[] b, RngStream rng)
    {
        var child = new double[a.Length];
        for (int i = 0; i < child.Length; i++) child[i] = rng.NextDouble() < 0.5 ? a[i] : b[i];
        return child;
    }

    /// <summary>Genes before a uniform cut point from <paramref name="a"/>, the rest from <paramref name="b"/>.</summary>
    public static double[] OnePoint(double[] a, double[] b, RngStream rng)
    {
        int cut = rng.NextInt(a.Length + 1);
        var child = new double[a.Length];
        for (int i = 0; i < child.Length; i++) child[i] = i < cut ? a[i] : b[i];
        return child;
    }

    /// <summary>BLX-α: each gene uniform in [min − α·d, max + α·d] of the parents' values (d = |a − b|).</summary>
    public static double[] Blend(double[] a, double[] b, double alpha, RngStream rng)
    {
        var child = new double[a.Length];
        for (int i = 0; i < child.Length; i++)
        {
            double lo = Math.Min(a[i], b[i]), hi = Math.Max(a[i], b[i]), d = hi - lo;
            child[i] = lo - alpha * d + rng.NextDouble() * (d + 2 * alpha * d);
        }
        return child;
    }
}

/// <summary>Mutation operators.</summary>
public static class Mutation
{
    /// <summary>Masked Gaussian: each gene with probability <paramref name="rate"/> gets N(0, scale²) added.</summary>
    public static double[] MaskedGaussian(double[] genome, double rate, double scale, RngStream rng)
    {
        var child = (double[])genome.Clone();
        for (int i = 0; i < child.Length; i++)
            if (rng.NextDouble() < rate) child[i] += scale * rng.NextNormal();
        return child;
    }

    /// <summary>Index swap: each index with probability <paramref name="rate"/> is replaced by a uniform index in [0, universe) not already in the set.</summary>
    public static int[] IndexSwap(int[] genome, int universe, double rate, RngStream rng)
    {
        var child = (int[])genome.Clone();
        if (universe <= child.Length) return child;
        var used = new HashSet<int>(child);
        for (int i = 0; i < child.Length; i++)
        {
            if (rng.NextDouble() >= rate) continue;
            int pick;
            do pick = rng.NextInt(universe); while (used.Contains(pick));
            used.Remove(child[i]);
            used.Add(pick);
            child[i] = pick;
        }
        return child;
    }
}

/// <summary>How fitness over several evaluation seeds becomes one number (higher is better).</summary>
public static class FitnessAggregation
{
    /// <summary>The mean score.</summary>
    public static double Mean(IReadOnlyList<double> scores) => scores.Average();

    /// <summary>mean + λ·std (λ &lt; 0 penalises variance).</summary>
    public static double MeanPlusLambdaStd(IReadOnlyList<double> scores, double lambda)
    {
        double mean = scores.Average();
        double std = scores.Count > 1 ? Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1)) : 0;
        return mean + lambda * std;
    }

    /// <summary>The worst score; a failed evaluation (NaN or infinite) counts as <paramref name="failurePenalty"/>.</summary>
    public static double WorstCase(IReadOnlyList<double> scores, double failurePenalty) =>
        scores.Select(s => double.IsFinite(s) ? s : failurePenalty).Min();
}

/// <summary>Evaluates genomes in parallel; each result depends only on its genome and its own stream, never on thread count or order.</summary>
public static class Evaluator
{
    /// <summary>
    /// Evaluates every member on <paramref name="seeds"/> (common random numbers), aggregates, and stores the fitness.
    /// </summary>
    public static void Evaluate<TGenome>(Population<TGenome> population, IReadOnlyList<ulong> seeds,
        Func<TGenome, RngStream, double> evaluate, Func<IReadOnlyList<double>, double> aggregate, int threads)
    {
        var members = population.Members;
        var fitness = new double[members.Count];
        Parallel.For(0, members.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            var scores = new double[seeds.Count];
            for (int r = 0; r < seeds.Count; r++) scores[r] = evaluate(members[i].Genome, new RngStream(seeds[r]));
            fitness[i] = aggregate(scores);
        });
        for (int i = 0; i < members.Count; i++) members[i].Fitness = fitness[i];
    }
}

/// <summary>
/// Simulated annealing (and hill climbing, at temperature 0) over any genome, one proposal per <see cref="Step"/>:
/// a better or equal candidate is always accepted, a worse one with probability exp(−Δ/T); T decays geometrically.
/// The state (current, best, temperature, counters) checkpoints through the caller's codec.
/// </summary>
public sealed class Annealer<TGenome>(TGenome start, double startFitness, double temperature, double decay)
{
    /// <summary>The current genome.</summary>
    public TGenome Current { get; private set; } = start;
    /// <summary>Its fitness.</summary>
    public double CurrentFitness { get; private set; } = startFitness;
    /// <summary>The best genome seen.</summary>
    public TGenome Best { get; private set; } = start;
    /// <summary>Its fitness.</summary>
    public double BestFitness { get; private set; } = startFitness;
    /// <summary>The current temperature (0 = hill climbing).</summary>
    public double Temperature { get; private set; } = temperature;
    /// <summary>Proposals made.</summary>
    public long Steps { get; private set; }
    /// <summary>Proposals accepted.</summary>
    public long Accepted { get; private set; }

    /// <summary>Proposes, evaluates and accepts or rejects one candidate; returns whether it was accepted.</summary>
    public bool Step(Func<TGenome, RngStream, TGenome> propose, Func<TGenome, double> evaluate, RngStream rng)
    {
        var candidate = propose(Current, rng);
        double f = evaluate(candidate);
        double delta = CurrentFitness - f; // > 0: worse
        bool accept = delta <= 0 || (Temperature > 0 && rng.NextDouble() < Math.Exp(-delta / Temperature));
        Steps++;
        Temperature *= decay;
        if (!accept) return false;
        Accepted++;
        (Current, CurrentFitness) = (candidate, f);
        if (f > BestFitness) (Best, BestFitness) = (candidate, f);
        return true;
    }

    /// <summary>Restores a saved state.</summary>
    public void Restore(TGenome current, double currentFitness, TGenome best, double bestFitness, double temperature, long steps, long accepted)
    {
        (Current, CurrentFitness, Best, BestFitness, Temperature, Steps, Accepted) = (current, currentFitness, best, bestFitness, temperature, steps, accepted);
    }
}
