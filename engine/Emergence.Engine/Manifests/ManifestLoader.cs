using Emergence.Engine.Plugins;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Loads an experiment manifest: reads the YAML with positions, applies <c>--set</c> overrides,
/// binds every section to its options type, validates, and returns a <see cref="BoundManifest"/>.
/// Every problem found is collected and thrown together as a <see cref="ManifestException"/>.
/// </summary>
internal static class ManifestLoader
{
    /// <summary>Loads the manifest file at <paramref name="path"/>.</summary>
    /// <param name="path">The manifest file.</param>
    /// <param name="overrides"><c>a.b.c=value</c> texts from <c>--set</c>, applied in order.</param>
    /// <param name="findPlugin">Returns the loaded plugin of that name, or null.</param>
    /// <param name="availablePlugins">Names of the loaded plugins (for did-you-mean and the error message).</param>
    /// <exception cref="ManifestException">The manifest cannot be read or has errors.</exception>
    public static BoundManifest Load(string path, IReadOnlyList<string> overrides,
        Func<string, PluginDescriptor?> findPlugin, IReadOnlyCollection<string> availablePlugins)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var fix = ex is FileNotFoundException or DirectoryNotFoundException
                ? "check the path (relative paths start at the current directory)"
                : "check that the file is readable";
            throw new ManifestException([new ManifestError(path, 0, 0, "", $"cannot read the manifest: {ex.Message}", fix)]);
        }
        return LoadText(text, path, overrides, findPlugin, availablePlugins);
    }

    /// <summary>Loads a manifest from <paramref name="yaml"/>; errors name <paramref name="sourceName"/> as the file.</summary>
    /// <exception cref="ManifestException">The manifest has errors.</exception>
    public static BoundManifest LoadText(string yaml, string sourceName, IReadOnlyList<string> overrides,
        Func<string, PluginDescriptor?> findPlugin, IReadOnlyCollection<string> availablePlugins)
    {
        var errors = new ManifestErrorList();
        var node = ManifestYamlReader.Read(yaml, ManifestYamlReader.FileOrigin(sourceName), errors);
        if (node is null) errors.ThrowIfAny();
        if (node is not MapNode root)
        {
            errors.Add(node!, "", $"a manifest is a map of keys, but this file holds {node!.Describe()}",
                "start the file with 'experiment: my-experiment' and 'plugin: NAME' lines");
            errors.ThrowIfAny();
            throw new InvalidOperationException("unreachable: an error was just added");
        }
        ManifestOverrides.Apply(root, overrides, errors);
        var binder = new ManifestBinder(root, sourceName, errors);
        binder.CheckTopLevelKeys();
        var (experiment, description, seed) = (binder.ExperimentName(), binder.Description(), binder.Seed());
        var beforeStop = errors.Count;
        var stop = binder.Engine<StopOptions>("stop");
        var stopBound = errors.Count == beforeStop;
        var engine = new EngineSections(experiment, description, seed, stop,
            binder.Engine<CheckpointOptions>("checkpoint"), binder.Engine<MetricsOptions>("metrics"),
            binder.Engine<VisualizeOptions>("visualize"), binder.Engine<DaemonOptions>("daemon"));
        if (stopBound) binder.CheckStopConditions(engine.Stop, engine.Daemon);
        var plugin = binder.Plugin(findPlugin, availablePlugins);
        var sections = plugin is null ? null : BindPluginSections(binder, plugin, engine.Visualize.Every, errors);
        errors.ThrowIfAny();
        return Build(sourceName, engine, plugin!, sections!);
    }

    private static PluginSections? BindPluginSections(ManifestBinder binder, PluginDescriptor plugin, long visualizeEvery, ManifestErrorList errors)
    {
        var before = errors.Count;
        var model = binder.Component("model", plugin.Models, plugin.DefaultModel!, plugin);
        var trainer = binder.Component("trainer", plugin.Trainers, plugin.DefaultTrainer!, plugin);
        var strategies = binder.Strategies(plugin);
        var visualizers = binder.Visualizers(plugin, visualizeEvery);
        if (model is null || trainer is null || strategies is null || visualizers is null || errors.Count != before) return null;
        var byName = new Dictionary<string, object>(StringComparer.Ordinal) { ["model"] = model.Options, ["trainer"] = trainer.Options };
        foreach (var (slot, selection) in strategies) byName[$"strategies.{slot}"] = selection.Options;
        foreach (var visualizer in visualizers) byName[$"visualizers.{visualizer.Name}"] = visualizer.Options;
        binder.RunChecks(plugin, byName);
        return new PluginSections(model, trainer, strategies, visualizers);
    }

    private static BoundManifest Build(string sourceName, EngineSections engine, PluginDescriptor plugin, PluginSections sections)
    {
        var strategies = new OrderedDictionary<string, ComponentSelection>(StringComparer.Ordinal);
        foreach (var slot in plugin.Slots.Keys) strategies.Add(slot, sections.Strategies[slot]);
        var stop = engine.Stop;
        var metric = stop.Metric is null ? null : new MetricTarget(stop.Metric.Name, stop.Metric.Below, stop.Metric.Above);
        var checkpoint = engine.Checkpoint;
        var manifest = new BoundManifest
        {
            SourcePath = sourceName,
            Experiment = engine.Experiment!,
            Description = engine.Description,
            PluginName = plugin.Info.Name,
            Plugin = plugin,
            Seed = engine.Seed,
            Model = sections.Model,
            Trainer = sections.Trainer,
            Strategies = strategies,
            Visualizers = sections.Visualizers,
            Stop = new StopConditions(stop.MaxSteps, stop.WallTime, metric),
            Checkpoint = new CheckpointPolicy(checkpoint.EverySteps,
                checkpoint.EveryMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null, checkpoint.KeepLast, checkpoint.OnStop),
            MetricsEvery = engine.Metrics.Every,
            VisualizeEvery = engine.Visualize.Every,
            VisualizeFinal = engine.Visualize.Final,
            DaemonEnabled = engine.Daemon.Enabled,
            ResolvedYaml = "",
            FlatParameters = new Dictionary<string, string>(),
        };
        var tree = ResolvedManifest.Tree(manifest, engine);
        return manifest with { ResolvedYaml = ResolvedManifest.Write(tree), FlatParameters = ResolvedManifest.Flatten(tree) };
    }

    private sealed record PluginSections(
        ComponentSelection Model, ComponentSelection Trainer,
        IReadOnlyDictionary<string, ComponentSelection> Strategies, List<VisualizerSelection> Visualizers);
}

/// <summary>The bound engine-level sections of a manifest (options instances, as bound).</summary>
internal sealed record EngineSections(
    string? Experiment, string? Description, ulong Seed,
    StopOptions Stop, CheckpointOptions Checkpoint, MetricsOptions Metrics, VisualizeOptions Visualize, DaemonOptions Daemon);
