using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Runs;

/// <summary>Options of a run started from the command line.</summary>
internal sealed record RunRequest
{
    /// <summary>Root of the run store (default <c>runs</c> in the current directory).</summary>
    public required string RunsRoot { get; init; }

    /// <summary>Run id to use instead of a generated one.</summary>
    public string? RunId { get; init; }

    /// <summary>Only warnings and errors on the console.</summary>
    public bool Quiet { get; init; }

    /// <summary>Receives progress after every step (step, latest metrics); null for none.</summary>
    public Action<long, IReadOnlyDictionary<string, double>>? Progress { get; init; }
}

/// <summary>
/// Starts new runs and resumes existing ones: creates or opens the run folder, builds the
/// experiment, restores the newest valid checkpoint, keeps <c>run.json</c> and the SQLite index
/// up to date, and runs the loop.
/// </summary>
internal static class RunHost
{
    /// <summary>Starts a new run of a bound manifest.</summary>
    public static (RunResult Result, RunFolder Folder) Start(BoundManifest manifest, IReadOnlyList<string> overrides,
        RunRequest request, TimeProvider time, CancellationToken stop)
    {
        var now = time.GetUtcNow();
        var folder = RunFolder.Create(request.RunsRoot, manifest.Experiment, request.RunId ?? RunFolder.NewRunId(now));
        Artifacts.AtomicFile.WriteText(folder.ManifestPath, manifest.ResolvedYaml);
        var info = new RunInfo
        {
            RunId = folder.RunId, Experiment = manifest.Experiment, Plugin = manifest.Plugin.Info.Name,
            PluginVersion = manifest.Plugin.Info.Version, PluginAssemblySha256 = manifest.Plugin.AssemblySha256,
            EngineVersion = EngineInfo.Version, Seed = manifest.Seed, SourceManifest = Path.GetFullPath(manifest.SourcePath),
            Overrides = overrides, Created = now, Updated = now,
        };
        folder.WriteInfo(info);
        using var index = RunIndex.Open(request.RunsRoot);
        index.Upsert(info, folder.Path);
        index.SetParameters(info.RunId, manifest.FlatParameters);
        return (Execute(folder, manifest, info, resumed: false, request, index, time, stop), folder);
    }

    /// <summary>Resumes a run from its newest valid checkpoint (or from the start if it has none).</summary>
    public static RunResult Resume(RunFolder folder, PluginCatalog catalog, RunRequest request, TimeProvider time, CancellationToken stop)
    {
        var info = folder.ReadInfo();
        var manifest = ManifestLoader.LoadText(File.ReadAllText(folder.ManifestPath), folder.ManifestPath, [],
            catalog.Find, catalog.Names);
        using var index = RunIndex.Open(request.RunsRoot);
        var started = info with { Starts = info.Starts + 1, Status = "running", Reason = null, Updated = time.GetUtcNow() };
        return Execute(folder, manifest, started, resumed: true, request, index, time, stop);
    }

    private static RunResult Execute(RunFolder folder, BoundManifest manifest, RunInfo info, bool resumed,
        RunRequest request, RunIndex index, TimeProvider time, CancellationToken stop)
    {
        using var log = RunLog.Create(folder.LogPath, request.Quiet, info.RunId);
        var experiment = Experiment.Build(manifest, new RunLog(log));
        var store = new CheckpointStore(folder.CheckpointsPath, manifest.Checkpoint.KeepLast);
        HostState? host = null;
        if (resumed)
        {
            var checkpoint = store.LoadLatestValid(message => log.Warning("{Message}", message));
            if (checkpoint is null)
                log.Warning("no valid checkpoint in {Folder}; the run restarts from step 0", folder.CheckpointsPath);
            else
            {
                host = Restore(experiment, checkpoint, manifest, log);
                log.Information("resuming {RunId} from step {Step}", info.RunId, host.Step);
            }
        }
        else log.Information("run {RunId} of {Experiment} started in {Folder}", info.RunId, manifest.Experiment, folder.Path);

        folder.WriteInfo(info);
        index.Upsert(info, folder.Path);
        using var session = new RunSession(folder, experiment, info, store, log, time)
        {
            Resumed = host,
            Progress = request.Progress,
            Checkpointed = (step, metrics) =>
            {
                folder.WriteInfo(info with { Step = step, Updated = time.GetUtcNow() });
                index.Upsert(info with { Step = step, Updated = time.GetUtcNow() }, folder.Path);
                index.SetMetrics(info.RunId, step, metrics);
            },
        };
        var result = session.Run(stop);
        store.WaitForRetention();
        var ended = info with
        {
            Step = result.Step, Updated = time.GetUtcNow(), Reason = result.Reason,
            Status = result.End switch { RunEnd.Completed => "completed", RunEnd.Stopped => "stopped", _ => "failed" },
        };
        folder.WriteInfo(ended);
        index.Upsert(ended, folder.Path);
        log.Information("run {RunId} {Status} at step {Step}: {Reason}", info.RunId, ended.Status, result.Step, result.Reason);
        return result;
    }

    private static HostState Restore(Experiment experiment, Checkpoint checkpoint, BoundManifest manifest, Serilog.ILogger log)
    {
        var header = checkpoint.Header;
        if (header.PluginName != manifest.Plugin.Info.Name)
            throw new InvalidDataException($"checkpoint belongs to plugin '{header.PluginName}', the run uses '{manifest.Plugin.Info.Name}'");
        if (header.AssemblySha256 != manifest.Plugin.AssemblySha256)
            log.Warning("the {Plugin} plugin was rebuilt since this checkpoint (version {Old} → {New}); resume is exact only with the same build",
                header.PluginName, header.PluginVersion, manifest.Plugin.Info.Version);
        foreach (var purpose in checkpoint.RngPurposes) checkpoint.RestoreRng(purpose, experiment.Rngs.Get(purpose));
        experiment.Load(checkpoint.State);
        return HostState.Load(checkpoint.State.Section("host"));
    }
}
