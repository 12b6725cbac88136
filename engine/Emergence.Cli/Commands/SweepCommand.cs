using System.CommandLine;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Sweeps;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence sweep FILE</c>: expand, validate and run a sweep in parallel worker processes; see docs/sweeps.md.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("sweep") { Description = "The sweep file (YAML): base manifest, configurations, grid, seeds, summary." };
        var runs = CommonOptions.Runs();
        var plugins = CommonOptions.Plugins();
        var parallel = new Option<int?>("--parallel", "-j") { Description = "Worker processes (default: the sweep's 'parallel', 0 = one per core)." };
        var retry = new Option<bool>("--retry-failed") { Description = "Run failed trials again from scratch (their folders are moved aside)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the trials and what would happen to each; run nothing." };
        var command = new Command("sweep", "Run a sweep: every configuration x grid point x seed as a trial, in parallel worker processes; completed trials are skipped and interrupted ones resumed.")
        {
            file, runs, plugins, parallel, retry, dryRun,
        };
        command.SetAction(parse =>
        {
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            SweepManifest sweep;
            List<Trial> trials;
            try
            {
                sweep = SweepManifest.Load(parse.GetValue(file)!);
                trials = SweepPlan.Expand(sweep, catalog);
            }
            catch (ManifestException e)
            {
                ManifestCommands.PrintErrors(e, catalog);
                return ExitCodes.InvalidInput;
            }
            var runsRoot = CommonOptions.RunsRoot(parse.GetValue(runs));
            var folders = catalog.SearchedFolders.ToList();
            var runner = new SweepRunner(sweep, trials, runsRoot, folders);
            if (parse.GetValue(dryRun))
            {
                Console.WriteLine($"{"ACTION",-10} {"RUN",-40} GROUP / SEED");
                foreach (var (t, action) in runner.Plan(parse.GetValue(retry)))
                    Console.WriteLine($"{action,-10} {t.RunId,-40} {t.Group} / {t.Seed}{(t.DuplicateOf is null ? "" : $" (same manifest as {t.DuplicateOf})")}");
                Console.WriteLine($"{trials.Count} trial(s)");
                return ExitCodes.Ok;
            }
            int workers = parse.GetValue(parallel) ?? sweep.Parallel;
            if (workers <= 0) workers = Environment.ProcessorCount;
            using var stop = new StopSignal();
            var results = runner.RunAsync(new LocalExecutor(workers), parse.GetValue(retry), line => Console.Error.WriteLine(line), stop.Token)
                .GetAwaiter().GetResult();
            int completed = results.Count(r => r.Status == "completed"), failed = results.Count(r => r.Status == "failed");
            Console.Error.WriteLine($"{completed}/{results.Count} trials completed{(failed > 0 ? $", {failed} failed" : "")}; summary in {runner.Folder}");
            if (stop.Token.IsCancellationRequested)
            {
                Console.Error.WriteLine("stopped on request; run the same command again to continue");
                return ExitCodes.Ok;
            }
            return failed > 0 ? ExitCodes.RunFailed : ExitCodes.Ok;
        });
        return command;
    }
}
