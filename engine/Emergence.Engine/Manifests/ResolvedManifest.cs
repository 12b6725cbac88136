using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Emergence.Engine.Manifests;

/// <summary>
/// The resolved manifest: every key of every section with its effective value, in a fixed order
/// (engine keys in <see cref="ManifestBinder.TopLevelKeys"/> order, options in declaration order),
/// written as YAML and flattened to dotted keys.
/// </summary>
internal static class ResolvedManifest
{
    private static readonly NodeOrigin Origin = new("resolved", 0, 0);

    /// <summary>The resolved tree of <paramref name="manifest"/> (its engine sections from <paramref name="engine"/>).</summary>
    public static MapNode Tree(BoundManifest manifest, EngineSections engine)
    {
        var root = new MapNode(Origin);
        root.Set("experiment", Text(manifest.Experiment), Origin);
        root.Set("description", manifest.Description is null ? Plain("null") : Text(manifest.Description), Origin);
        root.Set("plugin", Text(manifest.PluginName), Origin);
        root.Set("seed", Plain(OptionValues.Format(manifest.Seed)), Origin);
        root.Set("model", Component("type", manifest.Model), Origin);
        root.Set("trainer", Component("type", manifest.Trainer), Origin);
        var strategies = new MapNode(Origin);
        foreach (var (slot, selection) in manifest.Strategies) strategies.Set(slot, Component("name", selection), Origin);
        root.Set("strategies", strategies, Origin);
        var visualizers = new MapNode(Origin);
        foreach (var visualizer in manifest.Visualizers)
        {
            var map = new MapNode(Origin);
            map.Set("every", Plain(OptionValues.Format(visualizer.Every)), Origin);
            map.Set("enabled", Plain(OptionValues.Format(visualizer.Enabled)), Origin);
            map.Entries.AddRange(OptionValues.ToTree(visualizer.Options, OptionsModel.For(visualizer.Descriptor.OptionsType), Origin).Entries);
            visualizers.Set(visualizer.Name, map, Origin);
        }
        root.Set("visualizers", visualizers, Origin);
        root.Set("stop", Section(engine.Stop), Origin);
        root.Set("checkpoint", Section(engine.Checkpoint), Origin);
        root.Set("metrics", Section(engine.Metrics), Origin);
        root.Set("visualize", Section(engine.Visualize), Origin);
        root.Set("daemon", Section(engine.Daemon), Origin);
        return root;
    }

    /// <summary>Writes <paramref name="tree"/> as block YAML; lists of scalars and empty maps in flow style; strings double-quoted.</summary>
    public static string Write(MapNode tree)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, tree);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>Dotted key → invariant text of every scalar; lists become <c>[a, b]</c>.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(MapNode tree)
    {
        var result = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(tree, "", result);
        return result;
    }

    private static void Flatten(ManifestNode node, string path, OrderedDictionary<string, string> into)
    {
        switch (node)
        {
            case MapNode map:
                foreach (var entry in map.Entries) Flatten(entry.Value, KeyPath.Child(path, entry.Key.Value), into);
                break;
            case SequenceNode sequence:
                into[path] = "[" + string.Join(", ", sequence.Items.Select(i => i is ScalarNode s ? s.Value : "?")) + "]";
                break;
            case ScalarNode scalar:
                into[path] = scalar.Value;
                break;
        }
    }

    private static void Emit(IEmitter emitter, ManifestNode node)
    {
        switch (node)
        {
            case ScalarNode scalar:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, scalar.Value,
                    scalar.IsPlain ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, true, true));
                break;
            case SequenceNode sequence:
                var flow = sequence.Items.All(i => i is ScalarNode);
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence.Items) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case MapNode map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var entry in map.Entries)
                {
                    Emit(emitter, entry.Key);
                    Emit(emitter, entry.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
        }
    }

    private static MapNode Component(string nameKey, ComponentSelection selection)
    {
        var map = new MapNode(Origin);
        map.Set(nameKey, Text(selection.Name), Origin);
        map.Entries.AddRange(OptionValues.ToTree(selection.Options, OptionsModel.For(selection.Descriptor.OptionsType), Origin).Entries);
        return map;
    }

    private static MapNode Section(object options) => OptionValues.ToTree(options, OptionsModel.For(options.GetType()), Origin);

    private static ScalarNode Text(string value) => new(Origin, value, false);

    private static ScalarNode Plain(string value) => new(Origin, value, true);
}
