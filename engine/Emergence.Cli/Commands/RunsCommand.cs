using System.CommandLine;
using System.Globalization;
using Emergence.Engine.Runs;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence runs</c>: list and filter runs from the SQLite index.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var runs = CommonOptions.Runs();
        var experiment = new Option<string>("--experiment", "-e") { Description = "Only runs of this experiment." };
        var status = new Option<string>("--status") { Description = "Only runs with this status (running, completed, stopped, failed)." };
        var plugin = new Option<string>("--plugin") { Description = "Only runs of this plugin." };
        var where = new Option<string[]>("--where") { Description = "Only runs whose resolved parameter KEY=VALUE (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var metrics = new Option<bool>("--metrics") { Description = "Show the latest value of every metric." };
        var tree = new Option<bool>("--tree") { Description = "Show lineage: forks under their parent run, with the step they forked at." };
        var command = new Command("runs", "List runs in the run store, newest first.") { runs, experiment, status, plugin, where, metrics, tree };
        command.SetAction(parse =>
        {
            var root = CommonOptions.RunsRoot(parse.GetValue(runs));
            if (!File.Exists(Path.Combine(root, "index.db")))
            {
                Console.WriteLine($"no runs yet in {root}");
                return ExitCodes.Ok;
            }
            var filters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in parse.GetValue(where) ?? [])
            {
                int eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    Console.Error.WriteLine($"error: --where '{item}' must be KEY=VALUE, e.g. --where model.n_neurons=500");
                    return ExitCodes.InvalidInput;
                }
                filters[item[..eq]] = item[(eq + 1)..];
            }
            using var index = RunIndex.Open(root);
            var rows = index.Query(parse.GetValue(experiment), parse.GetValue(status), parse.GetValue(plugin), filters);
            if (parse.GetValue(tree))
            {
                PrintTree(rows);
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{"RUN",-24} {"EXPERIMENT",-24} {"PLUGIN",-12} {"STATUS",-10} {"STEP",12}  UPDATED");
            foreach (var run in rows)
            {
                Console.WriteLine($"{run.RunId,-24} {run.Experiment,-24} {run.Plugin,-12} {run.Status,-10} {run.Step,12:N0}  {run.Updated[..19]}");
                if (parse.GetValue(metrics))
                    foreach (var (name, value) in index.Metrics(run.RunId))
                        Console.WriteLine($"    {name,-32} {value.ToString("G6", CultureInfo.InvariantCulture)}");
            }
            Console.WriteLine($"{rows.Count} run(s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Runs as a forest: each root (no parent among the listed runs) with its forks indented below it.</summary>
    private static void PrintTree(IReadOnlyList<IndexedRun> rows)
    {
        var ids = rows.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        var children = rows.Where(r => r.ParentRunId is not null && ids.Contains(r.ParentRunId))
            .GroupBy(r => r.ParentRunId!).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Created, StringComparer.Ordinal).ToList());
        void Print(IndexedRun run, string indent, bool isLast, bool isRoot)
        {
            var branch = isRoot ? "" : indent + (isLast ? "└─ " : "├─ ");
            var fork = run.ParentStep is { } step && !isRoot ? $"  (fork at step {step:N0})" : "";
            var orphan = isRoot && run.ParentRunId is not null ? $"  (fork of {run.ParentRunId} at step {run.ParentStep:N0})" : "";
            Console.WriteLine($"{branch}{run.RunId}  {run.Experiment}  {run.Status}  step {run.Step:N0}{fork}{orphan}");
            if (!children.TryGetValue(run.RunId, out var kids)) return;
            var next = isRoot ? "" : indent + (isLast ? "   " : "│  ");
            for (int i = 0; i < kids.Count; i++) Print(kids[i], next, i == kids.Count - 1, false);
        }
        foreach (var root in rows.Where(r => r.ParentRunId is null || !ids.Contains(r.ParentRunId)).OrderBy(r => r.Created, StringComparer.Ordinal))
            Print(root, "", true, true);
        Console.WriteLine($"{rows.Count} run(s)");
    }
}
