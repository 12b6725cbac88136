using System.Text.RegularExpressions;
using Emergence.Contracts.Options;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Binds the sections of one manifest tree, collecting every error. Engine-level keys live here;
/// plugin sections (model, trainer, strategies, visualizers, checks) in ManifestBinder.Plugin.cs.
/// </summary>
internal sealed partial class ManifestBinder
{
    /// <summary>Every top-level key the engine knows, in resolved-manifest order.</summary>
    public static readonly IReadOnlyList<string> TopLevelKeys =
        ["experiment", "description", "plugin", "seed", "model", "trainer", "strategies", "visualizers",
         "stop", "checkpoint", "metrics", "visualize", "daemon"];

    private readonly MapNode _root;
    private readonly ManifestErrorList _errors;
    private readonly OptionsBinder _binder;
    private readonly NodeOrigin _fileStart;

    /// <summary>Binds <paramref name="root"/> (read from <paramref name="file"/>), reporting into <paramref name="errors"/>.</summary>
    public ManifestBinder(MapNode root, string file, ManifestErrorList errors)
    {
        _root = root;
        _errors = errors;
        _binder = new OptionsBinder(errors);
        _fileStart = new NodeOrigin(file, 1, 1);
    }

    /// <summary>Reports top-level keys the engine does not know.</summary>
    public void CheckTopLevelKeys()
    {
        foreach (var entry in _root.Entries.Where(e => !TopLevelKeys.Contains(e.Key.Value)))
            _binder.ReportUnknownKey(entry.Key, entry.Key.Value, "the manifest's top level", TopLevelKeys);
    }

    /// <summary>The required name at top-level <paramref name="key"/> (<c>experiment</c> or <c>plugin</c>), or null after reporting.</summary>
    public ScalarNode? RequiredName(string key, string example)
    {
        var entry = _root.Find(key);
        if (entry is null)
        {
            _errors.Add(_fileStart, key, $"missing required key '{key}'", $"add a top-level line '{key}: {example}'");
            return null;
        }
        if (entry.Value is ScalarNode { IsNull: false } name) return name;
        _errors.Add(entry.Value, key, $"expected a name, got {entry.Value.Describe()}", $"write '{key}: {example}'");
        return null;
    }

    /// <summary>Checks the experiment name: lower-case letters, digits, '-', '_'.</summary>
    public string? ExperimentName()
    {
        var node = RequiredName("experiment", "my-experiment");
        if (node is null) return null;
        if (ValidName().IsMatch(node.Value)) return node.Value;
        var suggestion = InvalidNameChars().Replace(node.Value.ToLowerInvariant(), "-").Trim('-');
        _errors.Add(node, "experiment", $"invalid experiment name {node.Describe()}: use only lower-case letters, digits, '-' and '_'",
            suggestion.Length > 0 && ValidName().IsMatch(suggestion) ? $"rename it, e.g. 'experiment: {suggestion}'" : "rename it, e.g. 'experiment: my-experiment'");
        return null;
    }

    /// <summary>The optional description (null when absent or null).</summary>
    public string? Description()
    {
        var entry = _root.Find("description");
        if (entry is null || entry.Value is ScalarNode { IsNull: true }) return null;
        if (entry.Value is ScalarNode text) return text.Value;
        _errors.Add(entry.Value, "description", $"expected a string, got {entry.Value.Describe()}", "write 'description: \"...\"' on one line");
        return null;
    }

    /// <summary>The master seed (default 1).</summary>
    public ulong Seed()
    {
        var entry = _root.Find("seed");
        if (entry is null) return 1;
        var type = new OptionType(OptionKind.UInt64, typeof(ulong), false);
        return _binder.TryConvert(type, entry.Value, "seed", null, null, out var value) ? (ulong)value! : 1;
    }

    /// <summary>Binds engine section <paramref name="key"/> onto a fresh <typeparamref name="T"/> and validates it.</summary>
    public T Engine<T>(string key) where T : class, new()
    {
        var options = new T();
        var model = OptionsModel.For(typeof(T));
        var before = _errors.Count;
        _binder.Bind(options, model, _root.Find(key)?.Value, key, $"'{key}' settings", []);
        if (_errors.Count == before) Validate(options, model, key, "the engine");
        return options;
    }

    /// <summary>Reports a run that would never stop.</summary>
    public void CheckStopConditions(StopOptions stop, DaemonOptions daemon)
    {
        if (stop.MaxSteps is not null || stop.WallTime is not null || stop.Metric is not null || daemon.Enabled) return;
        ErrorAt("stop", "no stop condition is set, so the run would run forever",
            "add stop.max_steps (e.g. 'stop: {max_steps: 10000}'), stop.wall_time or stop.metric; or set 'daemon: {enabled: true}' for a daemon-hosted run");
    }

    /// <summary>
    /// Runs <see cref="IValidatableOptions.Validate"/> of <paramref name="options"/> and of its nested
    /// options, mapping their keys (relative to <paramref name="path"/>) to the manifest's positions.
    /// </summary>
    private void Validate(object options, OptionsModel model, string path, string owner)
    {
        if (options is IValidatableOptions validatable)
        {
            try
            {
                validatable.Validate(new OptionErrors((key, message, fix) => ErrorAt(key.Length == 0 ? path : KeyPath.Child(path, key), message, fix)));
            }
            catch (Exception ex)
            {
                ErrorAt(path, $"validating these options failed inside {owner}: {ex.GetType().Name}: {ex.Message}",
                    $"this is a bug in {owner}; report it with this manifest");
            }
        }
        foreach (var property in model.Properties.Where(p => p.Type.Kind == OptionKind.Nested))
            if (property.Property.GetValue(options) is { } nested)
                Validate(nested, property.Type.Nested!, KeyPath.Child(path, property.Key), owner);
    }

    /// <summary>Reports an error at dotted <paramref name="key"/>, positioned at its node, else its nearest existing parent.</summary>
    private void ErrorAt(string key, string message, string fix) => _errors.Add(Locate(key), key, message, fix);

    private NodeOrigin Locate(string key)
    {
        var origin = _fileStart;
        ManifestNode node = _root;
        foreach (Match segment in KeySegment().Matches(key))
        {
            if (segment.Groups["index"].Success)
            {
                var index = int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (node is not SequenceNode sequence || index >= sequence.Items.Count) break;
                node = sequence.Items[index];
                origin = node.Origin;
                continue;
            }
            if (node is not MapNode map || map.Find(segment.Groups["name"].Value) is not { } entry) break;
            // A value set by --set is reported at the override, even when the key was in the file.
            origin = entry.Value.Origin.Line == 0 ? entry.Value.Origin : entry.Key.Origin;
            node = entry.Value;
        }
        return origin;
    }

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex ValidName();

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex InvalidNameChars();

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex KeySegment();
}
