using Emergence.Contracts.Plugins;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Manifests;

/// <summary>The plugin sections: plugin lookup, model, trainer, strategies, visualizers, cross-section checks.</summary>
internal sealed partial class ManifestBinder
{
    private static readonly OptionsModel ScheduleModel = OptionsModel.For(typeof(VisualizerScheduleOptions));

    /// <summary>Finds the plugin named by <c>plugin:</c>, or reports it with a did-you-mean among the loaded ones.</summary>
    public PluginDescriptor? Plugin(Func<string, PluginDescriptor?> findPlugin, IReadOnlyCollection<string> availablePlugins)
    {
        var node = RequiredName("plugin", availablePlugins.FirstOrDefault() ?? "sparknet");
        if (node is null) return null;
        var plugin = findPlugin(node.Value);
        if (plugin is not null) return plugin;
        var loaded = availablePlugins.Count == 0 ? "none" : string.Join(", ", availablePlugins.Order(StringComparer.Ordinal));
        _errors.Add(node, "plugin", $"no plugin '{node.Value}' is loaded{Hint(node.Value, availablePlugins)} Loaded: {loaded}",
            "build it (./emergence build) or check --plugins");
        return null;
    }

    /// <summary>Binds <c>model</c> or <c>trainer</c>: picks <c>type</c> (default: the first registered) and binds its options.</summary>
    public ComponentSelection? Component(string section, IReadOnlyDictionary<string, ComponentDescriptor> registered, string defaultName, PluginDescriptor plugin)
    {
        var node = _root.Find(section)?.Value;
        var name = defaultName;
        if (node is MapNode map && map.Find("type") is { } typeEntry)
        {
            if (typeEntry.Value is not ScalarNode { IsNull: false } typeName)
            {
                _errors.Add(typeEntry.Value, $"{section}.type", $"expected a {section} type name, got {typeEntry.Value.Describe()}",
                    $"write 'type: {defaultName}' or delete the key to use the default");
                return null;
            }
            name = typeName.Value;
            if (!registered.ContainsKey(name))
            {
                ReportUnknownName(typeName, $"{section}.type", $"{section} type", name, registered.Keys, plugin);
                return null;
            }
        }
        var descriptor = registered[name];
        var options = BindComponent(descriptor, node, section, $"options of {section} '{name}'", ["type"], plugin);
        return options is null ? null : new ComponentSelection(descriptor, options);
    }

    /// <summary>Binds <c>strategies</c>: one selection per declared slot, in declaration order (defaults for unlisted slots).</summary>
    public Dictionary<string, ComponentSelection>? Strategies(PluginDescriptor plugin)
    {
        var map = SectionMap("strategies", "slot: strategy lines, e.g. 'movement: softmax'");
        foreach (var entry in map?.Entries ?? [])
            if (!plugin.Slots.ContainsKey(entry.Key.Value))
                _binder.ReportUnknownKey(entry.Key, $"strategies.{entry.Key.Value}", $"strategy slots of plugin '{plugin.Info.Name}'", plugin.Slots.Keys.ToList());
        var result = new Dictionary<string, ComponentSelection>(StringComparer.Ordinal);
        var complete = true;
        foreach (var slot in plugin.Slots.Values)
        {
            var selection = Strategy(slot, map?.Find(slot.Slot)?.Value, plugin);
            if (selection is null) complete = false;
            else result[slot.Slot] = selection;
        }
        return complete ? result : null;
    }

    /// <summary>Binds <c>visualizers</c>: the listed ones, in manifest order, with their schedule.</summary>
    public List<VisualizerSelection>? Visualizers(PluginDescriptor plugin, long defaultEvery)
    {
        var map = SectionMap("visualizers", "name: {every: 500} lines");
        var result = new List<VisualizerSelection>();
        var complete = true;
        foreach (var entry in map?.Entries ?? [])
        {
            var name = entry.Key.Value;
            var path = $"visualizers.{name}";
            if (!plugin.Visualizers.TryGetValue(name, out var descriptor))
            {
                ReportUnknownName(entry.Key, path, "visualizer", name, plugin.Visualizers.Keys, plugin);
                complete = false;
                continue;
            }
            if (entry.Value is not (MapNode or ScalarNode { IsNull: true }))
            {
                _errors.Add(entry.Value, path, $"expected a map of options of visualizer '{name}', got {entry.Value.Describe()}",
                    $"write '{name}: {{every: 500}}', or '{name}: {{}}' for its defaults");
                complete = false;
                continue;
            }
            var schedule = new VisualizerScheduleOptions();
            var otherKeys = entry.Value is MapNode options ? options.Entries.Select(e => e.Key.Value).Where(k => k is not ("every" or "enabled")).ToList() : [];
            _binder.Bind(schedule, ScheduleModel, entry.Value, path, $"visualizer '{name}'", otherKeys);
            var bound = BindComponent(descriptor, entry.Value, path, $"options of visualizer '{name}'", ["every", "enabled"], plugin);
            if (bound is null) complete = false;
            else result.Add(new VisualizerSelection(descriptor, bound, schedule.Every ?? defaultEvery, schedule.Enabled));
        }
        return complete ? result : null;
    }

    /// <summary>Runs the plugin's cross-section checks over the bound sections.</summary>
    public void RunChecks(PluginDescriptor plugin, IReadOnlyDictionary<string, object> sections)
    {
        foreach (var check in plugin.Checks)
        {
            try
            {
                check(new ManifestCheck(section => sections.GetValueOrDefault(section), ErrorAt));
            }
            catch (Exception ex)
            {
                ErrorAt("plugin", $"a manifest check of plugin '{plugin.Info.Name}' failed: {ex.GetType().Name}: {ex.Message}",
                    $"this is a bug in plugin '{plugin.Info.Name}'; report it with this manifest");
            }
        }
    }

    private ComponentSelection? Strategy(SlotDescriptor slot, ManifestNode? node, PluginDescriptor plugin)
    {
        var path = $"strategies.{slot.Slot}";
        var name = slot.DefaultStrategy;
        ScalarNode? nameNode = node as ScalarNode;
        if (node is MapNode map && map.Find("name") is { } nameEntry)
        {
            nameNode = nameEntry.Value as ScalarNode;
            if (nameNode is null or { IsNull: true })
            {
                _errors.Add(nameEntry.Value, $"{path}.name", $"expected a strategy name, got {nameEntry.Value.Describe()}",
                    $"write 'name: {slot.DefaultStrategy}' or one of: {string.Join(", ", slot.Strategies.Keys)}");
                return null;
            }
        }
        else if (node is SequenceNode)
        {
            _errors.Add(node, path, "expected a strategy name or {name: ..., options}, got a list", $"write '{slot.Slot}: {slot.DefaultStrategy}'");
            return null;
        }
        if (nameNode is { IsNull: false }) name = nameNode.Value;
        if (!slot.Strategies.TryGetValue(name, out var descriptor))
        {
            var keyPath = node is MapNode ? $"{path}.name" : path;
            ReportUnknownName(nameNode!, keyPath, "strategy", name, slot.Strategies.Keys, plugin, $" for slot '{slot.Slot}'");
            return null;
        }
        var options = BindComponent(descriptor, node as MapNode, path, $"options of strategy '{name}' (slot '{slot.Slot}')", ["name"], plugin);
        return options is null ? null : new ComponentSelection(descriptor, options);
    }

    private object? BindComponent(ComponentDescriptor descriptor, ManifestNode? node, string path, string what, string[] reserved, PluginDescriptor plugin)
    {
        OptionsModel model;
        try
        {
            model = OptionsModel.For(descriptor.OptionsType);
        }
        catch (OptionsModelException ex)
        {
            _errors.Add(node?.Origin ?? Locate("plugin"), path, $"plugin '{plugin.Info.Name}' cannot be configured: {ex.Message}",
                $"this is a bug in plugin '{plugin.Info.Name}'; report it to its author");
            return null;
        }
        var options = descriptor.CreateDefaultOptions();
        var before = _errors.Count;
        _binder.Bind(options, model, node, path, what, reserved);
        if (_errors.Count == before) Validate(options, model, path, $"plugin '{plugin.Info.Name}'");
        return options;
    }

    private MapNode? SectionMap(string section, string example)
    {
        var node = _root.Find(section)?.Value;
        if (node is null or ScalarNode { IsNull: true }) return null;
        if (node is MapNode map) return map;
        _errors.Add(node, section, $"expected a map, got {node.Describe()}", $"write {example}, indented under '{section}:'");
        return null;
    }

    private void ReportUnknownName(ScalarNode node, string key, string what, string name, IEnumerable<string> registered, PluginDescriptor plugin,
        string context = "")
    {
        var names = registered.ToList();
        var close = DidYouMean.Suggest(name, names);
        _errors.Add(node, key, $"unknown {what} '{name}'{context}{Hint(name, names)} Plugin '{plugin.Info.Name}' registers{context}: {string.Join(", ", names)}",
            close is null ? $"use one of: {string.Join(", ", names)}" : $"replace it with '{close}'");
    }

    private static string Hint(string name, IEnumerable<string> candidates)
    {
        var hint = DidYouMean.Hint(name, candidates);
        return hint.Length == 0 ? "." : hint;
    }
}
