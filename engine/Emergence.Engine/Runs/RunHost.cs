using System.Runtime.CompilerServices;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Serilog.Core;

namespace Emergence.Engine.Runs;

/// <summary>Options of a run started from the command line or by the daemon.</summary>
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

    /// <summary>Receives status snapshots (see <see cref="RunSession.Status"/>).</summary>
    public Action<RunStatus>? Status { get; init; }

    /// <summary>Receives swaps, reloads and rejections as they happen.</summary>
    public Action<string, IReadOnlyDictionary<string, object?>>? Notify { get; init; }

    /// <summary>Where control commands come from; null for none.</summary>
    public RunControl? Control { get; init; }

    /// <summary>Reload the plugin when its folder changes (debounced by this much); null = never.</summary>
    public TimeSpan? HotReloadDebounce { get; init; }
}

/// <summary>
/// A run whose folder, log, experiment and (when resuming) restored state are ready; <see cref="Run"/> runs
/// its loop. Callers hold only this object, never the manifest, so a plugin reload can release the old
/// plugin's load context completely.
/// </summary>
internal sealed class PreparedRun : IDisposable
{
    private readonly RunIndex _index;
    private readonly Logger _log;
    private readonly CheckpointStore _store;
    private readonly TimeProvider _time;

    internal PreparedRun(RunFolder folder, RunInfo info, RunSession session, RunIndex index, Logger log, CheckpointStore store,
        TimeProvider time, long? maxSteps)
    {
        (Folder, Info, Session, _index, _log, _store, _time, MaxSteps) = (folder, info, session, index, log, store, time, maxSteps);
    }

    public RunFolder Folder { get; }
    public RunInfo Info { get; }
    public RunSession Session { get; }

    /// <summary>The manifest's <c>stop.max_steps</c> (for a progress line).</summary>
    public long? MaxSteps { get; }

    /// <summary>Runs the loop to its end and records how it ended in <c>run.json</c> and the index.</summary>
    public RunResult Run(CancellationToken stop)
    {
        var result = Session.Run(stop);
        _store.WaitForRetention();
        var ended = Info with
        {
            Step = result.Step, Updated = _time.GetUtcNow(), Reason = result.Reason,
            Status = result.End switch { RunEnd.Completed => "completed", RunEnd.Stopped => "stopped", _ => "failed" },
        };
        Folder.WriteInfo(ended);
        _index.Upsert(ended, Folder.Path);
        _log.Information("run {RunId} {Status} at step {Step}: {Reason}", Info.RunId, ended.Status, result.Step, result.Reason);
        return result;
    }

    public void Dispose()
    {
        Session.Dispose();
        _index.Dispose();
        _log.Dispose();
    }
}

/// <summary>
/// Starts new runs, resumes existing ones and forks them: creates or opens the run folder, builds the
/// experiment, restores the newest valid checkpoint (with the manifest in effect when it was written),
/// keeps <c>run.json</c> and the SQLite index up to date, and runs the loop.
/// </summary>
internal static class RunHost
{
    /// <summary>Starts a new run of a bound manifest and runs it to its end.</summary>
    public static (RunResult Result, RunFolder Folder) Start(BoundManifest manifest, IReadOnlyList<string> overrides,
        RunRequest request, TimeProvider time, CancellationToken stop)
    {
        using var prepared = PrepareStart(manifest, overrides, request, time);
        return (prepared.Run(stop), prepared.Folder);
    }

    /// <summary>Resumes a run from its newest valid checkpoint (or from the start if it has none) and runs it to its end.</summary>
    public static RunResult Resume(RunFolder folder, PluginCatalog catalog, RunRequest request, TimeProvider time, CancellationToken stop)
    {
        using var prepared = PrepareResume(folder, catalog, request, time);
        return prepared.Run(stop);
    }

    /// <summary>Loads and validates the manifest at <paramref name="path"/>, then prepares a new run of it.</summary>
    /// <exception cref="ManifestException">The manifest is invalid.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static PreparedRun PrepareStart(string path, IReadOnlyList<string> overrides, PluginCatalog catalog, RunRequest request,
        TimeProvider time) =>
        PrepareStart(ManifestLoader.Load(path, overrides, catalog.Find, catalog.Names), overrides, request, time, catalog);

    /// <summary>Creates the run folder of a new run of <paramref name="manifest"/> and builds its experiment.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static PreparedRun PrepareStart(BoundManifest manifest, IReadOnlyList<string> overrides, RunRequest request, TimeProvider time,
        PluginCatalog? catalog = null)
    {
        var now = time.GetUtcNow();
        var folder = RunFolder.Create(request.RunsRoot, manifest.Experiment, request.RunId ?? RunFolder.NewRunId(now));
        Artifacts.AtomicFile.WriteText(folder.ManifestPath, manifest.ResolvedYaml);
        var info = NewInfo(folder, manifest, overrides, now);
        folder.WriteInfo(info);
        var index = RunIndex.Open(request.RunsRoot);
        index.Upsert(info, folder.Path);
        index.SetParameters(info.RunId, manifest.FlatParameters);
        var log = RunLog.Create(folder.LogPath, request.Quiet, info.RunId);
        log.Information("run {RunId} of {Experiment} started in {Folder}", info.RunId, manifest.Experiment, folder.Path);
        return Prepare(folder, manifest, info, null, request, index, log, time, catalog);
    }

    /// <summary>Opens a run folder, restores its newest valid checkpoint and prepares to continue it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static PreparedRun PrepareResume(RunFolder folder, PluginCatalog catalog, RunRequest request, TimeProvider time)
    {
        var info = folder.ReadInfo();
        var log = RunLog.Create(folder.LogPath, request.Quiet, info.RunId);
        try
        {
            var checkpoint = new CheckpointStore(folder.CheckpointsPath, 1000).LoadLatestValid(message => log.Warning("{Message}", message));
            // The checkpoint carries the manifest in effect when it was written (live changes included).
            var (text, source) = checkpoint is null
                ? (File.ReadAllText(folder.ManifestPath), folder.ManifestPath)
                : (checkpoint.Header.Manifest, folder.ManifestPath);
            var manifest = ManifestLoader.LoadText(text, source, [], catalog.Find, catalog.Names);
            var index = RunIndex.Open(request.RunsRoot);
            var started = info with { Starts = info.Starts + 1, Status = "running", Reason = null, Updated = time.GetUtcNow() };
            if (checkpoint is null) log.Warning("no valid checkpoint in {Folder}; the run restarts from step 0", folder.CheckpointsPath);
            return Prepare(folder, manifest, started, checkpoint, request, index, log, time, catalog);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Prepares a fork of <paramref name="parent"/>: a new run that starts from the parent's checkpoint at or before
    /// <paramref name="at"/> (default: its newest), replays the parent's recorded swaps up to the fork step, and there
    /// applies <paramref name="overrides"/> as a recorded live change — so it is identical to the parent up to the fork
    /// step and differs only after it. The fork is linked to its parent in run.json and the index.
    /// </summary>
    /// <exception cref="ManifestException">The overrides are invalid or not live-changeable.</exception>
    /// <exception cref="InvalidDataException">The parent has no usable checkpoint at or before the step.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static PreparedRun PrepareFork(RunFolder parent, long? at, IReadOnlyList<string> overrides, PluginCatalog catalog,
        RunRequest request, TimeProvider time)
    {
        var parentInfo = parent.ReadInfo();
        if (at is { } requested && (requested < 0 || requested > parentInfo.Step))
            throw new InvalidDataException($"--at {requested} is outside the parent run, which has done {parentInfo.Step} steps");
        var candidates = new CheckpointStore(parent.CheckpointsPath, 1000).List()
            .Where(c => at is null || c.Step <= at).OrderByDescending(c => c.Step).ToList();
        Checkpoint? checkpoint = null;
        foreach (var candidate in candidates)
        {
            try
            {
                checkpoint = CheckpointFile.ReadFile(candidate.Path);
                break;
            }
            catch (CheckpointCorruptException)
            {
                // try an older one
            }
        }
        if (checkpoint is null)
            throw new InvalidDataException(at is null
                ? $"{parent.Path} has no valid checkpoint to fork from"
                : $"{parent.Path} has no valid checkpoint at or before step {at}; its checkpoints are at steps " +
                  $"{string.Join(", ", new CheckpointStore(parent.CheckpointsPath, 1000).List().Select(c => c.Step))}");
        var host = HostState.Load(checkpoint.State.Section("host"));
        long forkStep = at ?? host.Step;
        // The parent's changes up to the fork step: those in the checkpoint, then those to replay before the fork.
        var inherited = new SwapLog(parent.SwapsPath).ReadAll().Where(r => r.Seq < host.SwapsApplied || r.Step < forkStep).ToList();
        var inEffect = inherited.LastOrDefault(r => r.Seq >= host.SwapsApplied)?.Manifest ?? checkpoint.Header.Manifest;
        var baseManifest = ManifestLoader.LoadText(inEffect, parent.ManifestPath, [], catalog.Find, catalog.Names);
        var target = ManifestLoader.LoadText(baseManifest.ResolvedYaml, "fork", overrides, catalog.Find, catalog.Names);
        CheckForkable(baseManifest, target);

        var now = time.GetUtcNow();
        var folder = RunFolder.Create(request.RunsRoot, baseManifest.Experiment, request.RunId ?? RunFolder.NewRunId(now));
        Artifacts.AtomicFile.WriteText(folder.ManifestPath, File.ReadAllText(parent.ManifestPath));
        File.Copy(checkpoint.Source, Path.Combine(folder.CheckpointsPath, Path.GetFileName(checkpoint.Source)));
        CopyPrefix(parent.MetricsPath, folder.MetricsPath, host.MetricsBytes);
        CopyPrefix(parent.EventsPath, folder.EventsPath, host.EventsBytes);
        var diff = LiveChanges.Diff(baseManifest.FlatParameters, target.FlatParameters);
        var records = inherited.ToList();
        if (diff.Count > 0)
            records.Add(new SwapRecord
            {
                Seq = records.Count, Step = forkStep, Source = $"fork of {parentInfo.RunId} at step {forkStep}", Time = now,
                Manifest = target.ResolvedYaml, Changes = diff,
            });
        new SwapLog(folder.SwapsPath).WriteAll(records);
        var info = NewInfo(folder, target, overrides, now) with
        {
            ParentRunId = parentInfo.RunId, ParentStep = forkStep, SourceManifest = parentInfo.SourceManifest, Starts = 0,
        };
        folder.WriteInfo(info);
        var index = RunIndex.Open(request.RunsRoot);
        index.Upsert(info, folder.Path);
        index.SetParameters(info.RunId, target.FlatParameters);
        var log = RunLog.Create(folder.LogPath, request.Quiet, info.RunId);
        log.Information("run {RunId} forked from {Parent} at step {Step} (checkpoint of step {Checkpoint}); changes: {Changes}",
            info.RunId, parentInfo.RunId, forkStep, host.Step, string.Join(", ", diff.Select(d => $"{d.Key}={d.New}")));
        var restored = CheckpointFile.ReadFile(Path.Combine(folder.CheckpointsPath, Path.GetFileName(checkpoint.Source)));
        var manifest = ManifestLoader.LoadText(restored.Header.Manifest, folder.ManifestPath, [], catalog.Find, catalog.Names);
        return Prepare(folder, manifest, info with { Starts = 1 }, restored, request, index, log, time, catalog);
    }

    /// <summary>Refuses a fork whose overrides a running experiment could not take (restart-only keys).</summary>
    private static void CheckForkable(BoundManifest current, BoundManifest target)
    {
        var experiment = Experiment.Build(current, new RunLog(Serilog.Core.Logger.None));
        var plan = LiveChanges.Plan(experiment, target);
        if (plan.IsValid) return;
        throw new ManifestException(plan.Rejected.Select(r => new ManifestError("fork", 0, 0, r.Key,
            $"{r.Message}; a fork continues the parent's state, so it can change strategies and live-editable options only",
            "start a new run with this value instead (emergence run MANIFEST --set ...)")).ToList());
    }

    private static void CopyPrefix(string source, string destination, long length)
    {
        if (!File.Exists(source)) return;
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[1 << 16];
        long left = Math.Min(length, input.Length);
        while (left > 0)
        {
            int n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) break;
            output.Write(buffer, 0, n);
            left -= n;
        }
    }

    internal static RunInfo NewInfo(RunFolder folder, BoundManifest manifest, IReadOnlyList<string> overrides, DateTimeOffset now) => new()
    {
        RunId = folder.RunId, Experiment = manifest.Experiment, Plugin = manifest.Plugin.Info.Name,
        PluginVersion = manifest.Plugin.Info.Version, PluginAssemblySha256 = manifest.Plugin.AssemblySha256,
        EngineVersion = EngineInfo.Version, Seed = manifest.Seed, SourceManifest = Path.GetFullPath(manifest.SourcePath),
        Overrides = overrides, Created = now, Updated = now,
    };

    private static PreparedRun Prepare(RunFolder folder, BoundManifest manifest, RunInfo info, Checkpoint? checkpoint,
        RunRequest request, RunIndex index, Logger log, TimeProvider time, PluginCatalog? catalog)
    {
        var experiment = Experiment.Build(manifest, new RunLog(log));
        var store = new CheckpointStore(folder.CheckpointsPath, manifest.Checkpoint.KeepLast);
        HostState? host = null;
        if (checkpoint is not null)
        {
            host = Restore(experiment, checkpoint, manifest, log);
            log.Information("resuming {RunId} from step {Step}", info.RunId, host.Step);
        }
        folder.WriteInfo(info);
        index.Upsert(info, folder.Path);
        var session = new RunSession(folder, experiment, info, store, log, time)
        {
            Resumed = host,
            Progress = request.Progress,
            Status = request.Status,
            Notify = request.Notify,
            Control = request.Control,
            HotReloadDebounce = request.HotReloadDebounce,
            Catalog = catalog,
            Checkpointed = (step, metrics) =>
            {
                folder.WriteInfo(info with { Step = step, Updated = time.GetUtcNow() });
                index.Upsert(info with { Step = step, Updated = time.GetUtcNow() }, folder.Path);
                index.SetMetrics(info.RunId, step, metrics);
            },
        };
        return new PreparedRun(folder, info, session, index, log, store, time, manifest.Stop.MaxSteps);
    }

    private static HostState Restore(Experiment experiment, Checkpoint checkpoint, BoundManifest manifest, Serilog.ILogger log)
    {
        var header = checkpoint.Header;
        if (header.PluginName != manifest.Plugin.Info.Name)
            throw new InvalidDataException($"checkpoint belongs to plugin '{header.PluginName}', the run uses '{manifest.Plugin.Info.Name}'");
        if (header.AssemblySha256 != manifest.Plugin.AssemblySha256)
            log.Warning("the {Plugin} plugin was rebuilt since this checkpoint (version {Old} → {New}); resume is exact only with the same build",
                header.PluginName, header.PluginVersion, manifest.Plugin.Info.Version);
        experiment.Restore(checkpoint);
        return HostState.Load(checkpoint.State.Section("host"));
    }
}
