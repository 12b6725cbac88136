using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Which entries of W steer a spark at neuron p.</summary>
public enum WeightView
{
    /// <summary>Row p, W[p, j]: the edges into p (faithful; the transposed reading of spec bug 1).</summary>
    Row,

    /// <summary>Column p, W[j, p]: the edges out of p, the ones edge learning writes (fix for bug 1).</summary>
    Column,
}

/// <summary>Options of the <c>softmax</c> movement rule (faithful default).</summary>
public sealed class SoftmaxMovementOptions
{
    /// <summary>row (faithful) or column. Default row.</summary>
    [Description("row (faithful: edges into p) or column (edges out of p, fix for bug 1). Default row.")]
    [LiveEditable]
    public WeightView WeightView { get; set; } = WeightView.Row;

    /// <summary>Post-seed saturation mask: logits of neurons with s ≥ threshold become −1e9. Default null (off, v1); 0.99 is post-seed.</summary>
    [Description("Saturation mask threshold: neurons with s >= it are excluded (logit -1e9) from softmax moves (not from exploration). Default null = off (v1); post-seed 0.99. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double? SaturationThreshold { get; set; }

    /// <summary>Whether q = p is allowed (bug 11). Default true (faithful).</summary>
    [Description("Allow a spark to stay on its neuron (q = p). Default true (faithful).")]
    [LiveEditable]
    public bool AllowSelfMoves { get; set; } = true;
}

/// <summary>Options of the <c>proportional</c> movement rule (v13–v22).</summary>
public sealed class ProportionalMovementOptions
{
    /// <summary>row (as the old versions) or column. Default row.</summary>
    [Description("row (edges into p, as the old versions) or column. Default row.")]
    [LiveEditable]
    public WeightView WeightView { get; set; } = WeightView.Row;
}

/// <summary>Options of the <c>cycling</c> movement rule (v25).</summary>
public sealed class CyclingMovementOptions
{
    /// <summary>Steps spent in each of greedy, softmax, random before switching. Default 100; ≥ 1.</summary>
    [Description("Steps per phase of the greedy -> softmax -> random cycle. Default 100. Range >= 1.")]
    [Range(1, 100_000_000)]
    [LiveEditable]
    public int Period { get; set; } = 100;

    /// <summary>row (faithful) or column. Default row.</summary>
    [Description("row (faithful) or column. Default row.")]
    [LiveEditable]
    public WeightView WeightView { get; set; } = WeightView.Row;
}

/// <summary>Shared pieces: the ε-uniform jump, the logits and the categorical draw (spec §2 sampling rule).</summary>
internal abstract class MovementBase
{
    private double[] _weights = [];

    /// <summary>Reads W_pj (row view) or W_jp (column view).</summary>
    protected static float Edge(float[] w, int n, WeightView view, int p, int j) =>
        view == WeightView.Row ? w[p * n + j] : w[j * n + p];

    /// <summary>A per-neuron buffer of doubles.</summary>
    protected double[] Buffer(int n) => _weights.Length == n ? _weights : _weights = new double[n];

    /// <summary>Draws u; when u &lt; ε returns a uniform neuron (excluding <paramref name="from"/> if self-moves are off), else -1.</summary>
    protected static int Explore(in SparkStep step, int from, bool allowSelf)
    {
        var rng = step.Simulation;
        if (!(rng.NextDouble() < step.Options.ExploreChance)) return -1;
        int n = step.Model.N;
        if (allowSelf) return rng.NextInt(n);
        int q = rng.NextInt(n - 1);
        return q >= from ? q + 1 : q;
    }

    /// <summary>ℓ_j = (max(W·,0) + eps)/T + β M_j, optional saturation mask and self-move exclusion.</summary>
    protected void Logits(in SparkStep step, int p, WeightView view, double? saturation, bool allowSelf, double[] logits)
    {
        var model = step.Model;
        int n = model.N;
        double temperature = step.Options.Temperature, eps = step.Options.BaseWeightEps, beta = step.Options.MemBias;
        var w = model.W;
        for (int j = 0; j < n; j++)
            logits[j] = (Math.Max(Edge(w, n, view, p, j), 0f) + eps) / temperature + beta * model.M[j];
        if (saturation is double threshold)
            for (int j = 0; j < n; j++)
                if (model.S[j] >= threshold) logits[j] = -1e9;
        if (!allowSelf) logits[p] = double.NegativeInfinity;
    }

    /// <summary>Softmax sampling: exp(ℓ − max ℓ) in double, then the first index whose running sum exceeds u·Z.</summary>
    protected static int SampleSoftmax(in SparkStep step, double[] logits)
    {
        double max = double.NegativeInfinity;
        foreach (double l in logits) max = Math.Max(max, l);
        for (int j = 0; j < logits.Length; j++) logits[j] = Math.Exp(logits[j] - max);
        return step.Simulation.Categorical(logits);
    }

    /// <summary>The first index of the largest logit.</summary>
    protected static int ArgMax(double[] logits)
    {
        int best = 0;
        for (int j = 1; j < logits.Length; j++) if (logits[j] > logits[best]) best = j;
        return best;
    }
}

/// <summary>Faithful <c>softmax</c>: ε-uniform jump, else q ~ softmax((relu(W_p·) + eps)/T + βM).</summary>
internal sealed class SoftmaxMovement(SoftmaxMovementOptions options) : MovementBase, IMovementRule
{
    public int Choose(in SparkStep step, int spark, int from, out bool explored)
    {
        int q = Explore(step, from, options.AllowSelfMoves);
        explored = q >= 0;
        if (explored) return q;
        var logits = Buffer(step.Model.N);
        Logits(step, from, options.WeightView, options.SaturationThreshold, options.AllowSelfMoves, logits);
        return SampleSoftmax(step, logits);
    }
}

/// <summary><c>proportional</c> (v13–v22): ε-uniform jump, else q with probability ∝ relu(W_p·) + eps (no temperature, no memory).</summary>
internal sealed class ProportionalMovement(ProportionalMovementOptions options) : MovementBase, IMovementRule
{
    public int Choose(in SparkStep step, int spark, int from, out bool explored)
    {
        int q = Explore(step, from, true);
        explored = q >= 0;
        if (explored) return q;
        int n = step.Model.N;
        var weights = Buffer(n);
        double eps = step.Options.BaseWeightEps;
        for (int j = 0; j < n; j++) weights[j] = Math.Max(Edge(step.Model.W, n, options.WeightView, from, j), 0f) + eps;
        return step.Simulation.Categorical(weights);
    }
}

/// <summary><c>cycling</c> (v25): phases of <c>period</c> steps: greedy (argmax of the softmax logits), softmax, uniform random; ε-jumps in every phase.</summary>
internal sealed class CyclingMovement(CyclingMovementOptions options) : MovementBase, IMovementRule
{
    /// <summary>0 greedy, 1 softmax, 2 random, for step t.</summary>
    public int Phase(long t) => (int)((t - 1) / options.Period % 3);

    public int Choose(in SparkStep step, int spark, int from, out bool explored)
    {
        int q = Explore(step, from, true);
        explored = q >= 0;
        if (explored) return q;
        int phase = Phase(step.T);
        if (phase == 2) return step.Simulation.NextInt(step.Model.N);
        var logits = Buffer(step.Model.N);
        Logits(step, from, options.WeightView, null, true, logits);
        return phase == 0 ? ArgMax(logits) : SampleSoftmax(step, logits);
    }
}
