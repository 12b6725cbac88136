using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Contracts.State;
using Emergence.Plugins.SparkNet.Kernels;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Options of the <c>unvisited</c> weight-decay rule (v18).</summary>
public sealed class UnvisitedDecayOptions
{
    /// <summary>Edges written within the last <c>window</c> steps (this one included) skip the decay (still clipped). Default 1; ≥ 1.</summary>
    [Description("Edges written within the last window steps (this one included) are not decayed, only clipped. Default 1. Range >= 1.")]
    [Range(1, 1_000_000)]
    [LiveEditable]
    public int Window { get; set; } = 1;
}

/// <summary>Options of the <c>slow_visited</c> weight-decay rule (v16).</summary>
public sealed class SlowVisitedDecayOptions
{
    /// <summary>Edges ever written decay at λ/slowdown. Default 10; ≥ 1.</summary>
    [Description("Edges ever written by edge learning decay at lr_global_decay / slowdown. Default 10. Range >= 1.")]
    [Range(1.0, 1e9)]
    [LiveEditable]
    public double Slowdown { get; set; } = 10;
}

/// <summary>Faithful <c>global</c>: W ← clip((1−λ) W, −c, c) over all entries.</summary>
internal sealed class GlobalDecay : IWeightDecayRule
{
    public void Apply(in SparkStep step) =>
        SimdKernels.ScaleClip(step.Model.W, (float)(1.0 - step.Options.LrGlobalDecay), (float)step.Options.WeightClip);
}

/// <summary><c>unvisited</c> (v18): global decay and clip, except that recently written edges are only clipped. Stateful: the recent edges.</summary>
internal sealed class UnvisitedDecay(UnvisitedDecayOptions options) : IWeightDecayRule, IStateful
{
    private readonly Queue<(long Step, int Index)> _recent = new();
    private float[] _saved = [];

    public void Apply(in SparkStep step)
    {
        foreach (int idx in step.Visits.Items) _recent.Enqueue((step.T, idx));
        while (_recent.Count > 0 && _recent.Peek().Step <= step.T - options.Window) _recent.Dequeue();
        var w = step.Model.W;
        if (_saved.Length < _recent.Count) _saved = new float[Math.Max(_recent.Count, 2 * _saved.Length)];
        int r = 0;
        foreach (var (_, idx) in _recent) _saved[r++] = w[idx];
        float clip = (float)step.Options.WeightClip;
        SimdKernels.ScaleClip(w, (float)(1.0 - step.Options.LrGlobalDecay), clip);
        r = 0;
        foreach (var (_, idx) in _recent) w[idx] = Math.Clamp(_saved[r++], -clip, clip);
    }

    public void Save(IStateWriter writer)
    {
        writer.WriteInt64s("steps", _recent.Select(e => e.Step).ToArray());
        writer.WriteInt32s("indices", _recent.Select(e => e.Index).ToArray());
    }

    public void Load(IStateReader reader)
    {
        var steps = reader.ReadInt64s("steps", out _);
        var indices = reader.ReadInt32s("indices", out _);
        if (steps.Length != indices.Length) throw new StateFormatException("weight_decay.unvisited: steps and indices differ in length");
        _recent.Clear();
        for (int i = 0; i < steps.Length; i++) _recent.Enqueue((steps[i], indices[i]));
    }
}

/// <summary><c>slow_visited</c> (v16): edges ever written decay 10× slower (λ/slowdown); all are clipped. Stateful: the visited set.</summary>
internal sealed class SlowVisitedDecay(SlowVisitedDecayOptions options) : IWeightDecayRule, IStateful
{
    private readonly List<int> _visited = [];
    private bool[] _mask = [];
    private float[] _saved = [];

    public void Apply(in SparkStep step)
    {
        var w = step.Model.W;
        if (_mask.Length != w.Length)
        {
            _mask = new bool[w.Length];
            foreach (int idx in _visited) _mask[idx] = true;
        }
        foreach (int idx in step.Visits.Items)
            if (!_mask[idx]) { _mask[idx] = true; _visited.Add(idx); }
        if (_saved.Length < _visited.Count) _saved = new float[Math.Max(_visited.Count, 2 * _saved.Length)];
        for (int i = 0; i < _visited.Count; i++) _saved[i] = w[_visited[i]];
        float clip = (float)step.Options.WeightClip;
        SimdKernels.ScaleClip(w, (float)(1.0 - step.Options.LrGlobalDecay), clip);
        float slow = (float)(1.0 - step.Options.LrGlobalDecay / options.Slowdown);
        for (int i = 0; i < _visited.Count; i++) w[_visited[i]] = Math.Clamp(slow * _saved[i], -clip, clip);
    }

    public void Save(IStateWriter writer) => writer.WriteInt32s("visited", _visited.ToArray());

    public void Load(IStateReader reader)
    {
        _visited.Clear();
        _visited.AddRange(reader.ReadInt32s("visited", out _));
        _mask = [];
    }
}
