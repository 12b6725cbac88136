using Emergence.Contracts.Components;
using Emergence.Contracts.State;
using Emergence.Contracts.Telemetry;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Runs;

/// <summary>A visualizer built for a run, with its schedule.</summary>
internal sealed record ActiveVisualizer(string Name, IVisualizer Visualizer, long Every);

/// <summary>
/// The components of one run built from a bound manifest: RNG streams, model, strategies,
/// trainer and visualizers, and how their state is written to and read from a checkpoint
/// (<c>state.model</c>, <c>state.trainer</c>, <c>state.strategies.SLOT</c>, and
/// <c>state.visualizers.NAME</c> for visualizers that implement <see cref="IStateful"/>).
/// </summary>
internal sealed class Experiment
{
    private readonly IRunLog _log;

    private Experiment(BoundManifest manifest, RngRegistry rngs, IModel model, StrategySlots slots, ITrainer trainer,
        IReadOnlyList<ActiveVisualizer> visualizers, IRunLog log)
    {
        _log = log;
        Manifest = manifest;
        Rngs = rngs;
        Model = model;
        Slots = slots;
        Trainer = trainer;
        Visualizers = visualizers;
    }

    /// <summary>The manifest in effect: the one built from, then every live change applied since.</summary>
    public BoundManifest Manifest { get; private set; }
    public RngRegistry Rngs { get; }
    public IModel Model { get; }
    public StrategySlots Slots { get; }
    public ITrainer Trainer { get; }
    public IReadOnlyList<ActiveVisualizer> Visualizers { get; private set; }

    /// <summary>Builds every component; a throwing factory becomes an <see cref="ExperimentBuildException"/> naming it.</summary>
    public static Experiment Build(BoundManifest manifest, IRunLog log)
    {
        var rngs = new RngRegistry(manifest.Seed);
        var model = (IModel)Create("model", manifest.Model.Descriptor, manifest.Model.Options, new ModelContext(rngs.Get, log));
        var slots = new StrategySlots();
        foreach (var (slot, selection) in manifest.Strategies)
        {
            var slotDescriptor = manifest.Plugin.Slots[slot];
            var strategy = Create($"strategies.{slot}", selection.Descriptor, selection.Options,
                new StrategyContext(model, rngs.Get("strategy." + slot), log));
            slots.Add(slot, slotDescriptor.StrategyType, selection.Descriptor.Name, strategy);
        }
        var trainer = (ITrainer)Create("trainer", manifest.Trainer.Descriptor, manifest.Trainer.Options,
            new TrainerContext(model, rngs.Get, slots, log));
        var visualizers = manifest.EnabledVisualizers.Select(v => BuildVisualizer(v, model, rngs, log)).ToList();
        return new Experiment(manifest, rngs, model, slots, trainer, visualizers, log);
    }

    private static ActiveVisualizer BuildVisualizer(VisualizerSelection v, IModel model, RngRegistry rngs, IRunLog log) =>
        new(v.Descriptor.Name,
            (IVisualizer)Create($"visualizers.{v.Descriptor.Name}", v.Descriptor, v.Options, new VisualizerContext(model, rngs.Get, log)),
            v.Every);

    /// <summary>Builds the strategy <paramref name="selection"/> (fresh state, the slot's own RNG stream) without installing it.</summary>
    public object BuildStrategy(string slot, ComponentSelection selection) =>
        Create($"strategies.{slot}", selection.Descriptor, selection.Options,
            new StrategyContext(Model, Rngs.Get("strategy." + slot), _log));

    /// <summary>
    /// Makes <paramref name="manifest"/> the manifest in effect: installs <paramref name="strategies"/> (built by
    /// <see cref="BuildStrategy"/>) and rebuilds the named visualizers (those whose section changed), keeping the others.
    /// </summary>
    public void Apply(BoundManifest manifest, IReadOnlyDictionary<string, object> strategies, IReadOnlySet<string> rebuildVisualizers)
    {
        var visualizers = new List<ActiveVisualizer>();
        foreach (var v in manifest.EnabledVisualizers)
        {
            var existing = Visualizers.FirstOrDefault(a => a.Name == v.Name);
            visualizers.Add(existing is not null && !rebuildVisualizers.Contains(v.Name)
                ? existing with { Every = v.Every }
                : BuildVisualizer(v, Model, Rngs, _log));
        }
        foreach (var (slot, strategy) in strategies)
            Slots.Handles[slot].Set(manifest.Strategies[slot].Name, strategy);
        Visualizers = visualizers;
        Manifest = manifest;
    }

    /// <summary>Writes model, trainer and strategy state.</summary>
    public void Save(IStateWriter state)
    {
        Model.Save(state.Section("model"));
        Trainer.Save(state.Section("trainer"));
        var strategies = state.Section("strategies");
        foreach (var (slot, handle) in Slots.Handles)
        {
            var section = strategies.Section(slot);
            section.WriteString("name", handle.Name);
            if (handle.Current is IStateful stateful) stateful.Save(section.Section("state"));
        }
        var visualizers = state.Section("visualizers");
        foreach (var v in Visualizers)
            if (v.Visualizer is IStateful stateful) stateful.Save(visualizers.Section(v.Name));
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Load(IStateReader state)
    {
        Model.Load(state.Section("model"));
        Trainer.Load(state.Section("trainer"));
        var strategies = state.Section("strategies");
        foreach (var (slot, handle) in Slots.Handles)
        {
            if (!strategies.Contains(slot)) continue;
            var section = strategies.Section(slot);
            var saved = section.ReadString("name");
            if (saved != handle.Name)
                throw new StateFormatException(
                    $"checkpoint has strategy '{saved}' in slot '{slot}' but the manifest selects '{handle.Name}'");
            if (handle.Current is IStateful stateful && section.Contains("state")) stateful.Load(section.Section("state"));
        }
        // Visualizers with history (e.g. an animation's frames) continue it; one added since starts fresh.
        var visualizers = state.Contains("visualizers") ? state.Section("visualizers") : null;
        foreach (var v in Visualizers)
            if (v.Visualizer is IStateful stateful && visualizers is not null && visualizers.Contains(v.Name))
                stateful.Load(visualizers.Section(v.Name));
    }

    /// <summary>Restores every RNG stream and the state tree of <paramref name="checkpoint"/>.</summary>
    public void Restore(Checkpoints.Checkpoint checkpoint)
    {
        foreach (var purpose in checkpoint.RngPurposes) checkpoint.RestoreRng(purpose, Rngs.Get(purpose));
        Load(checkpoint.State);
    }

    private static object Create(string section, ComponentDescriptor descriptor, object options, object context)
    {
        try
        {
            return descriptor.Factory(options, context);
        }
        catch (Exception e)
        {
            throw new ExperimentBuildException(
                $"{section}: building {descriptor.Kind.ToString().ToLowerInvariant()} '{descriptor.Name}' failed: {e.GetType().Name}: {e.Message}", e);
        }
    }
}

/// <summary>A plugin's factory threw while the run was being built.</summary>
internal sealed class ExperimentBuildException(string message, Exception inner) : Exception(message, inner);
