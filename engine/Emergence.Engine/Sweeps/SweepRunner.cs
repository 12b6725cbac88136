using System.Globalization;
using System.Text;
using System.Text.Json;
using Emergence.Engine.Artifacts;
using Emergence.Engine.Runs;

namespace Emergence.Engine.Sweeps;

/// <summary>A trial's place in the run store after the sweep: status and the last value of each summary metric.</summary>
internal sealed record TrialResult(Trial Trial, string Status, double? WallSeconds, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Runs a sweep: skips trials already completed in the run store, resumes interrupted ones, runs the rest through an
/// <see cref="ITrialExecutor"/>, and writes <c>runs/sweeps/NAME/</c>: trials.csv, summary.csv, summary.md,
/// charts/*.svg and sweep.json. Running the same sweep again only computes what is missing.
/// </summary>
internal sealed class SweepRunner(SweepManifest sweep, IReadOnlyList<Trial> trials, string runsRoot, IReadOnlyList<string> pluginFolders)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Folder => Path.Combine(runsRoot, "sweeps", sweep.Name);

    private string RunDir(Trial t) => Path.Combine(runsRoot, t.Experiment, t.RunId);

    /// <summary>The status of a trial's run in the store: completed, stopped, running, failed, or missing.</summary>
    public string StatusOf(Trial t)
    {
        var info = Path.Combine(RunDir(t), "run.json");
        if (!File.Exists(info)) return "missing";
        try
        {
            return JsonDocument.Parse(File.ReadAllText(info)).RootElement.GetProperty("status").GetString() ?? "missing";
        }
        catch (JsonException)
        {
            return "missing";
        }
    }

    /// <summary>What would be launched: (trial, action) with action run, resume, retry (failed, run again from scratch), skip (completed), duplicate, or failed (not retried).</summary>
    public List<(Trial Trial, string Action)> Plan(bool retryFailed) => trials.Select(t => (t,
        t.DuplicateOf is not null ? "duplicate"
        : StatusOf(t) switch
        {
            "completed" => "skip",
            "missing" => "run",
            "failed" => retryFailed ? "retry" : "failed",
            _ => "resume",
        })).ToList();

    public async Task<List<TrialResult>> RunAsync(ITrialExecutor executor, bool retryFailed, Action<string> report, CancellationToken cancel)
    {
        var plan = Plan(retryFailed);
        var launches = new List<TrialLaunch>();
        foreach (var (t, action) in plan)
        {
            if (action is not ("run" or "resume" or "retry")) continue;
            var dir = RunDir(t);
            // A failed trial is run again from scratch; its folder is kept aside for inspection.
            if (action == "retry") Directory.Move(dir, dir + ".failed-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
            List<string> args = action == "resume"
                ? ["resume", dir]
                : ["run", sweep.BasePath, "--run-id", t.RunId, .. t.Overrides.SelectMany(o => new[] { "--set", o })];
            args.AddRange(["--runs", runsRoot, "-q"]);
            foreach (var folder in pluginFolders) args.AddRange(["--plugins", folder]);
            launches.Add(new TrialLaunch(t, args, Path.Combine(Folder, "logs", t.RunId + ".log")));
        }
        int done = 0;
        report($"sweep {sweep.Name}: {trials.Count} trials ({plan.Count(p => p.Action == "duplicate")} duplicates), " +
               $"{plan.Count(p => p.Action == "skip")} already complete, {launches.Count} to run on {executor.Name}");
        await executor.RunAsync(launches, exit =>
        {
            var n = Interlocked.Increment(ref done);
            report($"[{n}/{launches.Count}] {exit.Trial.Group} seed {exit.Trial.Seed}: {StatusOf(exit.Trial)} " +
                   $"(exit {exit.ExitCode}, {exit.WallTime.TotalSeconds:F1} s)");
        }, cancel).ConfigureAwait(false);
        var results = trials.Select(Result).ToList();
        Write(results);
        return results;
    }

    private TrialResult Result(Trial t)
    {
        var dir = RunDir(t);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var path = Path.Combine(dir, "metrics.csv");
        if (File.Exists(path))
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var parts = line.Split(',');
                if (parts.Length == 3 && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) metrics[parts[1]] = v;
            }
        double? wall = null;
        if (File.Exists(Path.Combine(dir, "run.json")))
        {
            var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json"))).RootElement;
            if (info.TryGetProperty("created", out var c) && info.TryGetProperty("updated", out var u))
                wall = (u.GetDateTimeOffset() - c.GetDateTimeOffset()).TotalSeconds;
        }
        return new TrialResult(t, StatusOf(t), wall, metrics);
    }

    private void Write(List<TrialResult> results)
    {
        Directory.CreateDirectory(Folder);
        var metricNames = sweep.Metrics.Count > 0 ? sweep.Metrics : results.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        static string F(double? v) => v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
        var gridKeys = sweep.Grid.Select(g => g.Key).ToList();
        var trialsCsv = new StringBuilder("group,configuration," + string.Concat(gridKeys.Select(k => k + ",")) + "seed,run_id,status,wall_seconds," + string.Join(",", metricNames) + "\n");
        foreach (var r in results)
            trialsCsv.Append(CultureInfo.InvariantCulture, $"\"{r.Trial.Group}\",{r.Trial.Configuration},")
                .Append(string.Concat(gridKeys.Select(k => r.Trial.GridValues.First(g => g.Key == k).Value + ",")))
                .Append(CultureInfo.InvariantCulture, $"{r.Trial.Seed},{r.Trial.RunId},{r.Status},{F(r.WallSeconds)},")
                .Append(string.Join(",", metricNames.Select(m => F(r.Metrics.TryGetValue(m, out var v) ? v : null)))).Append('\n');
        AtomicFile.WriteText(Path.Combine(Folder, "trials.csv"), trialsCsv.ToString());

        var groups = results.GroupBy(r => r.Trial.Group).ToList();
        var summaryCsv = new StringBuilder("group,trials,completed");
        foreach (var m in metricNames) summaryCsv.Append(CultureInfo.InvariantCulture, $",{m}_mean,{m}_std,{m}_min,{m}_max");
        summaryCsv.Append('\n');
        var md = new StringBuilder($"# Sweep {sweep.Name}\n\nBase `{Path.GetFileName(sweep.BasePath)}`, {results.Count} trials, seeds {string.Join(", ", sweep.Seeds)}; mean ± std over seeds (completed trials).\n\n");
        md.Append("| group | completed | ").Append(string.Join(" | ", metricNames)).Append(" |\n|---|---|").Append(string.Concat(metricNames.Select(_ => "---|"))).Append('\n');
        foreach (var g in groups)
        {
            var completed = g.Where(r => r.Status == "completed").ToList();
            summaryCsv.Append(CultureInfo.InvariantCulture, $"\"{g.Key}\",{g.Count()},{completed.Count}");
            md.Append(CultureInfo.InvariantCulture, $"| {g.Key} | {completed.Count}/{g.Count()} |");
            foreach (var m in metricNames)
            {
                var values = completed.Where(r => r.Metrics.ContainsKey(m)).Select(r => r.Metrics[m]).ToList();
                var (mean, std) = Stats(values);
                summaryCsv.Append(CultureInfo.InvariantCulture, $",{F(mean)},{F(std)},{F(values.Count == 0 ? null : values.Min())},{F(values.Count == 0 ? null : values.Max())}");
                md.Append(mean is null ? " – |" : string.Create(CultureInfo.InvariantCulture, $" {mean:G4} ± {std:G3} |"));
            }
            summaryCsv.Append('\n');
            md.Append('\n');
        }
        AtomicFile.WriteText(Path.Combine(Folder, "summary.csv"), summaryCsv.ToString());
        AtomicFile.WriteText(Path.Combine(Folder, "summary.md"), md.ToString());
        foreach (var chart in sweep.Charts) WriteChart(chart, results);
        AtomicFile.WriteText(Path.Combine(Folder, "sweep.json"), JsonSerializer.Serialize(new
        {
            sweep = sweep.Name, file = sweep.Path, @base = sweep.BasePath, seeds = sweep.Seeds, trials = results.Count,
            completed = results.Count(r => r.Status == "completed"), statuses = results.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count()),
            updated = DateTimeOffset.UtcNow,
        }, Indented) + "\n");
    }

    private static (double? Mean, double? Std) Stats(List<double> values)
    {
        if (values.Count == 0) return (null, null);
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, std);
    }

    /// <summary>y (mean ± std over completed trials) against a numeric manifest key x, one line per configuration.</summary>
    private void WriteChart(SweepChart chart, List<TrialResult> results)
    {
        var usable = results.Where(r => r.Status == "completed" && r.Metrics.ContainsKey(chart.Y) && r.Trial.Parameters.ContainsKey(chart.X)
                                        && double.TryParse(r.Trial.Parameters[chart.X], NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToList();
        var series = usable.GroupBy(r => r.Trial.Configuration)
            .Select(c => (Name: c.Key, Points: c.GroupBy(r => double.Parse(r.Trial.Parameters[chart.X], CultureInfo.InvariantCulture))
                .Select(g => (X: g.Key, Stats: Stats(g.Select(r => r.Metrics[chart.Y]).ToList())))
                .OrderBy(p => p.X).ToList()))
            .ToList();
        var all = series.SelectMany(s => s.Points).ToList();
        const int W = 640, H = 360, L = 60, R = 120, T = 30, B = 40;
        string[] colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"18\" font-size=\"13\">{Escape(chart.Title)}</text>");
        if (all.Count > 0)
        {
            double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X);
            double y0 = all.Min(p => p.Stats.Mean!.Value - p.Stats.Std!.Value), y1 = all.Max(p => p.Stats.Mean!.Value + p.Stats.Std!.Value);
            if (x1 == x0) (x0, x1) = (x0 - 1, x1 + 1);
            if (y1 == y0) (y0, y1) = (y0 - 1, y1 + 1);
            double X(double v) => L + (W - L - R) * (v - x0) / (x1 - x0);
            double Y(double v) => H - B - (H - T - B) * (v - y0) / (y1 - y0);
            string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"#333\"/><line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"#333\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"{H - 22}\">{N(x0)}</text><text x=\"{W - R - 30}\" y=\"{H - 22}\">{N(x1)}</text><text x=\"{(W - R) / 2}\" y=\"{H - 8}\">{Escape(chart.X)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{Y(y1) + 4:0.#}\">{y1:G3}</text><text x=\"4\" y=\"{Y(y0):0.#}\">{y0:G3}</text>");
            for (int k = 0; k < series.Count; k++)
            {
                var (name, points) = series[k];
                var colour = colours[k % colours.Length];
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"")
                    .AppendJoin(" ", points.Select(p => $"{N(X(p.X))},{N(Y(p.Stats.Mean!.Value))}")).Append("\"/>");
                foreach (var (x, (mean, std)) in points)
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<line x1=\"{N(X(x))}\" y1=\"{N(Y(mean!.Value - std!.Value))}\" x2=\"{N(X(x))}\" y2=\"{N(Y(mean.Value + std.Value))}\" stroke=\"{colour}\"/><circle cx=\"{N(X(x))}\" cy=\"{N(Y(mean.Value))}\" r=\"3\" fill=\"{colour}\"><title>{Escape(name)} {Escape(chart.X)}={N(x)}: {chart.Y} {mean:G4} ± {std:G3}</title></circle>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{W - R + 10}\" y=\"{T + 14 * k + 10}\" fill=\"{colour}\">{Escape(name.Length == 0 ? "(base)" : name)}</text>");
            }
        }
        else svg.Append("<text x=\"60\" y=\"60\">no completed trial has both values</text>");
        svg.Append("</svg>");
        var file = string.Concat($"{chart.Y}_vs_{chart.X}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        Directory.CreateDirectory(Path.Combine(Folder, "charts"));
        AtomicFile.WriteText(Path.Combine(Folder, "charts", file + ".svg"), svg.ToString());
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
