using Emergence.Contracts.Artifacts;
using Emergence.Contracts.Random;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;

namespace Emergence.Contracts.Components;

/// <summary>Services available to a model factory.</summary>
/// <param name="Rng">Returns the run's RNG stream of that purpose (same name → same stream), seeded from the manifest seed.</param>
/// <param name="Log">Run log.</param>
public readonly record struct ModelContext(Func<string, RngStream> Rng, IRunLog Log);

/// <summary>Services available to a trainer factory.</summary>
/// <param name="Model">The model built from the same manifest (cast to the plugin's own type).</param>
/// <param name="Rng">Returns the run's RNG stream of that purpose, seeded from the manifest seed.</param>
/// <param name="Strategies">Resolves strategy slots to live handles; read <c>Current</c> every step.</param>
/// <param name="Log">Run log.</param>
public readonly record struct TrainerContext(IModel Model, Func<string, RngStream> Rng, IStrategySlots Strategies, IRunLog Log);

/// <summary>Services available to a strategy factory.</summary>
/// <param name="Model">The model (cast to the plugin's own type).</param>
/// <param name="Rng">The slot's own RNG stream (<c>strategy.SLOT</c>); it stays the same stream across swaps.</param>
/// <param name="Log">Run log.</param>
public readonly record struct StrategyContext(IModel Model, RngStream Rng, IRunLog Log);

/// <summary>Services available to a visualizer factory.</summary>
/// <param name="Model">The model (cast to the plugin's own type).</param>
/// <param name="Rng">Returns an RNG stream; visualizers should use their own purpose name so the trajectory never depends on them.</param>
/// <param name="Log">Run log.</param>
public readonly record struct VisualizerContext(IModel Model, Func<string, RngStream> Rng, IRunLog Log);

/// <summary>Arguments of one <see cref="ITrainer.Step"/> call.</summary>
/// <param name="Step">The number of this step, starting at 1; after it returns, the run has done <paramref name="Step"/> steps.</param>
/// <param name="MetricsDue">True when the manifest's metric schedule wants this step's metrics; compute expensive metrics only then.</param>
/// <param name="Metrics">Where metric values of this step go.</param>
/// <param name="Events">Where structural and other notable events go.</param>
public readonly record struct StepContext(long Step, bool MetricsDue, IMetricSink Metrics, IEventSink Events);

/// <summary>Arguments of one <see cref="IVisualizer.Render"/> call.</summary>
/// <param name="Step">Steps completed so far.</param>
/// <param name="Final">True for the render at the end of a run.</param>
/// <param name="Artifacts">Where the rendered files go.</param>
public readonly record struct RenderContext(long Step, bool Final, IArtifactSink Artifacts);

/// <summary>Arguments of a plugin command (<see cref="Plugins.IPluginRegistry.AddCommand{TOptions}"/>), called between steps.</summary>
/// <param name="Model">The model (cast to the plugin's own type).</param>
/// <param name="Trainer">The trainer (cast to the plugin's own type).</param>
/// <param name="Step">Steps completed so far; the command takes effect before step <c>Step + 1</c>.</param>
/// <param name="Rng">Returns the run's RNG stream of that purpose (the same streams the components use).</param>
/// <param name="Events">Where the command reports what it changed.</param>
/// <param name="Log">Run log.</param>
public readonly record struct CommandContext(IModel Model, ITrainer Trainer, long Step, Func<string, RngStream> Rng, IEventSink Events, IRunLog Log);
