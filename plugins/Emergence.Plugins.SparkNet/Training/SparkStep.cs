using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Model;

namespace Emergence.Plugins.SparkNet.Training;

/// <summary>
/// What every strategy sees during one step: the model (mutable views of W, s, M, sparks), the
/// current dynamics, the step number, the edges written so far this step, and the one
/// <b>simulation</b> stream that faithful strategies draw from in the spec's order (n normals, then
/// per spark 1 uniform, 1 int or categorical, maybe 1 respawn categorical). Variant-specific extra
/// randomness comes from a strategy's own slot stream instead.
/// </summary>
internal readonly struct SparkStep(SparkNetModel model, SparkNetTrainerOptions options, RngStream simulation, long t, EdgeVisits visits)
{
    /// <summary>The model.</summary>
    public SparkNetModel Model { get; } = model;

    /// <summary>The dynamics in force for this step.</summary>
    public SparkNetTrainerOptions Options { get; } = options;

    /// <summary>The simulation stream.</summary>
    public RngStream Simulation { get; } = simulation;

    /// <summary>The step being taken (t after the increment, starting at 1).</summary>
    public long T { get; } = t;

    /// <summary>Edges (flat indices q·n + p) written by edge learning in this step.</summary>
    public EdgeVisits Visits { get; } = visits;
}

/// <summary>The flat indices of the edges written in the current step (at most one per spark move, duplicates kept).</summary>
internal sealed class EdgeVisits
{
    private int[] _items = new int[8];

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>The entries.</summary>
    public ReadOnlySpan<int> Items => _items.AsSpan(0, Count);

    /// <summary>Forgets every entry (start of a step).</summary>
    public void Clear() => Count = 0;

    /// <summary>Adds an edge.</summary>
    public void Add(int flatIndex)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = flatIndex;
    }
}
