using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Numerics;
using System.Runtime.Intrinsics;
using Emergence.Contracts.Components;
using Emergence.Contracts.Options;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Evolution;

namespace Emergence.Plugins.Genreg;

/// <summary>Options of strategies that have none.</summary>
public sealed class NoOptions;

// ---------------------------------------------------------------- fitness

/// <summary>The <c>fitness</c> slot: one evaluation → fitness (higher is better).</summary>
internal interface IFitness
{
    double Score(Genome genome, Evaluation e);
}

/// <summary>Options of <c>legacy_trust</c>.</summary>
public sealed class TrustFitnessOptions
{
    [Description("Multiplier per unit of trust. Live. Default 0.1.")]
    [Range(0.0, 10.0), LiveEditable]
    public double TrustScale { get; set; } = 0.10;

    [Description("Lowest multiplier. Live. Default 0.1.")]
    [Range(0.0, 10.0), LiveEditable]
    public double TrustFloor { get; set; } = 0.10;
}

/// <summary>
/// The original: −MSE × max(floor, 1 + scale·trust). Its sign is inverted (positive trust lowers fitness), so evolution
/// drives the multiplier to the floor (spec §9.5).
/// </summary>
internal sealed class LegacyTrustFitness(TrustFitnessOptions o) : IFitness
{
    double IFitness.Score(Genome genome, Evaluation e) => -e.Mse * Math.Max(o.TrustFloor, 1 + o.TrustScale * e.Trust);
}

/// <summary>Sign-corrected trust: −MSE × max(floor, 1 − scale·trust), so trust the cascade earns shrinks the penalty.</summary>
internal sealed class FixedTrustFitness(TrustFitnessOptions o) : IFitness
{
    double IFitness.Score(Genome genome, Evaluation e) => -e.Mse * Math.Max(o.TrustFloor, 1 - o.TrustScale * e.Trust);
}

/// <summary>Plain −MSE (what SA and HC optimise; the fixed GA).</summary>
internal sealed class MseFitness : IFitness
{
    double IFitness.Score(Genome genome, Evaluation e) => -e.Mse;
}

/// <summary>Options of <c>energy</c>.</summary>
public sealed class EnergyFitnessOptions
{
    [Description("λ: fitness = −MSE − λ·energy (energy over all parameters, biases included). Live. Default 0.001.")]
    [Range(0.0, 1e6), LiveEditable]
    public double Lambda { get; set; } = 0.001;
}

/// <summary>−MSE − λ·energy: pressure towards small weights and quiet units.</summary>
internal sealed class EnergyFitness(EnergyFitnessOptions o) : IFitness
{
    double IFitness.Score(Genome genome, Evaluation e) => -e.Mse - o.Lambda * Network.Energy(genome, e, includeBiases: true);
}

/// <summary>Options of <c>saturation</c>.</summary>
public sealed class SaturationFitnessOptions
{
    [Description("μ: fitness = −MSE + μ·k_ratio (μ > 0 rewards saturated units, μ < 0 penalises them). Live. Default 0.001.")]
    [Range(-1e6, 1e6), LiveEditable]
    public double Mu { get; set; } = 0.001;
}

/// <summary>−MSE ± μ·k/H: tests whether saturation is selected for or merely tolerated.</summary>
internal sealed class SaturationFitness(SaturationFitnessOptions o) : IFitness
{
    double IFitness.Score(Genome genome, Evaluation e) => -e.Mse + o.Mu * e.KMlp / (double)genome.H;
}

// ---------------------------------------------------------------- mutation

/// <summary>What a mutation may use.</summary>
/// <param name="Weights">The weight-mutation stream.</param>
/// <param name="Indices">The index-mutation stream.</param>
/// <param name="Generation">The generation (or proposal number for SA/HC).</param>
/// <param name="IndexUniverse">Sparse indices are drawn from 0..universe-1.</param>
internal readonly record struct MutationContext(RngStream Weights, RngStream Indices, long Generation, int IndexUniverse)
{
    /// <summary>A discarded genome the child may be written into instead of allocating one (any shape; ignored if it does not fit).</summary>
    public Genome? Spare { get; init; }
}

/// <summary>The <c>mutation</c> slot: a mutated copy of a genome (proteins are mutated separately, clones only).</summary>
internal interface IMutation
{
    Genome Mutate(Genome parent, in MutationContext c);

    /// <summary>Success feedback after a generation: the share of mutants that beat their parent (the 1/5 rule uses it).</summary>
    void Observe(double successRate) { }
}

/// <summary>Options of <c>gaussian</c>.</summary>
public sealed class GaussianMutationOptions
{
    [Description("Probability that each weight and bias gets noise. Live. Range 0..1. Default 0.1.")]
    [Range(0.0, 1.0), LiveEditable]
    public double Rate { get; set; } = 0.10;

    [Description("Standard deviation of the noise. Live. Range 0..2. Default 0.1.")]
    [Range(0.0, 2.0), LiveEditable]
    public double Scale { get; set; } = 0.10;

    [Description("Sparse genomes: per hidden unit, the probability that one of its indices moves to an unused input. Live. Range 0..1. Default 0.05.")]
    [Range(0.0, 1.0), LiveEditable]
    public double IndexSwapRate { get; set; } = 0.05;
}

/// <summary>The mutation operators of spec §3.</summary>
internal static class Mutations
{
    /// <summary>Every element of W1, b1, W2, b2 independently with probability rate gets N(0, scale²); then index swaps.</summary>
    public static Genome Gaussian(Genome parent, double rate, double scale, double indexRate, in MutationContext c)
    {
        var child = parent.CloneInto(c.Spare);
        MaskedGaussian(child.W1, rate, scale, c.Weights);
        MaskedGaussian(child.B1, rate, scale, c.Weights);
        MaskedGaussian(child.W2, rate, scale, c.Weights);
        MaskedGaussian(child.B2, rate, scale, c.Weights);
        if (child.Sparse) SwapIndices(child, indexRate, c.Indices, c.IndexUniverse);
        return child;
    }

    /// <summary>
    /// Each element independently with probability <paramref name="rate"/> gets N(0, scale²). Which elements mutate comes from
    /// a SplitMix64 sequence seeded by one draw of <paramref name="rng"/> (element i reads output i + 1, eight elements per vector
    /// step, an element mutating when its 64-bit output is below rate·2⁶⁴); the noise values then come from
    /// <paramref name="rng"/> in element order. One stream draw per tensor decides the mask, so masks cost no sequential draws.
    /// </summary>
    public static void MaskedGaussian(double[] t, double rate, double scale, RngStream rng)
    {
        if (rate <= 0) return;
        if (rate >= 1)
        {
            for (int i = 0; i < t.Length; i++) t[i] += scale * Ziggurat.Normal(rng);
            return;
        }
        ulong seed = rng.NextUInt64();
        ulong threshold = (ulong)(rate * 18446744073709551616.0); // rate < 1, so below 2⁶⁴
        int n = t.Length, i0 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var limit = Vector512.Create(threshold);
            var step = Vector512.Create(unchecked(8 * SplitMix.Gamma));
            var state = Vector512.Create(seed) + Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8) * Vector512.Create(SplitMix.Gamma);
            // 64 elements per mask word, so the data-dependent loop exit comes once per 64 elements, not per vector.
            for (; i0 + 64 <= n; i0 += 64)
            {
                ulong hits = 0;
                for (int v = 0; v < 8; v++, state += step) hits |= Vector512.LessThan(SplitMix.Mix(state), limit).ExtractMostSignificantBits() << (8 * v);
                for (; hits != 0; hits &= hits - 1) t[i0 + BitOperations.TrailingZeroCount(hits)] += scale * Ziggurat.Normal(rng);
            }
        }
        for (int i = i0; i < n; i++)
            if (SplitMix.Mix(seed + (ulong)(i + 1) * SplitMix.Gamma) < threshold) t[i] += scale * Ziggurat.Normal(rng);
    }

    /// <summary>Per hidden unit with probability <paramref name="rate"/>: one slot (uniform) takes a uniform input the unit does not read yet.</summary>
    public static void SwapIndices(Genome g, double rate, RngStream rng, int universe)
    {
        int k = g.K;
        if (universe <= k) return;
        for (int j = 0; j < g.H; j++)
        {
            if (rng.NextDouble() >= rate) continue;
            int slot = rng.NextInt(k);
            var own = g.Idx.AsSpan(j * k, k);
            int pick;
            // Uniform over {0..universe-1} minus the unit's current indices: draw the r-th free value.
            int free = universe - k, r = rng.NextInt(free);
            Span<int> sorted = own.ToArray();
            sorted.Sort();
            pick = r;
            foreach (int used in sorted) if (used <= pick) pick++;
            own[slot] = pick;
        }
    }
}

/// <summary>Masked Gaussian with a fixed rate and scale (the original).</summary>
internal sealed class GaussianMutation(GaussianMutationOptions o) : IMutation
{
    Genome IMutation.Mutate(Genome parent, in MutationContext c) => Mutations.Gaussian(parent, o.Rate, o.Scale, o.IndexSwapRate, c);
}

/// <summary>Options of <c>annealed</c>.</summary>
public sealed class AnnealedMutationOptions
{
    [Description("Probability that each weight gets noise. Live. Range 0..1. Default 0.1.")]
    [Range(0.0, 1.0), LiveEditable]
    public double Rate { get; set; } = 0.10;

    [Description("Initial standard deviation. Live. Range 0..2. Default 0.1.")]
    [Range(0.0, 2.0), LiveEditable]
    public double Scale { get; set; } = 0.10;

    [Description("Smallest standard deviation. Live. Default 0.005.")]
    [Range(0.0, 2.0), LiveEditable]
    public double MinScale { get; set; } = 0.005;

    [Description("Generations (or proposals) over which the scale halves. Live. Range 1..1e9. Default 200.")]
    [Range(1.0, 1e9), LiveEditable]
    public double HalfLife { get; set; } = 200;

    [Description("Sparse index swap probability per hidden unit. Live. Default 0.05.")]
    [Range(0.0, 1.0), LiveEditable]
    public double IndexSwapRate { get; set; } = 0.05;
}

/// <summary>Masked Gaussian whose scale halves every half_life generations, down to min_scale.</summary>
internal sealed class AnnealedMutation(AnnealedMutationOptions o) : IMutation
{
    Genome IMutation.Mutate(Genome parent, in MutationContext c) =>
        Mutations.Gaussian(parent, o.Rate, Math.Max(o.MinScale, o.Scale * Math.Pow(0.5, c.Generation / o.HalfLife)), o.IndexSwapRate, c);
}

/// <summary>Options of <c>one_fifth</c>.</summary>
public sealed class OneFifthOptions
{
    [Description("Probability that each weight gets noise. Live. Default 0.1.")]
    [Range(0.0, 1.0), LiveEditable]
    public double Rate { get; set; } = 0.10;

    [Description("Initial standard deviation. Default 0.1.")]
    [Range(1e-9, 2.0)]
    public double Scale { get; set; } = 0.10;

    [Description("Factor applied per generation: scale / factor when more than 1/5 of mutants improve, scale · factor otherwise. Live. Range 0.5..1. Default 0.85.")]
    [Range(0.5, 1.0), LiveEditable]
    public double Factor { get; set; } = 0.85;

    [Description("Sparse index swap probability per hidden unit. Live. Default 0.05.")]
    [Range(0.0, 1.0), LiveEditable]
    public double IndexSwapRate { get; set; } = 0.05;
}

/// <summary>Rechenberg's 1/5 success rule on the scale; its scale is checkpointed.</summary>
internal sealed class OneFifthMutation(OneFifthOptions o) : IMutation, IStateful
{
    public double Scale { get; private set; } = o.Scale;

    Genome IMutation.Mutate(Genome parent, in MutationContext c) => Mutations.Gaussian(parent, o.Rate, Scale, o.IndexSwapRate, c);

    void IMutation.Observe(double successRate) => Scale = Math.Clamp(successRate > 0.2 ? Scale / o.Factor : Scale * o.Factor, 1e-6, 2.0);

    public void Save(IStateWriter writer) => writer.WriteDouble("scale", Scale);
    public void Load(IStateReader reader) => Scale = reader.ReadDouble("scale");
}

// ---------------------------------------------------------------- selection

/// <summary>What a selection strategy builds the next generation from.</summary>
/// <param name="Population">The population (creates individuals with ids and parents).</param>
/// <param name="Ranked">Members best first (stable: fitness, then id).</param>
/// <param name="Mutant">A mutated clone (proteins mutated too) of a parent, as a new individual.</param>
/// <param name="Random">A fresh random individual (an immigrant).</param>
/// <param name="Evaluate">Evaluates new individuals now (for schemes that select among offspring).</param>
/// <param name="Rng">The selection stream.</param>
internal readonly record struct SelectionInput(
    Population<Genome> Population, List<Individual<Genome>> Ranked,
    Func<Individual<Genome>, Individual<Genome>> Mutant, Func<Individual<Genome>> Random,
    Action<IReadOnlyList<Individual<Genome>>> Evaluate, RngStream Rng);

/// <summary>The <c>selection</c> slot (named for the manifest): builds the next generation from a ranked, evaluated population.</summary>
internal interface IGenerationScheme
{
    List<Individual<Genome>> Next(in SelectionInput input);
}

/// <summary>Options of <c>tiered</c>.</summary>
public sealed class TieredOptions : IValidatableOptions
{
    [Description("Top share kept unchanged and cloned. Live. Default 0.2.")]
    [Range(0.0, 1.0), LiveEditable]
    public double ElitePct { get; set; } = 0.20;

    [Description("Next share kept unchanged. Live. Default 0.3.")]
    [Range(0.0, 1.0), LiveEditable]
    public double SurvivePct { get; set; } = 0.30;

    [Description("Share of mutated clones: child i copies elite i mod n_elite. Live. Default 0.4.")]
    [Range(0.0, 1.0), LiveEditable]
    public double ClonePct { get; set; } = 0.40;

    [Description("Informational: random immigrants fill the remainder, P − ⌊eP⌋ − ⌊sP⌋ − ⌊cP⌋. Default 0.1.")]
    [Range(0.0, 1.0)]
    public double RandomPct { get; set; } = 0.10;

    public void Validate(OptionErrors errors)
    {
        if (ElitePct + SurvivePct + ClonePct > 1 + 1e-9)
            errors.Add("clone_pct", $"elite_pct + survive_pct + clone_pct = {ElitePct + SurvivePct + ClonePct} exceeds 1", "lower one of them");
    }
}

/// <summary>
/// The original's tiers (spec §3 evolve()): n_e = ⌊0.2P⌋ elites and n_s = ⌊0.3P⌋ survivors pass unchanged; n_c = ⌊0.4P⌋
/// children, child i a mutated clone of rank i mod n_e; the rest are fresh random genomes. No crossover.
/// </summary>
internal sealed class TieredSelection(TieredOptions o) : IGenerationScheme
{
    List<Individual<Genome>> IGenerationScheme.Next(in SelectionInput s)
    {
        int p = s.Ranked.Count;
        int ne = Math.Max(1, (int)Math.Floor(o.ElitePct * p)), ns = (int)Math.Floor(o.SurvivePct * p), nc = (int)Math.Floor(o.ClonePct * p);
        ns = Math.Min(ns, p - ne);
        nc = Math.Min(nc, p - ne - ns);
        var next = new List<Individual<Genome>>(p);
        next.AddRange(s.Ranked.Take(ne + ns));
        for (int i = 0; i < nc; i++) next.Add(s.Mutant(s.Ranked[i % ne]));
        while (next.Count < p) next.Add(s.Random());
        return next;
    }
}

/// <summary>Options of <c>tournament</c>.</summary>
public sealed class TournamentOptions
{
    [Description("Contestants per tournament. Live. Range 1..100. Default 3.")]
    [Range(1, 100), LiveEditable]
    public int K { get; set; } = 3;

    [Description("Best individuals kept unchanged. Live. Range 0..1000. Default 2.")]
    [Range(0, 1000), LiveEditable]
    public int Elites { get; set; } = 2;

    [Description("Elites retire at this age (senescence). 0 = never. Live. Default 0.")]
    [Range(0, 1_000_000), LiveEditable]
    public int MaxAge { get; set; }

    [Description("Random immigrants per generation. Live. Range 0..1000. Default 0.")]
    [Range(0, 1000), LiveEditable]
    public int Immigrants { get; set; }
}

/// <summary>Elites (optionally with senescence), random immigrants, and mutants of tournament winners for the rest.</summary>
internal sealed class TournamentGeneration(TournamentOptions o) : IGenerationScheme
{
    List<Individual<Genome>> IGenerationScheme.Next(in SelectionInput s)
    {
        int p = s.Ranked.Count;
        var next = new List<Individual<Genome>>(p);
        var elites = o.MaxAge > 0 ? Generations.Elites(s.Population, o.Elites, o.MaxAge) : s.Ranked.Take(o.Elites).ToList();
        next.AddRange(elites.Take(p));
        var fitness = s.Ranked.Select(i => i.Fitness).ToList();
        int immigrants = Math.Min(o.Immigrants, p - next.Count);
        var winners = new Emergence.Evolution.TournamentSelection(o.K).Select(fitness, p - next.Count - immigrants, s.Rng);
        foreach (int w in winners) next.Add(s.Mutant(s.Ranked[w]));
        var random = s.Random;
        next.AddRange(Generations.Immigrants(s.Population, immigrants, _ => random().Genome, s.Rng));
        return next;
    }
}

/// <summary>Options of <c>truncation</c>.</summary>
public sealed class TruncationOptions
{
    [Description("Share kept (the core GA: 0.2); the rest are mutated clones of uniformly chosen keepers. Live. Range 0..1. Default 0.2.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true), LiveEditable]
    public double Keep { get; set; } = 0.20;
}

/// <summary>"Spartan" truncation without a survivor tier (core/training's GA): keep the top share, refill with their mutants.</summary>
internal sealed class TruncationGeneration(TruncationOptions o) : IGenerationScheme
{
    List<Individual<Genome>> IGenerationScheme.Next(in SelectionInput s)
    {
        int p = s.Ranked.Count, keep = Math.Max(1, (int)Math.Floor(o.Keep * p));
        var next = s.Ranked.Take(keep).ToList();
        var picks = new Emergence.Evolution.TruncationSelection(o.Keep).Select(s.Ranked.Select(i => i.Fitness).ToList(), p - keep, s.Rng);
        foreach (int pick in picks) next.Add(s.Mutant(s.Ranked[Math.Min(pick, keep - 1)]));
        return next;
    }
}

/// <summary>Options of <c>mu_plus_lambda</c>.</summary>
public sealed class MuPlusLambdaOptions
{
    [Description("Offspring per generation as a multiple of the population (λ = ratio·μ). Live. Range 0.1..10. Default 1.")]
    [Range(0.1, 10.0), LiveEditable]
    public double LambdaRatio { get; set; } = 1.0;
}

/// <summary>(μ+λ): λ mutants of uniformly chosen parents are evaluated; the best μ of parents and offspring survive.</summary>
internal sealed class MuPlusLambdaGeneration(MuPlusLambdaOptions o) : IGenerationScheme
{
    List<Individual<Genome>> IGenerationScheme.Next(in SelectionInput s)
    {
        int mu = s.Ranked.Count, lambda = Math.Max(1, (int)Math.Round(o.LambdaRatio * mu));
        var offspring = new List<Individual<Genome>>(lambda);
        for (int i = 0; i < lambda; i++) offspring.Add(s.Mutant(s.Ranked[s.Rng.NextInt(mu)]));
        s.Evaluate(offspring);
        return Generations.MuPlusLambda(s.Ranked, offspring, mu);
    }
}

// ---------------------------------------------------------------- temperature

/// <summary>The <c>temperature</c> slot: SA's temperature at proposal t of S.</summary>
internal interface ITemperatureSchedule
{
    double At(long t, long steps, double t0, double tf);
}

/// <summary>T_t = T0·(Tf/T0)^(t/S) (the spec's schedule), recomputed from t so resume is exact.</summary>
internal sealed class ExponentialCooling : ITemperatureSchedule
{
    double ITemperatureSchedule.At(long t, long steps, double t0, double tf) => t0 * Math.Pow(tf / t0, steps <= 0 ? 1 : (double)t / steps);
}

/// <summary>T_t = T0 + (Tf − T0)·t/S (the legacy script's linear option).</summary>
internal sealed class LinearCooling : ITemperatureSchedule
{
    double ITemperatureSchedule.At(long t, long steps, double t0, double tf) => t0 + (tf - t0) * (steps <= 0 ? 1 : (double)t / steps);
}
