using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Options of the <c>diffusion</c> memory rule.</summary>
public sealed class DiffusionMemoryOptions
{
    /// <summary>D: after decay M ← (1−D) M + D·(mean of the 4-neighbours on the grid). Default 0.1; [0, 1].</summary>
    [Description("Diffusion D: M <- (1-D) M + D * mean of the existing 4-neighbours on the grid. Default 0.1. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double Diffusion { get; set; } = 0.1;
}

/// <summary>Faithful <c>decay_deposit</c>: M ← γ_M M at the start of a step, M_q ← M_q + δ where a spark lands.</summary>
internal class DecayDepositMemory : IMemoryRule
{
    public virtual void Decay(in SparkStep step)
    {
        var m = step.Model.M;
        float g = (float)step.Options.MemDecay;
        for (int i = 0; i < m.Length; i++) m[i] *= g;
    }

    public void Deposit(in SparkStep step, int neuron) => step.Model.M[neuron] += (float)step.Options.MemDeposit;
}

/// <summary><c>diffusion</c> (proposal): decay, then blend each cell with the mean of its grid neighbours (row-major grid).</summary>
internal sealed class DiffusionMemory(DiffusionMemoryOptions options) : DecayDepositMemory
{
    private float[] _copy = [];

    public override void Decay(in SparkStep step)
    {
        base.Decay(step);
        var model = step.Model;
        var m = model.M;
        if (_copy.Length != m.Length) _copy = new float[m.Length];
        m.CopyTo(_copy, 0);
        float d = (float)options.Diffusion;
        int h = model.GridH, w = model.GridW;
        for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
        {
            float sum = 0f;
            int count = 0;
            if (r > 0) { sum += _copy[(r - 1) * w + c]; count++; }
            if (r < h - 1) { sum += _copy[(r + 1) * w + c]; count++; }
            if (c > 0) { sum += _copy[r * w + c - 1]; count++; }
            if (c < w - 1) { sum += _copy[r * w + c + 1]; count++; }
            int i = r * w + c;
            if (count > 0) m[i] = (1f - d) * _copy[i] + d * (sum / count);
        }
    }
}
