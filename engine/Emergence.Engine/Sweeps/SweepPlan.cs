using System.Globalization;
using System.Text;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Sweeps;

/// <summary>One trial: a configuration × grid point × seed, as a run of the base manifest with overrides.</summary>
internal sealed record Trial
{
    /// <summary>Configuration name ("" without configurations) plus grid values, e.g. <c>N0</c> or <c>N0 trainer.lr=0.1</c>.</summary>
    public required string Group { get; init; }
    public required string Configuration { get; init; }
    public required IReadOnlyList<(string Key, string Value)> GridValues { get; init; }
    public required ulong Seed { get; init; }
    public required IReadOnlyList<string> Overrides { get; init; }
    public required string RunId { get; init; }
    public required string Experiment { get; init; }
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required string ResolvedYaml { get; init; }

    /// <summary>When another trial resolves to the same manifest, its run id (this trial is not run again).</summary>
    public string? DuplicateOf { get; init; }
}

/// <summary>Expands a sweep into trials and validates every one against the plugin before anything runs.</summary>
internal static class SweepPlan
{
    /// <summary>All trials, configurations × grid × seeds, in that order; throws with every error found (positions in the sweep file).</summary>
    public static List<Trial> Expand(SweepManifest sweep, PluginCatalog catalog)
    {
        var configurations = sweep.Configurations.Count > 0 ? sweep.Configurations : [("", (IReadOnlyList<SweepOverride>)[])];
        var points = new List<List<SweepOverride>> { new() };
        foreach (var (_, values) in sweep.Grid)
            points = points.SelectMany(p => values.Select(v => new List<SweepOverride>(p) { v })).ToList();
        var trials = new List<Trial>();
        var errors = new List<ManifestError>();
        var byManifest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (configuration, configOverrides) in configurations)
            foreach (var point in points)
                foreach (var seed in sweep.Seeds.Count > 0 ? sweep.Seeds.Select(s => (ulong?)s) : [null])
                {
                    var all = configOverrides.Concat(point).ToList();
                    var texts = all.Select(o => o.Text).ToList();
                    if (seed is { } s) texts.Add($"seed={s.ToString(CultureInfo.InvariantCulture)}");
                    BoundManifest manifest;
                    try
                    {
                        manifest = ManifestLoader.Load(sweep.BasePath, texts, catalog.Find, catalog.Names);
                    }
                    catch (ManifestException e)
                    {
                        errors.AddRange(e.Errors.Select(x => Locate(x, all)));
                        continue;
                    }
                    var gridValues = point.Select(o => (o.Text[..o.Text.IndexOf('=')], o.Text[(o.Text.IndexOf('=') + 1)..])).ToList();
                    var group = string.Join(" ", new[] { configuration }.Concat(gridValues.Select(g => $"{g.Item1}={g.Item2}")).Where(x => x.Length > 0));
                    var runId = RunId(sweep.Name, configuration, gridValues, manifest.Seed);
                    byManifest.TryGetValue(manifest.ResolvedYaml, out var duplicateOf);
                    byManifest.TryAdd(manifest.ResolvedYaml, runId);
                    trials.Add(new Trial
                    {
                        Group = group.Length == 0 ? "(base)" : group, Configuration = configuration, GridValues = gridValues, Seed = manifest.Seed,
                        Overrides = texts, RunId = duplicateOf ?? runId, Experiment = manifest.Experiment, Parameters = manifest.FlatParameters,
                        ResolvedYaml = manifest.ResolvedYaml, DuplicateOf = duplicateOf,
                    });
                }
        if (errors.Count > 0) throw new ManifestException(errors.Distinct().ToList());
        return trials;
    }

    /// <summary>An override's error points at the sweep file entry it came from.</summary>
    private static ManifestError Locate(ManifestError error, IReadOnlyList<SweepOverride> overrides)
    {
        var source = overrides.FirstOrDefault(o => error.File == NodeOrigin.Override(o.Text).File);
        return source is null ? error : error with { File = source.Origin.File, Line = source.Origin.Line, Column = source.Origin.Column };
    }

    /// <summary>A deterministic run id: sweep, configuration, grid values and seed, e.g. <c>genreg-13-n0-s1</c>.</summary>
    public static string RunId(string sweep, string configuration, IEnumerable<(string Key, string Value)> grid, ulong seed)
    {
        var parts = new List<string> { sweep };
        if (configuration.Length > 0) parts.Add(configuration);
        parts.AddRange(grid.Select(g => $"{g.Key.Split('.')[^1]}{g.Value}"));
        parts.Add("s" + seed.ToString(CultureInfo.InvariantCulture));
        var text = new StringBuilder();
        foreach (var c in string.Join("-", parts).ToLowerInvariant())
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return text.ToString();
    }
}
