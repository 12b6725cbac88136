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
        var command = new Command("runs", "List runs in the run store, newest first.") { runs, experiment, status, plugin, where, metrics };
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
}
