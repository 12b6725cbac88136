using System.CommandLine;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence run</c> and <c>emergence resume</c>.</summary>
internal static class RunCommands
{
    public static Command Run()
    {
        var target = new Argument<string>("manifest") { Description = "A manifest (YAML) to start, or an existing run folder to resume." };
        var set = CommonOptions.Set();
        var plugins = CommonOptions.Plugins();
        var runs = CommonOptions.Runs();
        var runId = new Option<string>("--run-id") { Description = "Use this run id instead of a generated one." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors on the console; no progress line." };
        var command = new Command("run", "Run an experiment from a manifest (or resume a run folder).")
        {
            target, set, plugins, runs, runId, quiet,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(target)!;
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            var request = new RunRequest { RunsRoot = CommonOptions.RunsRoot(parse.GetValue(runs)), RunId = parse.GetValue(runId), Quiet = parse.GetValue(quiet) };
            if (Directory.Exists(path) && RunFolder.IsRunFolder(path)) return ResumeFolder(path, catalog, request);
            return StartManifest(path, parse.GetValue(set) ?? [], catalog, request);
        });
        return command;
    }

    public static Command Resume()
    {
        var folder = new Argument<string>("run") { Description = "The run folder, e.g. runs/sparknet-faithful/20261122-101500-ab12." };
        var plugins = CommonOptions.Plugins();
        var runs = CommonOptions.Runs();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors on the console; no progress line." };
        var command = new Command("resume", "Continue a run exactly where its last valid checkpoint left it.") { folder, plugins, runs, quiet };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(folder)!;
            var runsRoot = parse.GetValue(runs) is { } explicitRoot
                ? CommonOptions.RunsRoot(explicitRoot)
                : Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
            var request = new RunRequest { RunsRoot = runsRoot, Quiet = parse.GetValue(quiet) };
            return ResumeFolder(path, CommonOptions.LoadPlugins(parse.GetValue(plugins)), request);
        });
        return command;
    }

    private static int StartManifest(string path, string[] overrides, PluginCatalog catalog, RunRequest request)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: manifest '{path}' does not exist");
            return ExitCodes.InvalidInput;
        }
        BoundManifest manifest;
        try
        {
            manifest = ManifestLoader.Load(path, overrides, catalog.Find, catalog.Names);
        }
        catch (ManifestException e)
        {
            ManifestCommands.PrintErrors(e, catalog);
            return ExitCodes.InvalidInput;
        }
        return Execute(manifest.Stop.MaxSteps, request, (progress, stop) =>
        {
            var (result, folder) = RunHost.Start(manifest, overrides, request with { Progress = progress }, TimeProvider.System, stop);
            Console.Error.WriteLine($"run folder: {folder.Path}");
            return result;
        });
    }

    private static int ResumeFolder(string path, PluginCatalog catalog, RunRequest request)
    {
        RunFolder folder;
        try
        {
            folder = RunFolder.Open(path);
        }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        return Execute(null, request, (progress, stop) =>
        {
            var result = RunHost.Resume(folder, catalog, request with { Progress = progress }, TimeProvider.System, stop);
            Console.Error.WriteLine($"run folder: {folder.Path}");
            return result;
        }, catalog);
    }

    private static int Execute(long? maxSteps, RunRequest request,
        Func<Action<long, IReadOnlyDictionary<string, double>>?, CancellationToken, RunResult> run, PluginCatalog? catalog = null)
    {
        using var stop = new StopSignal();
        ProgressLine? line = !request.Quiet && ProgressLine.Interactive ? new ProgressLine(maxSteps, []) : null;
        try
        {
            var result = run(line is null ? null : line.Update, stop.Token);
            line?.Clear();
            Console.Error.WriteLine($"{result.End.ToString().ToLowerInvariant()} at step {result.Step}: {result.Reason}");
            return result.End == RunEnd.Failed ? ExitCodes.RunFailed : ExitCodes.Ok;
        }
        catch (ManifestException e)
        {
            line?.Clear();
            ManifestCommands.PrintErrors(e, catalog);
            return ExitCodes.InvalidInput;
        }
        catch (ExperimentBuildException e)
        {
            line?.Clear();
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.PluginError;
        }
        catch (CheckpointCorruptException e)
        {
            line?.Clear();
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.RunFailed;
        }
    }
}
