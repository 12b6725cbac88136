using System.CommandLine;
using Emergence.Cli.Worker;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence run</c> and <c>emergence resume</c>.</summary>
internal static class RunCommands
{
    /// <summary>Options shared by run, resume and fork.</summary>
    private sealed record LoopOptions(Option<bool> Quiet, Option<bool> HotReload, Option<string> Control)
    {
        public static LoopOptions Create() => new(
            new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors on the console; no progress line." },
            new Option<bool>("--hot-reload") { Description = "Reload the plugin when its build output changes, continuing from the same state." },
            new Option<string>("--control") { Description = "stdio: take commands on stdin and report status on stdout (how the daemon runs a worker).", Hidden = true });

        public void AddTo(Command command)
        {
            command.Options.Add(Quiet);
            command.Options.Add(HotReload);
            command.Options.Add(Control);
        }
    }

    public static Command Run()
    {
        var target = new Argument<string>("manifest") { Description = "A manifest (YAML) to start, or an existing run folder to resume." };
        var set = CommonOptions.Set();
        var plugins = CommonOptions.Plugins();
        var runs = CommonOptions.Runs();
        var runId = new Option<string>("--run-id") { Description = "Use this run id instead of a generated one." };
        var loop = LoopOptions.Create();
        var command = new Command("run", "Run an experiment from a manifest (or resume a run folder).") { target, set, plugins, runs, runId };
        loop.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(target)!;
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            var request = Request(parse, loop, CommonOptions.RunsRoot(parse.GetValue(runs))) with { RunId = parse.GetValue(runId) };
            if (Directory.Exists(path) && RunFolder.IsRunFolder(path)) return ResumeFolder(path, catalog, request, parse.GetValue(loop.Control));
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"error: manifest '{path}' does not exist");
                return ExitCodes.InvalidInput;
            }
            var overrides = parse.GetValue(set) ?? [];
            return Execute(request, parse.GetValue(loop.Control), catalog,
                r => RunHost.PrepareStart(path, overrides, catalog, r, TimeProvider.System));
        });
        return command;
    }

    public static Command Resume()
    {
        var folder = new Argument<string>("run") { Description = "A run folder (e.g. runs/sparknet-faithful/20261122-101500-ab12), or the name of a daemon experiment." };
        var plugins = CommonOptions.Plugins();
        var runs = CommonOptions.Runs();
        var root = new Option<string>("--root") { Description = "For a daemon experiment: the daemon's root (default $EMERGENCE_ROOT or the current directory)." };
        var url = new Option<string>("--url") { Description = "For a daemon experiment: the daemon's control API." };
        var token = new Option<string>("--token") { Description = "For a daemon experiment: the control API's token (default $EMERGENCE_TOKEN)." };
        var loop = LoopOptions.Create();
        var command = new Command("resume", "Continue a run exactly where its last valid checkpoint left it, or resume a paused or stopped daemon experiment.")
        {
            folder, plugins, runs, root, url, token,
        };
        loop.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(folder)!;
            if (!Directory.Exists(path) && !path.Contains('/', StringComparison.Ordinal))
                return DaemonCommands.Send("resume", path, parse.GetValue(root), parse.GetValue(url), parse.GetValue(token));
            var request = Request(parse, loop, RunsRootOf(path, parse.GetValue(runs)));
            return ResumeFolder(path, CommonOptions.LoadPlugins(parse.GetValue(plugins)), request, parse.GetValue(loop.Control));
        });
        return command;
    }

    public static Command Fork()
    {
        var folder = new Argument<string>("run") { Description = "The parent run folder." };
        var at = new Option<long?>("--at") { Description = "Fork at this step (default: the parent's newest checkpoint). The parent's checkpoint at or before it is replayed up to it." };
        var set = CommonOptions.Set();
        var plugins = CommonOptions.Plugins();
        var runs = CommonOptions.Runs();
        var runId = new Option<string>("--run-id") { Description = "Use this run id instead of a generated one." };
        var loop = LoopOptions.Create();
        var command = new Command("fork", "Start a new run from a run's checkpoint with other strategies or options (a counterfactual branch), linked to its parent.")
        {
            folder, at, set, plugins, runs, runId,
        };
        loop.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(folder)!;
            if (CommonOptions.OpenRunFolder(path) is not { } parent) return ExitCodes.InvalidInput;
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            var request = Request(parse, loop, RunsRootOf(path, parse.GetValue(runs))) with { RunId = parse.GetValue(runId) };
            var overrides = parse.GetValue(set) ?? [];
            try
            {
                return Execute(request, parse.GetValue(loop.Control), catalog,
                    r => RunHost.PrepareFork(parent, parse.GetValue(at), overrides, catalog, r, TimeProvider.System));
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    /// <summary>The run store a run folder belongs to: <c>--runs</c>, else two levels above the folder.</summary>
    internal static string RunsRootOf(string runFolder, string? explicitRoot) => explicitRoot is not null
        ? CommonOptions.RunsRoot(explicitRoot)
        : Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(runFolder)))!;

    private static RunRequest Request(ParseResult parse, LoopOptions loop, string runsRoot) => new()
    {
        RunsRoot = runsRoot,
        Quiet = parse.GetValue(loop.Quiet) || parse.GetValue(loop.Control) is not null,
        HotReloadDebounce = parse.GetValue(loop.HotReload) || parse.GetValue(loop.Control) is not null ? TimeSpan.FromSeconds(1) : null,
    };

    private static int ResumeFolder(string path, PluginCatalog catalog, RunRequest request, string? control)
    {
        if (CommonOptions.OpenRunFolder(path) is not { } folder) return ExitCodes.InvalidInput;
        return Execute(request, control, catalog, r => RunHost.PrepareResume(folder, catalog, r, TimeProvider.System));
    }

    /// <summary>Prepares a run (start, resume or fork) and runs it with signals, the progress line or the worker protocol.</summary>
    internal static int Execute(RunRequest request, string? control, PluginCatalog catalog, Func<RunRequest, PreparedRun> prepare)
    {
        if (control is not null and not "stdio")
        {
            Console.Error.WriteLine($"error: --control {control} is not supported; the only channel is 'stdio'");
            return ExitCodes.InvalidInput;
        }
        using var stop = new StopSignal();
        var channel = control is null ? null : new WorkerChannel(Console.In, Console.Out);
        ProgressLine? line = null;
        bool showLine = channel is null && !request.Quiet && ProgressLine.Interactive;
        try
        {
            // No per-step callback at all unless a progress line is shown (the run loop calls it every step).
            using var prepared = Prepare(request, channel, prepare, showLine ? progress => line?.Update(progress.Item1, progress.Item2) : null);
            if (showLine) line = new ProgressLine(prepared.MaxSteps, []);
            channel?.Started(prepared.Folder.Path, prepared.Info.RunId);
            channel?.Start();
            var result = prepared.Run(stop.Token);
            line?.Clear();
            Console.Error.WriteLine($"run folder: {prepared.Folder.Path}");
            Console.Error.WriteLine($"{result.End.ToString().ToLowerInvariant()} at step {result.Step}: {result.Reason}");
            channel?.Ended(result);
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
        catch (Exception e) when (e is CheckpointCorruptException or Emergence.Contracts.State.StateFormatException)
        {
            line?.Clear();
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.RunFailed;
        }
        catch (IOException e)
        {
            line?.Clear();
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    private static PreparedRun Prepare(RunRequest request, WorkerChannel? channel, Func<RunRequest, PreparedRun> prepare,
        Action<(long, IReadOnlyDictionary<string, double>)>? progress) =>
        prepare(request with
        {
            Progress = progress is null ? null : (step, metrics) => progress((step, metrics)),
            Control = channel?.Control,
            Status = channel is null ? null : channel.Status,
            Notify = channel is null ? null : channel.Event,
        });
}
