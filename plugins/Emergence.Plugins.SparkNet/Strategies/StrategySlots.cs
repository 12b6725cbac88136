using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Layout;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Slot names (spec §4).</summary>
internal static class Slots
{
    public const string Activation = "activation";
    public const string Presence = "presence";
    public const string Movement = "movement";
    public const string EdgeLearning = "edge_learning";
    public const string Memory = "memory";
    public const string Lifecycle = "lifecycle";
    public const string Spawn = "spawn";
    public const string WeightDecay = "weight_decay";
    public const string Layout = "layout";
}

/// <summary>Slot <c>activation</c>: phase 1 (s part) and 2, the recurrent update that produces the new s.</summary>
internal interface IActivationRule
{
    /// <summary>Replaces s; draws exactly n normals from the simulation stream in index order.</summary>
    void Update(in SparkStep step);
}

/// <summary>Slot <c>presence</c>: phase 3, edits to s where the sparks are.</summary>
internal interface IPresenceRule
{
    /// <summary>Edits s for every spark.</summary>
    void Apply(in SparkStep step);
}

/// <summary>Slot <c>movement</c>: phase 4a–b, where spark <c>k</c> at neuron <c>from</c> goes.</summary>
internal interface IMovementRule
{
    /// <summary>The next neuron; <paramref name="explored"/> is true for an ε-uniform jump.</summary>
    int Choose(in SparkStep step, int spark, int from, out bool explored);
}

/// <summary>Slot <c>edge_learning</c>: phase 4c, edits to W after a move <c>from</c> → <c>to</c>.</summary>
internal interface IEdgeLearningRule
{
    /// <summary>Updates W and records the written edges in <see cref="SparkStep.Visits"/>.</summary>
    void Learn(in SparkStep step, int from, int to);
}

/// <summary>Slot <c>memory</c>: phase 1 (M part) and 4d.</summary>
internal interface IMemoryRule
{
    /// <summary>The start-of-step decay of M.</summary>
    void Decay(in SparkStep step);

    /// <summary>The deposit where a spark lands.</summary>
    void Deposit(in SparkStep step, int neuron);
}

/// <summary>Slot <c>lifecycle</c>: phase 4e, energy and age after a move; says whether the spark dies.</summary>
internal interface ILifecycleRule
{
    /// <summary>Updates spark <paramref name="spark"/> (now at <paramref name="neuron"/>); true when it must respawn.</summary>
    bool Advance(in SparkStep step, int spark, int neuron);
}

/// <summary>Slot <c>spawn</c>: where a dead or new spark appears (phase 4f).</summary>
internal interface ISpawnRule
{
    /// <summary>The neuron for spark <paramref name="spark"/>.</summary>
    int Spawn(in SparkStep step, int spark);
}

/// <summary>Slot <c>weight_decay</c>: phase 5.</summary>
internal interface IWeightDecayRule
{
    /// <summary>Decays and clips W.</summary>
    void Apply(in SparkStep step);
}

/// <summary>Slot <c>layout</c>: phase 6, 2-D positions of the neurons (never feeds back into the trajectory).</summary>
internal interface ILayoutRule
{
    /// <summary>True when a call depends on the previous call's result, so every call must be computed.</summary>
    bool CarriesState { get; }

    /// <summary>The cheap part of a call, taken at every call: e.g. the faithful layout's fresh N(0, I₂) draws.</summary>
    void Begin(LayoutState layout, RngStream layoutRng);

    /// <summary>The O(n²) part: writes the pending call's positions into the layout (previous ones already shifted).</summary>
    void Compute(LayoutState layout, SparkNetModel model, RngStream layoutRng);
}
