using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;

namespace Emergence.Plugins.SparkNet.Training;

/// <summary>When the O(n²) layout is computed.</summary>
public enum LayoutSchedule
{
    /// <summary>Every graph_update_freq steps the call is begun (its random draws are taken), but the force pass runs only when a metric or visualizer needs it, or when the layout rule carries state between calls.</summary>
    Lazy,

    /// <summary>Every call is computed, as in the original (needed for a complete motion series).</summary>
    Eager,
}

/// <summary>The order in which sparks move within a step.</summary>
public enum SparkOrder
{
    /// <summary>k = 0..K−1 (faithful).</summary>
    Fixed,

    /// <summary>A fresh random permutation every step, drawn from the trainer's own "spark_order" stream.</summary>
    Shuffled,

    /// <summary>Every spark chooses its move from the state at the start of the phase, then all moves apply in index order (spec bug 6).</summary>
    Synchronous,
}

/// <summary>Dynamics of a SparkNet step (the manifest's <c>trainer</c> section); spec §3. All live-editable unless noted.</summary>
public sealed class SparkNetTrainerOptions
{
    /// <summary>γ_s, scales s before the recurrent input. Default 0.95; [0, 1].</summary>
    [Description("State decay gamma_s: s is scaled by it before the recurrent update. Default 0.95. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double StateDecay { get; set; } = 0.95;

    /// <summary>σ_n, standard deviation of the recurrent noise. Default 0.05; ≥ 0.</summary>
    [Description("Noise std sigma_n added to the recurrent input. Default 0.05. Range >= 0.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double NoiseStd { get; set; } = 0.05;

    /// <summary>η, edge learning rate. Default 0.05; [0, 1].</summary>
    [Description("Edge learning rate eta. Default 0.05. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double LrEdge { get; set; } = 0.05;

    /// <summary>λ, global weight decay per step. Default 0.001; [0, 1).</summary>
    [Description("Global weight decay lambda per step. Default 0.001. Range [0,1).")]
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    [LiveEditable]
    public double LrGlobalDecay { get; set; } = 0.001;

    /// <summary>c, weights are clipped to [−c, c]. Default 1; &gt; 0.</summary>
    [Description("Weight clip c: W is clipped to [-c, c]. Default 1. Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    [LiveEditable]
    public double WeightClip { get; set; } = 1.0;

    /// <summary>γ_M, memory decay per step. Default 0.92; [0, 1].</summary>
    [Description("Memory decay gamma_M per step. Default 0.92. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double MemDecay { get; set; } = 0.92;

    /// <summary>δ, memory deposited where a spark lands. Default 0.15; ≥ 0.</summary>
    [Description("Memory deposit delta where a spark lands. Default 0.15. Range >= 0.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double MemDeposit { get; set; } = 0.15;

    /// <summary>β, weight of M in the movement logits. Default 0.8; any finite value.</summary>
    [Description("Memory bias beta in the movement logits. Default 0.8. Any finite value.")]
    [Range(-1e6, 1e6)]
    [LiveEditable]
    public double MemBias { get; set; } = 0.8;

    /// <summary>ε, probability of a uniform exploration jump. Default 0.05; [0, 1].</summary>
    [Description("Exploration probability epsilon (uniform jump). Default 0.05. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double ExploreChance { get; set; } = 0.05;

    /// <summary>T, softmax temperature of the movement logits. Default 0.3; &gt; 0.</summary>
    [Description("Movement softmax temperature T. Default 0.3. Range > 0 (0 is rejected).")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    [LiveEditable]
    public double Temperature { get; set; } = 0.3;

    /// <summary>Added to relu(W) in the movement logits. Default 1e-6; &gt; 0.</summary>
    [Description("Base weight epsilon added to relu(W) in the movement logits. Default 1e-6. Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    [LiveEditable]
    public double BaseWeightEps { get; set; } = 1e-6;

    /// <summary>Gain of M in the respawn softmax, softmax(gain·M). Default 2; any finite value.</summary>
    [Description("Gain of M in the respawn softmax (softmax(gain*M)). Default 2. Any finite value.")]
    [Range(-1e6, 1e6)]
    [LiveEditable]
    public double RespawnMemGain { get; set; } = 2.0;

    /// <summary>ρ, energy factor per move. Default 0.98; (0, 1).</summary>
    [Description("Spark energy decay rho per move. Default 0.98. Range (0,1).")]
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    [LiveEditable]
    public double SparkEnergyDecay { get; set; } = 0.98;

    /// <summary>e_min, a spark below this energy respawns. Default 0.05; (0, 1).</summary>
    [Description("Minimum spark energy e_min; below it the spark respawns. Default 0.05. Range (0,1).")]
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    [LiveEditable]
    public double SparkMinEnergy { get; set; } = 0.05;

    /// <summary>F, moves during which a spark forces s = 1 at its neuron. Default 5; ≥ 0.</summary>
    [Description("Spark force steps F: while age < F the spark's neuron is set to 1. Default 5. Range >= 0.")]
    [Range(0, 1_000_000)]
    [LiveEditable]
    public int SparkForceSteps { get; set; } = 5;

    /// <summary>Steps between layout calls. Default 5; ≥ 1.</summary>
    [Description("Steps between layout calls (graph_update_freq). Default 5. Range >= 1 (0 is rejected).")]
    [Range(1, 1_000_000)]
    [LiveEditable]
    public int GraphUpdateFreq { get; set; } = 5;

    /// <summary>Whether the layout is computed on demand (lazy, default) or on every call (eager).</summary>
    [Description("lazy (default): compute the layout only when a metric or visualizer needs it; eager: every call, as the original.")]
    [LiveEditable]
    public LayoutSchedule LayoutSchedule { get; set; } = LayoutSchedule.Lazy;

    /// <summary>The order sparks move in within a step. Default fixed (faithful).</summary>
    [Description("Order of the sparks within a step: fixed (faithful, k = 0..K-1), shuffled (own RNG stream) or synchronous (all choose, then all apply).")]
    [LiveEditable]
    public SparkOrder SparkOrder { get; set; } = SparkOrder.Fixed;

    /// <summary>A copy of every value, to detect and journal live edits.</summary>
    internal SparkNetTrainerOptions Clone() => (SparkNetTrainerOptions)MemberwiseClone();

    /// <summary>"key: old -> new" for every property that differs from <paramref name="before"/>.</summary>
    internal List<string> Diff(SparkNetTrainerOptions before)
    {
        var changes = new List<string>();
        foreach (var p in typeof(SparkNetTrainerOptions).GetProperties())
        {
            object? a = p.GetValue(before), b = p.GetValue(this);
            if (!Equals(a, b)) changes.Add($"{p.Name}: {a} -> {b}");
        }
        return changes;
    }

    /// <summary>True when every value equals the one in <paramref name="other"/> (allocation-free).</summary>
    internal bool SameAs(SparkNetTrainerOptions other) =>
        StateDecay == other.StateDecay && NoiseStd == other.NoiseStd && LrEdge == other.LrEdge
        && LrGlobalDecay == other.LrGlobalDecay && WeightClip == other.WeightClip && MemDecay == other.MemDecay
        && MemDeposit == other.MemDeposit && MemBias == other.MemBias && ExploreChance == other.ExploreChance
        && Temperature == other.Temperature && BaseWeightEps == other.BaseWeightEps
        && RespawnMemGain == other.RespawnMemGain && SparkEnergyDecay == other.SparkEnergyDecay
        && SparkMinEnergy == other.SparkMinEnergy && SparkForceSteps == other.SparkForceSteps
        && GraphUpdateFreq == other.GraphUpdateFreq && LayoutSchedule == other.LayoutSchedule && SparkOrder == other.SparkOrder;
}
