using Emergence.Engine.Plugins;

namespace Emergence.Engine.Manifests;

/// <summary>A component picked by the manifest and its bound, validated options.</summary>
/// <param name="Descriptor">The registered component (its <c>Factory</c> builds it from <paramref name="Options"/>).</param>
/// <param name="Options">An instance of <c>Descriptor.OptionsType</c> with the manifest's values.</param>
internal sealed record ComponentSelection(ComponentDescriptor Descriptor, object Options)
{
    /// <summary>The component's registered name.</summary>
    public string Name => Descriptor.Name;
}

/// <summary>A visualizer listed in the manifest.</summary>
/// <param name="Descriptor">The registered visualizer.</param>
/// <param name="Options">Its bound options.</param>
/// <param name="Every">Render interval in steps (its own <c>every</c>, else <c>visualize.every</c>); 0 = only the final render.</param>
/// <param name="Enabled">False when the manifest says <c>enabled: false</c>; the run loop skips it.</param>
internal sealed record VisualizerSelection(ComponentDescriptor Descriptor, object Options, long Every, bool Enabled)
{
    /// <summary>The visualizer's registered name.</summary>
    public string Name => Descriptor.Name;
}

/// <summary><c>stop.metric</c>: stop when metric <paramref name="Name"/> is below <paramref name="Below"/> or above <paramref name="Above"/> (exactly one is set).</summary>
internal sealed record MetricTarget(string Name, double? Below, double? Above);

/// <summary>When a run stops; at least one is set unless the daemon hosts the run.</summary>
internal sealed record StopConditions(long? MaxSteps, TimeSpan? WallTime, MetricTarget? Metric);

/// <summary>When checkpoints are written and how many are kept.</summary>
/// <param name="EverySteps">Every this many steps, or never.</param>
/// <param name="Every">Every this much wall-clock time (<c>every_minutes</c>), or never.</param>
/// <param name="KeepLast">How many checkpoints to keep (1..1000).</param>
/// <param name="OnStop">Write one when the run stops.</param>
internal sealed record CheckpointPolicy(long? EverySteps, TimeSpan? Every, int KeepLast, bool OnStop);

/// <summary>
/// A loaded, fully validated manifest: every section bound to its options type, every default
/// filled in. <see cref="ResolvedYaml"/> is the complete manifest; loading it again gives an equal
/// manifest. Equality is by content: same plugin and same <see cref="ResolvedYaml"/> (which holds
/// every bound value); <see cref="SourcePath"/> is not part of it.
/// </summary>
internal sealed record BoundManifest
{
    /// <summary>True when both run the same plugin with the same resolved manifest.</summary>
    public bool Equals(BoundManifest? other)
        => other is not null && ReferenceEquals(Plugin, other.Plugin) && ResolvedYaml == other.ResolvedYaml;

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ResolvedYaml);

    /// <summary>The manifest file (or source name given to <c>LoadText</c>).</summary>
    public required string SourcePath { get; init; }

    /// <summary>The experiment's name (lower-case letters, digits, '-', '_').</summary>
    public required string Experiment { get; init; }

    /// <summary>Free text, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The plugin's name as written in the manifest.</summary>
    public required string PluginName { get; init; }

    /// <summary>The plugin the manifest runs.</summary>
    public required PluginDescriptor Plugin { get; init; }

    /// <summary>The master seed; every RNG stream derives from it by purpose name.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The model and its options.</summary>
    public required ComponentSelection Model { get; init; }

    /// <summary>The trainer and its options.</summary>
    public required ComponentSelection Trainer { get; init; }

    /// <summary>Every declared slot (in declaration order) → its strategy and options; unlisted slots hold their default strategy.</summary>
    public required IReadOnlyDictionary<string, ComponentSelection> Strategies { get; init; }

    /// <summary>Listed visualizers in manifest order, including disabled ones (skip those with <c>Enabled == false</c>).</summary>
    public required IReadOnlyList<VisualizerSelection> Visualizers { get; init; }

    /// <summary>Stop conditions.</summary>
    public required StopConditions Stop { get; init; }

    /// <summary>Checkpoint schedule.</summary>
    public required CheckpointPolicy Checkpoint { get; init; }

    /// <summary><c>StepContext.MetricsDue</c> is true every this many steps (and on the last step).</summary>
    public required long MetricsEvery { get; init; }

    /// <summary>Default render interval of visualizers (already applied to <see cref="VisualizerSelection.Every"/>).</summary>
    public required long VisualizeEvery { get; init; }

    /// <summary>Render every enabled visualizer once at the end.</summary>
    public required bool VisualizeFinal { get; init; }

    /// <summary>True when the daemon hosts this run (stop conditions optional).</summary>
    public required bool DaemonEnabled { get; init; }

    /// <summary>The complete manifest after overrides, every default filled in, deterministic key order.</summary>
    public required string ResolvedYaml { get; init; }

    /// <summary>Dotted key → invariant text of every resolved value, e.g. <c>model.n_neurons</c> → <c>500</c> (for the run index).</summary>
    public required IReadOnlyDictionary<string, string> FlatParameters { get; init; }

    /// <summary>The enabled visualizers.</summary>
    public IEnumerable<VisualizerSelection> EnabledVisualizers => Visualizers.Where(v => v.Enabled);
}
