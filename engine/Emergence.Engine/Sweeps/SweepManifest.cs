using System.Globalization;
using System.Text.RegularExpressions;
using Emergence.Engine.Manifests;

namespace Emergence.Engine.Sweeps;

/// <summary>A chart over the sweep summary: y (a summary metric) against x (a manifest key), mean ± std over seeds.</summary>
internal sealed record SweepChart(string X, string Y, string Title);

/// <summary>One override of a trial, with where it was written in the sweep file (for error messages).</summary>
internal sealed record SweepOverride(string Text, NodeOrigin Origin);

/// <summary>
/// A sweep file (<c>emergence sweep FILE</c>): a base manifest, named configurations (sets of overrides), an optional
/// grid crossed with them, and seeds. See docs/sweeps.md.
/// </summary>
internal sealed partial record SweepManifest
{
    public required string Path { get; init; }
    public required string Name { get; init; }
    public required string BasePath { get; init; }
    public required IReadOnlyList<ulong> Seeds { get; init; }
    public required int Parallel { get; init; }
    public required IReadOnlyList<(string Name, IReadOnlyList<SweepOverride> Overrides)> Configurations { get; init; }
    public required IReadOnlyList<(string Key, IReadOnlyList<SweepOverride> Values)> Grid { get; init; }
    public required IReadOnlyList<string> Metrics { get; init; }
    public required IReadOnlyList<SweepChart> Charts { get; init; }

    private static readonly string[] Keys = ["sweep", "base", "seeds", "parallel", "configurations", "grid", "summary"];

    /// <summary>True when <paramref name="path"/> is a sweep file (a top-level <c>sweep:</c> key) rather than an experiment manifest.</summary>
    public static bool IsSweepFile(string path) =>
        File.Exists(path) && System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(path), @"^sweep[ \t]*:", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>Reads and checks a sweep file; every problem is collected and thrown as a <see cref="ManifestException"/>.</summary>
    public static SweepManifest Load(string path)
    {
        var errors = new ManifestErrorList();
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException([new ManifestError(path, 0, 0, "", $"cannot read the sweep file: {e.Message}", "check the path")]);
        }
        var node = ManifestYamlReader.Read(text, ManifestYamlReader.FileOrigin(path), errors);
        if (node is not MapNode root)
        {
            if (node is not null) errors.Add(node, "", "a sweep file is a map of keys", "start it with 'sweep: NAME' and 'base: MANIFEST'");
            errors.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }
        foreach (var entry in root.Entries.Where(e => !Keys.Contains(e.Key.Value)))
        {
            var close = DidYouMean.Suggest(entry.Key.Value, Keys);
            errors.Add(entry.Key, entry.Key.Value, $"unknown key '{entry.Key.Value}' in the sweep file{(close is null ? "" : $"; did you mean '{close}'?")}",
                close is null ? $"valid keys: {string.Join(", ", Keys)}" : $"rename it to '{close}'");
        }
        var name = Scalar(root, "sweep", errors, required: true);
        if (name is not null && !NamePattern().IsMatch(name.Value))
            errors.Add(name, "sweep", $"'{name.Value}' is not a valid sweep name", "use lower-case letters, digits, '-' and '_'");
        var basePath = Scalar(root, "base", errors, required: true);
        var fullBase = basePath is null ? "" : System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, basePath.Value));
        if (basePath is not null && !File.Exists(fullBase))
            errors.Add(basePath, "base", $"the base manifest '{basePath.Value}' does not exist ({fullBase})", "give a manifest path relative to the sweep file");
        var seeds = new List<ulong>();
        if (root.Find("seeds")?.Value is { } seedsNode)
        {
            if (seedsNode is SequenceNode list)
                foreach (var item in list.Items)
                {
                    if (item is ScalarNode s && ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)) seeds.Add(seed);
                    else errors.Add(item, "seeds", $"expected a seed (a non-negative integer), got {item.Describe()}", "write seeds: [1, 2, 3]");
                }
            else errors.Add(seedsNode, "seeds", $"expected a list of seeds, got {seedsNode.Describe()}", "write seeds: [1, 2, 3]");
        }
        int parallel = 0;
        if (Scalar(root, "parallel", errors, required: false) is { } p &&
            (!int.TryParse(p.Value, NumberStyles.None, CultureInfo.InvariantCulture, out parallel) || parallel > 256))
            errors.Add(p, "parallel", $"expected a number of worker processes 0..256, got '{p.Value}'", "write parallel: 0 (one per core) or e.g. 2");
        var configurations = new List<(string, IReadOnlyList<SweepOverride>)>();
        if (root.Find("configurations")?.Value is { } configs)
        {
            if (configs is MapNode map)
                foreach (var entry in map.Entries)
                {
                    if (!NamePattern().IsMatch(entry.Key.Value.ToLowerInvariant()))
                        errors.Add(entry.Key, "configurations", $"'{entry.Key.Value}' is not a valid configuration name", "use letters, digits, '-' and '_'");
                    configurations.Add((entry.Key.Value, Overrides(entry.Value, $"configurations.{entry.Key.Value}", errors)));
                }
            else errors.Add(configs, "configurations", "expected a map of configuration name → overrides", "write configurations: {N0: {model.noise_dims: 0}}");
        }
        var grid = new List<(string, IReadOnlyList<SweepOverride>)>();
        if (root.Find("grid")?.Value is { } gridNode)
        {
            if (gridNode is MapNode map)
                foreach (var entry in map.Entries)
                {
                    if (entry.Value is SequenceNode values && values.Items.Count > 0)
                        grid.Add((entry.Key.Value, values.Items.Select(v => new SweepOverride($"{entry.Key.Value}={Yaml(v)}", v.Origin)).ToList()));
                    else errors.Add(entry.Value, $"grid.{entry.Key.Value}", $"expected a non-empty list of values, got {entry.Value.Describe()}", $"write {entry.Key.Value}: [a, b]");
                }
            else errors.Add(gridNode, "grid", "expected a map of key → list of values", "write grid: {trainer.lr: [0.01, 0.1]}");
        }
        var metrics = new List<string>();
        var charts = new List<SweepChart>();
        if (root.Find("summary")?.Value is MapNode summary)
        {
            if (summary.Find("metrics")?.Value is SequenceNode m) metrics.AddRange(m.Items.OfType<ScalarNode>().Select(s => s.Value));
            if (summary.Find("charts")?.Value is SequenceNode c)
                foreach (var chart in c.Items)
                {
                    if (chart is MapNode cm && cm.Find("x")?.Value is ScalarNode x && cm.Find("y")?.Value is ScalarNode y)
                        charts.Add(new SweepChart(x.Value, y.Value, (cm.Find("title")?.Value as ScalarNode)?.Value ?? $"{y.Value} vs {x.Value}"));
                    else errors.Add(chart, "summary.charts", "a chart needs x (a manifest key) and y (a summary metric)", "write {x: model.noise_dims, y: k, title: ...}");
                }
        }
        errors.ThrowIfAny();
        return new SweepManifest
        {
            Path = System.IO.Path.GetFullPath(path), Name = name!.Value, BasePath = fullBase, Seeds = seeds, Parallel = parallel,
            Configurations = configurations, Grid = grid, Metrics = metrics, Charts = charts,
        };
    }

    private static ScalarNode? Scalar(MapNode root, string key, ManifestErrorList errors, bool required)
    {
        var entry = root.Find(key);
        if (entry is null)
        {
            if (required) errors.Add(root, key, $"the sweep file needs '{key}'", key == "sweep" ? "add 'sweep: my-sweep'" : "add 'base: manifest.yaml'");
            return null;
        }
        if (entry.Value is ScalarNode { IsNull: false } scalar) return scalar;
        errors.Add(entry.Value, key, $"expected a value, got {entry.Value.Describe()}", $"write {key}: VALUE");
        return null;
    }

    private static List<SweepOverride> Overrides(ManifestNode node, string path, ManifestErrorList errors)
    {
        var list = new List<SweepOverride>();
        if (node is ScalarNode { IsNull: true }) return list;
        if (node is not MapNode map)
        {
            errors.Add(node, path, $"expected a map of dotted keys to values, got {node.Describe()}", "write {model.hidden: 8, trainer.lr: 0.1}");
            return list;
        }
        foreach (var entry in map.Entries) list.Add(new SweepOverride($"{entry.Key.Value}={Yaml(entry.Value)}", entry.Key.Origin));
        return list;
    }

    /// <summary>A node as flow YAML, for an override's value.</summary>
    public static string Yaml(ManifestNode node) => node switch
    {
        ScalarNode s when s.IsPlain => s.Value,
        ScalarNode s => "\"" + s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        SequenceNode q => "[" + string.Join(", ", q.Items.Select(Yaml)) + "]",
        MapNode m => "{" + string.Join(", ", m.Entries.Select(e => $"{e.Key.Value}: {Yaml(e.Value)}")) + "}",
        _ => "",
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
