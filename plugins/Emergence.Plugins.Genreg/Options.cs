using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;

namespace Emergence.Plugins.Genreg;

/// <summary>The task's target function.</summary>
public enum TargetFunction
{
    /// <summary>y = sin(x), the original's task.</summary>
    Sine,
}

/// <summary>How the hidden layer reads the inputs.</summary>
public enum Connectivity
{
    /// <summary>Every hidden unit reads every input (D → H).</summary>
    Dense,
    /// <summary>Each hidden unit reads K evolvable input indices (the ultra-sparse controller).</summary>
    Sparse,
}

/// <summary>The output unit's activation.</summary>
public enum OutputActivation
{
    /// <summary>tanh (the original).</summary>
    Tanh,
    /// <summary>Identity.</summary>
    Linear,
}

/// <summary>The <c>model.task</c> section (spec §1).</summary>
public sealed class TaskOptions
{
    [Description("Target function. Default sine.")]
    public TargetFunction Target { get; set; } = TargetFunction.Sine;

    [Description("Points x = linspace(x_min, x_max, n_points). Range 10..10000. Default 100.")]
    [Range(10, 10_000)]
    public int NPoints { get; set; } = 100;

    [Description("First point. Default -2π.")]
    public double XMin { get; set; } = -2 * Math.PI;

    [Description("Last point. Default 2π.")]
    public double XMax { get; set; } = 2 * Math.PI;
}

/// <summary>The <c>model.features</c> section: the sizes of the expanded input (its content is the <c>features</c> strategy).</summary>
public sealed class FeatureOptions
{
    [Description("True-signal columns T (x, x², x³, 6 sines, 6 cosines, then zeros: column 15 and beyond are dead). Range 1..512. Default 16.")]
    [Range(1, 512)]
    public int TrueSize { get; set; } = 16;

    [Description("Noise columns M. Range 0..1024. Default 240.")]
    [Range(0, 1024)]
    public int NoiseSize { get; set; } = 240;

    [Description("Seed of numpy's legacy RandomState (MT19937) that draws the noise tables F, P, S. Default 12345.")]
    [Range(0L, 4294967295L)]
    public long NoiseSeed { get; set; } = 12345;

    [Description("Legacy noise columns beyond 240 are 0.5·N(0,1) re-drawn on every forward pass (the original); false draws them once. Default true.")]
    public bool GaussianResample { get; set; } = true;

    [Description("Keep true column 4 = sin(1·x), which is the target itself (the original); false zeroes it. Default true.")]
    public bool IncludeTargetFeature { get; set; } = true;
}

/// <summary>The <c>model.proteins</c> section: the 13-unit trust cascade beside the network (spec §2).</summary>
public sealed class ProteinOptions
{
    [Description("Run the protein cascade (GA only; SA and HC score plain MSE). Default true.")]
    public bool Enabled { get; set; } = true;

    [Description("Per-parameter mutation probability of a clone's proteins. Live. Range 0..1. Default 0.15.")]
    [Range(0.0, 1.0), LiveEditable]
    public double Rate { get; set; } = 0.15;

    [Description("Standard deviation of a protein parameter mutation. Live. Range 0..10. Default 0.1.")]
    [Range(0.0, 10.0), LiveEditable]
    public double Scale { get; set; } = 0.10;

    [Description("Points visited by the cascade per evaluation (every max(1, N div samples)-th point). Range 1..10000. Default 20.")]
    [Range(1, 10_000)]
    public int Samples { get; set; } = 20;

    [Description("Reset zeroes all unit state including the sensors' alpha and ±∞ min/max (the original's bug). Default true.")]
    public bool LegacyResetBug { get; set; } = true;
}

/// <summary>The <c>model.saturation</c> section.</summary>
public sealed class SaturationOptions
{
    [Description("|activation| above this counts as saturated. Range 0.5..0.999. Default 0.95.")]
    [Range(0.5, 0.999)]
    public double Threshold { get; set; } = 0.95;

    [Description("A neuron is saturated when more than this fraction of points saturate it. Range 0..1. Default 0.5.")]
    [Range(0.0, 1.0)]
    public double NeuronMajority { get; set; } = 0.5;
}

/// <summary>The <c>model</c> section: task, input expansion sizes, network shape, proteins, saturation (spec §1, §2, §5).</summary>
public sealed class ModelOptions : IValidatableOptions
{
    public TaskOptions Task { get; set; } = new();
    public FeatureOptions Features { get; set; } = new();

    [Description("Hidden units H. Range 1..128. Default 8.")]
    [Range(1, 128)]
    public int Hidden { get; set; } = 8;

    [Description("dense: every hidden unit reads every input; sparse: K evolvable indices per hidden unit. Default dense.")]
    public Connectivity Connectivity { get; set; } = Connectivity.Dense;

    [Description("Inputs per hidden unit of a sparse genome (K). Range 1..256. Default 2.")]
    [Range(1, 256)]
    public int KInputs { get; set; } = 2;

    [Description("Index universe of a sparse genome: indices are drawn from 0..width-1. 0 = the input width D; the original hard-codes 256. Range 0..2048. Default 0.")]
    [Range(0, 2048)]
    public int SparseWidth { get; set; }

    [Description("Output activation. Default tanh.")]
    public OutputActivation OutAct { get; set; } = OutputActivation.Tanh;

    public ProteinOptions Proteins { get; set; } = new();
    public SaturationOptions Saturation { get; set; } = new();

    [Description("Threads that evaluate genomes (results never depend on it). 0 = one per core. Range 0..256. Default 0.")]
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>Input width D = T + M.</summary>
    internal int InputWidth => Features.TrueSize + Features.NoiseSize;

    /// <summary>The sparse index universe.</summary>
    internal int IndexUniverse => SparseWidth == 0 ? InputWidth : SparseWidth;

    public void Validate(OptionErrors errors)
    {
        if (!(Task.XMax > Task.XMin)) errors.Add("task.x_max", $"x_max ({Task.XMax}) must exceed x_min ({Task.XMin})", "swap them or widen the interval");
        if (Connectivity == Connectivity.Sparse)
        {
            if (SparseWidth > InputWidth)
                errors.Add("sparse_width", $"sparse_width {SparseWidth} exceeds the input width {InputWidth} (true_size + noise_size)",
                    "use 0 (the input width) or raise features.noise_size; the original's 256 needs 256 inputs");
            if (KInputs > IndexUniverse)
                errors.Add("k_inputs", $"k_inputs {KInputs} exceeds the index universe {IndexUniverse}", $"use at most {IndexUniverse}");
        }
    }
}

/// <summary>The <c>ga</c> trainer's options (spec §3: sine_sweep.py's loop).</summary>
public sealed class GaOptions
{
    [Description("Population size P. Range 4..1000. Default 40.")]
    [Range(4, 1000)]
    public int Population { get; set; } = 40;

    [Description("Generations before the run ends. Range 1..100000. Default 2000.")]
    [Range(1, 100_000)]
    public int MaxGenerations { get; set; } = 2000;

    [Description("Stop when the population's best MSE falls below this. 0 = never. Live. Default 0.0008.")]
    [Range(0.0, 1e9), LiveEditable]
    public double TargetMse { get; set; } = 0.0008;

    [Description("Generations of the stagnation test. 0 = off. Live. Range 0..10000. Default 150.")]
    [Range(0, 10_000), LiveEditable]
    public int StagnationWindow { get; set; } = 150;

    [Description("Stop when the window's improvement is below this. Live. Default 1e-4.")]
    [Range(0.0, 1e9), LiveEditable]
    public double StagnationDelta { get; set; } = 1e-4;

    [Description("ends: compare only the window's first and last best MSE (the original); best: the best MSE in the window against the one before it. Live. Default ends.")]
    [LiveEditable]
    public StagnationRule StagnationRule { get; set; } = StagnationRule.Ends;

    [Description("Evaluations per genome per generation when columns are re-sampled (legacy noise beyond 240): the original's fitness is one noisy draw (spec §9.4). Live. Range 1..100. Default 1.")]
    [Range(1, 100), LiveEditable]
    public int Repeats { get; set; } = 1;

    [Description("Re-sampled columns drawn from seeds shared by every genome of a generation (common random numbers), so fitness differences come from the genomes. Live. Default false (the original: each genome its own draws).")]
    [LiveEditable]
    public bool CommonRandomNumbers { get; set; }

    [Description("How repeated evaluations become one fitness: mean, mean_minus_std (mean − λ·std), worst (with failure_penalty for a non-finite score). Live. Default mean.")]
    [LiveEditable]
    public FitnessAggregate Aggregate { get; set; } = FitnessAggregate.Mean;

    [Description("λ of mean_minus_std. Live. Range 0..100. Default 1.")]
    [Range(0.0, 100.0), LiveEditable]
    public double AggregateLambda { get; set; } = 1.0;

    [Description("Score of a non-finite evaluation under worst. Live. Default -1e9.")]
    [LiveEditable]
    public double FailurePenalty { get; set; } = -1e9;
}

/// <summary>How repeated evaluations are aggregated.</summary>
public enum FitnessAggregate
{
    /// <summary>The mean score.</summary>
    Mean,
    /// <summary>mean − λ·std: penalises genomes whose fitness depends on the draw.</summary>
    MeanMinusStd,
    /// <summary>The worst score.</summary>
    Worst,
}

/// <summary>How the stagnation stop compares the window.</summary>
public enum StagnationRule
{
    /// <summary>hist[-W] − hist[-1] &lt; delta (the original: a single comparison of the window's ends).</summary>
    Ends,
    /// <summary>The best value before the window minus the best inside it &lt; delta.</summary>
    Best,
}

/// <summary>Options of the local-search trainers: <c>sa</c>, <c>hc</c> and <c>sa_then_hc</c> (spec §3).</summary>
public sealed class SearchOptions : IValidatableOptions
{
    [Description("Simulated-annealing proposals (sa, and the first phase of sa_then_hc). Range 0..1e8. Default 20000.")]
    [Range(0, 100_000_000)]
    public long SaSteps { get; set; } = 20_000;

    [Description("Initial temperature T0. Range >0. Default 0.01.")]
    [Range(1e-12, 1e6)]
    public double TInitial { get; set; } = 0.01;

    [Description("Final temperature Tf. Range >0. Default 1e-5.")]
    [Range(1e-12, 1e6)]
    public double TFinal { get; set; } = 1e-5;

    [Description("Hill-climbing proposals (hc, and the second phase of sa_then_hc). Range 0..1e8. Default 5000.")]
    [Range(0, 100_000_000)]
    public long HcSteps { get; set; } = 5000;

    [Description("Hill climbing stops (or restarts) after this many proposals without a strict improvement. 0 = never. Default 500.")]
    [Range(0, 100_000_000)]
    public long Patience { get; set; } = 500;

    [Description("Hill-climbing restarts from a fresh random genome (the legacy script: 10 × 2000 steps, patience 200). Range 1..1000. Default 1.")]
    [Range(1, 1000)]
    public int Restarts { get; set; } = 1;

    [Description("Proposals per engine step (checkpoints and swaps happen between steps). Range 1..1e6. Default 200.")]
    [Range(1, 1_000_000)]
    public int ProposalsPerStep { get; set; } = 200;

    [Description("Log a row (MSE, energy, saturation, true-input ratio) every this many proposals. Range 1..1e8. Default 5000.")]
    [Range(1, 100_000_000)]
    public long LogEvery { get; set; } = 5000;

    public void Validate(OptionErrors errors)
    {
        if (TFinal > TInitial) errors.Add("t_final", $"t_final {TFinal} exceeds t_initial {TInitial}", "cool down: t_final ≤ t_initial");
    }
}

/// <summary>The <c>backprop</c> trainer: the gradient baselines (spec §7), full-batch Adam on the same features.</summary>
public sealed class BackpropOptions
{
    [Description("Full-batch epochs. Range 1..1e7. Default 1000.")]
    [Range(1, 10_000_000)]
    public int Epochs { get; set; } = 1000;

    [Description("Adam learning rate. Range >0. Default 0.01.")]
    [Range(1e-9, 10.0)]
    public double Lr { get; set; } = 0.01;

    [Description("Cosine decay of the learning rate to 0 over the epochs. Default false.")]
    public bool Cosine { get; set; }

    [Description("Sparse baseline: the input indices the hidden units read, H·K values row by row (unit 0's K indices, then unit 1's, ...; e.g. the hand-picked 0..15 for H 8, K 2). Empty = the random indices of the model's initial genome. Only with model.connectivity sparse.")]
    public List<int> Indices { get; set; } = [];

    [Description("Epochs per engine step. Range 1..1e6. Default 50.")]
    [Range(1, 1_000_000)]
    public int EpochsPerStep { get; set; } = 50;

    [Description("Stop when the MSE falls below this (the sweep's baseline used 0.0008). 0 = never. Default 0.")]
    [Range(0.0, 1e9)]
    public double TargetMse { get; set; }
}
