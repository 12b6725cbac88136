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
    private Experiment(BoundManifest manifest, RngRegistry rngs, IModel model, StrategySlots slots, ITrainer trainer,
        IReadOnlyList<ActiveVisualizer> visualizers)
    {
        Manifest = manifest;
        Rngs = rngs;
        Model = model;
        Slots = slots;
        Trainer = trainer;
        Visualizers = visualizers;
    }

    public BoundManifest Manifest { get; }
    public RngRegistry Rngs { get; }
    public IModel Model { get; }
    public StrategySlots Slots { get; }
    public ITrainer Trainer { get; }
    public IReadOnlyList<ActiveVisualizer> Visualizers { get; }

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
        var visualizers = manifest.EnabledVisualizers
            .Select(v => new ActiveVisualizer(v.Descriptor.Name,
                (IVisualizer)Create($"visualizers.{v.Descriptor.Name}", v.Descriptor, v.Options, new VisualizerContext(model, rngs.Get, log)),
                v.Every))
            .ToList();
        return new Experiment(manifest, rngs, model, slots, trainer, visualizers);
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
