using System.Diagnostics;
using Emergence.Contracts.Components;
using Emergence.Engine.Artifacts;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Serilog;

namespace Emergence.Engine.Runs;

/// <summary>How a run ended.</summary>
internal enum RunEnd
{
    /// <summary>A stop condition or the trainer's own end was reached.</summary>
    Completed,

    /// <summary>Stopped on request (Ctrl+C, SIGTERM) or by the wall-time limit; resumable.</summary>
    Stopped,

    /// <summary>The trainer threw; the last checkpoint is still valid.</summary>
    Failed,
}

/// <summary>The result of <see cref="RunSession.Run"/>.</summary>
internal sealed record RunResult(RunEnd End, long Step, string Reason);

/// <summary>A snapshot of a running session for status reports (taken on the loop thread).</summary>
internal sealed record RunStatus(
    long Step, bool Paused, long LastCheckpointStep, string PluginVersion, string PluginSha256,
    IReadOnlyDictionary<string, string> Strategies, IReadOnlyDictionary<string, double> Metrics, int Swaps, int Reloads);

/// <summary>
/// Runs the loop of one experiment in one process: step → metrics → due visualizers → due
/// checkpoint → live changes (replayed swaps, control commands, plugin reload) → stop conditions.
/// Stopping (by token or command) finishes the current step, then writes a checkpoint. Metrics and
/// events written after the last checkpoint are cut off on resume, so a run killed at any moment
/// resumes to exactly the stream of a run that never stopped; swaps are kept and replayed at their steps.
/// </summary>
internal sealed class RunSession(
    RunFolder folder,
    Experiment experiment,
    RunInfo info,
    CheckpointStore checkpoints,
    ILogger log,
    TimeProvider time) : IDisposable
{
    private readonly Stopwatch _clock = new();
    private readonly SwapLog _swapLog = new(folder.SwapsPath);
    private Experiment _experiment = experiment;
    private MetricsWriter _metrics = null!;
    private EventsWriter _events = null!;
    private double _elapsedBefore;
    private long _lastCheckpointStep = -1;
    private long _lastCheckpointTicks;
    private int _swapsApplied;
    private int _reloads;
    private Queue<SwapRecord> _replays = new();
    private readonly List<PendingUnload> _unloading = [];
    private long _lastUnloadCheck;
    private bool _paused;
    private bool _stopRequested;
    private PluginWatcher? _watcher;
    private long _lastWatchTicks;

    /// <summary>Closes the metrics and events files.</summary>
    public void Dispose()
    {
        _metrics?.Dispose();
        _events?.Dispose();
    }

    /// <summary>Steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>The experiment running now (replaced by a plugin reload).</summary>
    public Experiment Experiment => _experiment;

    /// <summary>Receives the step count and latest metrics after each step (the progress line).</summary>
    public Action<long, IReadOnlyDictionary<string, double>>? Progress { get; init; }

    /// <summary>Called after each checkpoint with its step (index updates).</summary>
    public Action<long, IReadOnlyDictionary<string, double>>? Checkpointed { get; init; }

    /// <summary>Receives a status snapshot about every <see cref="StatusInterval"/> and after every command.</summary>
    public Action<RunStatus>? Status { get; init; }

    /// <summary>How often <see cref="Status"/> is called while stepping.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Receives a swap, reload or rejection as it happens (the daemon's event tail).</summary>
    public Action<string, IReadOnlyDictionary<string, object?>>? Notify { get; init; }

    /// <summary>Commands from the daemon or a test; null when nobody can send any.</summary>
    public RunControl? Control { get; init; }

    /// <summary>Reload the plugin when its folder changes (debounced); null = never.</summary>
    public TimeSpan? HotReloadDebounce { get; init; }

    /// <summary>The catalog the plugin came from; a reload puts the new build in it.</summary>
    public PluginCatalog? Catalog { get; init; }

    /// <summary>The host section of the checkpoint being resumed from, or null for a fresh start.</summary>
    public HostState? Resumed { get; init; }

    /// <summary>Runs until a stop condition, the trainer's end, a failure, or <paramref name="stop"/>.</summary>
    public RunResult Run(CancellationToken stop)
    {
        Begin();
        var result = Loop(stop);
        Finish(result);
        Control?.RefuseRemaining(Step, $"the run has ended ({result.End.ToString().ToLowerInvariant()}: {result.Reason})");
        return result;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Begin()
    {
        var manifest = _experiment.Manifest;
        Step = Resumed?.Step ?? 0;
        _elapsedBefore = Resumed?.ElapsedSeconds ?? 0;
        _lastCheckpointStep = Resumed is null ? -1 : Step;
        _swapsApplied = Resumed?.SwapsApplied ?? 0;
        _replays = new Queue<SwapRecord>(_swapLog.ReadAll().Where(r => r.Seq >= _swapsApplied).OrderBy(r => r.Seq));
        _metrics = new MetricsWriter(folder.MetricsPath, Resumed?.MetricsBytes ?? 0);
        _events = new EventsWriter(folder.EventsPath, Resumed?.EventsBytes ?? 0);
        if (HotReloadDebounce is { } debounce && manifest.Plugin.AssemblyPath is { } path) _watcher = new PluginWatcher(path, debounce);
        _events.BeginStep(Step);
        _events.Host(Resumed is null ? "run_started" : "run_resumed", new Dictionary<string, object?>
        {
            ["run_id"] = info.RunId, ["plugin"] = manifest.Plugin.Info.Name, ["plugin_version"] = manifest.Plugin.Info.Version,
        });
        if (_replays.Count > 0) log.Information("{Count} recorded live change(s) will be replayed at their steps", _replays.Count);
        _clock.Start();
        _lastCheckpointTicks = _clock.ElapsedTicks;
    }

    private RunResult Loop(CancellationToken stop)
    {
        long statusTicks = (long)(StatusInterval.TotalSeconds * Stopwatch.Frequency);
        long lastStatus = 0;
        Boundary(stop);
        // No local here may hold the experiment or its manifest across Boundary(): a plugin reload
        // replaces them there, and the old plugin's load context can only be collected if nothing refers to it.
        while (true)
        {
            long maxSteps = _experiment.Manifest.Stop.MaxSteps ?? long.MaxValue;
            if (Step >= maxSteps) return new RunResult(RunEnd.Completed, Step, $"max_steps {maxSteps} reached");
            if (stop.IsCancellationRequested) return new RunResult(RunEnd.Stopped, Step, "stop requested");
            if (_stopRequested) return new RunResult(RunEnd.Stopped, Step, "stop requested by control command");
            var (outcome, failure) = StepOnce(maxSteps);
            if (failure is not null) return failure;
            if (Status is not null && _clock.ElapsedTicks - lastStatus >= statusTicks)
            {
                lastStatus = _clock.ElapsedTicks;
                Status(Snapshot());
            }
            if (outcome == StepOutcome.Finished) return new RunResult(RunEnd.Completed, Step, "the trainer finished");
            Boundary(stop);
            if (StopConditionMet() is { } end) return end;
        }
    }

    /// <summary>One step: the trainer, due visualizers, a due checkpoint, progress.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private (StepOutcome Outcome, RunResult? Failure) StepOnce(long maxSteps)
    {
        var manifest = _experiment.Manifest;
        long step = Step + 1;
        _metrics.BeginStep(step);
        _events.BeginStep(step);
        StepOutcome outcome;
        try
        {
            outcome = _experiment.Trainer.Step(new StepContext(step, step % manifest.MetricsEvery == 0 || step == maxSteps, _metrics, _events));
        }
        catch (Exception e)
        {
            log.Error(e, "trainer failed at step {Step}; the last checkpoint (step {Checkpoint}) is still valid", step, _lastCheckpointStep);
            return (StepOutcome.Continue, new RunResult(RunEnd.Failed, Step, $"trainer threw at step {step}: {e.GetType().Name}: {e.Message}"));
        }
        Step = step;
        RenderDue(step);
        var policy = manifest.Checkpoint;
        long everyTicks = policy.Every is { } every ? (long)(every.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        if ((policy.EverySteps is { } n && step % n == 0) || _clock.ElapsedTicks - _lastCheckpointTicks >= everyTicks) SaveCheckpoint();
        Progress?.Invoke(step, _metrics.Latest);
        return (outcome, null);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private RunResult? StopConditionMet()
    {
        var stop = _experiment.Manifest.Stop;
        if (Step >= (stop.MaxSteps ?? long.MaxValue)) return new RunResult(RunEnd.Completed, Step, $"max_steps {stop.MaxSteps} reached");
        if (stop.Metric is { } target && _metrics.Latest.TryGetValue(target.Name, out double value) && IsMet(target, value))
            return new RunResult(RunEnd.Completed, Step, $"metric {target.Name} = {value} met its target");
        if (stop.WallTime is { } wall && _elapsedBefore + _clock.Elapsed.TotalSeconds >= wall.TotalSeconds)
            return new RunResult(RunEnd.Stopped, Step, "wall_time reached");
        return null;
    }

    /// <summary>An old plugin load context after a reload, until it is confirmed collected.</summary>
    private sealed record PendingUnload(WeakReference Context, string Version, long Step, long Ticks);

    /// <summary>How long an unloaded context may take to be collected before it is reported as leaked.</summary>
    public TimeSpan UnloadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Confirms old plugin contexts are collected, off the reload's path: at most every 100 ms while any is
    /// pending, a full collection, then an event <c>plugin_context_collected</c> (or <c>plugin_context_leaked</c>
    /// once <see cref="UnloadTimeout"/> has passed, naming the old version; the run continues either way).
    /// </summary>
    private void CheckUnloads()
    {
        if (_unloading.Count == 0 || _clock.ElapsedTicks - _lastUnloadCheck < Stopwatch.Frequency / 10) return;
        _lastUnloadCheck = _clock.ElapsedTicks;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _events.BeginStep(Step);
        for (int i = _unloading.Count - 1; i >= 0; i--)
        {
            var pending = _unloading[i];
            double ms = Math.Round((_clock.ElapsedTicks - pending.Ticks) * 1000.0 / Stopwatch.Frequency, 1);
            bool collected = !pending.Context.IsAlive;
            if (!collected && ms < UnloadTimeout.TotalMilliseconds) continue;
            _unloading.RemoveAt(i);
            var fields = new Dictionary<string, object?>
            {
                ["old_version"] = pending.Version, ["reload_step"] = pending.Step, ["after_ms"] = ms, ["collected"] = collected,
            };
            _events.Host(collected ? "plugin_context_collected" : "plugin_context_leaked", fields);
            Notify?.Invoke(collected ? "plugin_context_collected" : "plugin_context_leaked", fields);
            if (!collected)
                log.Warning("the load context of plugin version {Version} (reloaded at step {Step}) was not collected within {Ms} ms; " +
                            "something still references the old plugin's objects", pending.Version, pending.Step, ms);
        }
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until every old plugin context is confirmed collected or reported.</summary>
    private void DrainUnloads(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (_unloading.Count > 0 && clock.Elapsed < timeout)
        {
            _lastUnloadCheck = 0;
            CheckUnloads();
            if (_unloading.Count > 0) Thread.Sleep(20);
        }
    }

    /// <summary>Everything that happens between steps: replayed swaps due now, a plugin reload, control commands, pausing.</summary>
    private void Boundary(CancellationToken stop)
    {
        CheckUnloads();
        while (_replays.TryPeek(out var record) && record.Step <= Step)
        {
            _replays.Dequeue();
            if (record.Command is { } name) RunCommand(name, record.Args ?? [], $"replay of {record.Source}", replayOf: record);
            else ApplyChange(() => Bind(record.Manifest, $"swaps.jsonl#{record.Seq}", []), $"replay of {record.Source}", replayOf: record);
        }
        if (_watcher is not null && _clock.ElapsedTicks - _lastWatchTicks >= Stopwatch.Frequency / 4)
        {
            _lastWatchTicks = _clock.ElapsedTicks;
            if (_watcher.Poll()) Handle(new ReloadCommand("plugin folder changed"));
        }
        if (Control is null) return;
        while (Control.TryTake() is { } command) Handle(command);
        while (_paused && !_stopRequested && !stop.IsCancellationRequested)
            if (Control.Take(TimeSpan.FromMilliseconds(200), stop) is { } command) Handle(command);
    }

    private void Handle(ControlCommand command)
    {
        var reply = command switch
        {
            PauseCommand => SetPaused(true),
            ResumeCommand => SetPaused(false),
            StopCommand => RequestStop(),
            CheckpointCommand => CheckpointNow(),
            SwapCommand swap => ApplyChange(() => Bind(_experiment.Manifest.ResolvedYaml, "swap", swap.Overrides), swap.Source),
            ManifestEditCommand edit => ApplyChange(() => Bind(edit.Yaml, edit.SourcePath, []), edit.Source),
            ReloadCommand reload => ReloadPlugin(reload.Source),
            PluginCommand plugin => RunCommand(plugin.Name, plugin.Args, plugin.Source),
            _ => new ControlReply(false, Step, $"unknown command {command.GetType().Name}"),
        };
        command.Complete(reply);
        Status?.Invoke(Snapshot());
    }

    private ControlReply SetPaused(bool paused)
    {
        if (_paused == paused) return new ControlReply(true, Step, paused ? "already paused" : "not paused");
        _paused = paused;
        _events.BeginStep(Step);
        _events.Host(paused ? "paused" : "unpaused", new Dictionary<string, object?>());
        log.Information(paused ? "paused at step {Step}" : "continuing from step {Step}", Step);
        return new ControlReply(true, Step, paused ? $"paused at step {Step}" : $"continuing from step {Step}");
    }

    private ControlReply RequestStop()
    {
        _stopRequested = true;
        return new ControlReply(true, Step, $"stopping at step {Step} with a checkpoint");
    }

    private ControlReply CheckpointNow()
    {
        if (_lastCheckpointStep != Step) SaveCheckpoint();
        return new ControlReply(true, Step, $"checkpoint at step {Step}");
    }

    private BoundManifest Bind(string yaml, string source, IReadOnlyList<string> overrides)
    {
        var plugin = _experiment.Manifest.Plugin;
        return ManifestLoader.LoadText(yaml, source, overrides, name => name == plugin.Info.Name ? plugin : null, [plugin.Info.Name]);
    }

    /// <summary>Validates, plans, records and applies a live change; a rejected change leaves everything as it was.</summary>
    private ControlReply ApplyChange(Func<BoundManifest> bind, string source, SwapRecord? replayOf = null)
    {
        _events.BeginStep(Step);
        LiveChangePlan plan;
        try
        {
            var next = bind();
            if (next.Experiment != _experiment.Manifest.Experiment)
                return Rejected(source, [$"experiment: the name cannot change ('{_experiment.Manifest.Experiment}' → '{next.Experiment}'); start a new run"]);
            plan = LiveChanges.Plan(_experiment, next with { SourcePath = _experiment.Manifest.SourcePath });
        }
        catch (ManifestException e)
        {
            return Rejected(source, e.Errors.Select(x => x.ToString()).ToList());
        }
        catch (ExperimentBuildException e)
        {
            return Rejected(source, [e.Message]);
        }
        if (!plan.IsValid) return Rejected(source, plan.Rejected.Select(r => r.ToString()).ToList());
        if (plan.IsEmpty)
        {
            if (replayOf is not null) _swapsApplied++;
            return new ControlReply(true, Step, "nothing changed");
        }
        var record = replayOf ?? new SwapRecord
        {
            Seq = _swapsApplied, Step = Step, Source = source, Time = time.GetUtcNow(), Manifest = plan.Result.ResolvedYaml,
            Changes = plan.Changes,
        };
        if (replayOf is null) _swapLog.Append(record);
        LiveChanges.Apply(_experiment, plan);
        _swapsApplied++;
        var fields = new Dictionary<string, object?>
        {
            ["seq"] = record.Seq, ["origin"] = source,
            ["strategies"] = plan.StrategySwaps.ToDictionary(s => s.Key, s => (object?)new Dictionary<string, object?> { ["old"] = s.Value.Old, ["new"] = s.Value.New }),
            ["live_options"] = plan.LiveOptions,
            ["changes"] = plan.Changes.Select(c => new Dictionary<string, object?> { ["key"] = c.Key, ["old"] = c.Old, ["new"] = c.New }).ToList(),
        };
        _events.Host("swap", fields);
        Notify?.Invoke("swap", fields);
        var summary = string.Join(", ", plan.Changes.Select(c => $"{c.Key}: {c.Old ?? "(none)"} → {c.New ?? "(none)"}"));
        log.Information("live change at step {Step} ({Source}): {Changes}", Step, source, summary);
        return new ControlReply(true, Step, $"applied at step {Step}: {summary}");
    }

    /// <summary>Validates a plugin command's arguments, records it, and runs it between steps.</summary>
    private ControlReply RunCommand(string name, IReadOnlyList<string> args, string source, SwapRecord? replayOf = null)
    {
        _events.BeginStep(Step);
        var plugin = _experiment.Manifest.Plugin;
        if (!plugin.Commands.TryGetValue(name, out var command))
        {
            var known = plugin.Commands.Keys.Order(StringComparer.Ordinal).ToList();
            return Rejected(source, [$"plugin '{plugin.Info.Name}' has no command '{name}'" +
                                     (known.Count == 0 ? "; it registers no commands" : $"; its commands: {string.Join(", ", known)}")]);
        }
        object options;
        try
        {
            options = BindCommandOptions(command, args);
        }
        catch (ManifestException e)
        {
            return Rejected(source, e.Errors.Select(x => x.ToString()).ToList());
        }
        var record = replayOf ?? new SwapRecord
        {
            Seq = _swapsApplied, Step = Step, Source = source, Time = time.GetUtcNow(), Manifest = _experiment.Manifest.ResolvedYaml,
            Command = name, Args = args,
        };
        if (replayOf is null) _swapLog.Append(record);
        _swapsApplied++;
        var fields = new Dictionary<string, object?> { ["seq"] = record.Seq, ["origin"] = source, ["command"] = name, ["args"] = args };
        try
        {
            command.Factory(options, new CommandContext(_experiment.Model, _experiment.Trainer, Step, _experiment.Rngs.Get, _events, new RunLog(log)));
        }
        catch (Exception e)
        {
            fields["error"] = $"{e.GetType().Name}: {e.Message}";
            _events.Host("command_failed", fields);
            Notify?.Invoke("command_failed", fields);
            log.Error(e, "command {Command} failed at step {Step}; the run continues (the plugin may have changed part of its state)", name, Step);
            return new ControlReply(false, Step, $"command {name} failed: {e.GetType().Name}: {e.Message}");
        }
        _events.Host("command", fields);
        Notify?.Invoke("command", fields);
        log.Information("command {Command} {Args} at step {Step} ({Source})", name, string.Join(" ", args), Step, source);
        return new ControlReply(true, Step, $"{name} done at step {Step}");
    }

    private static object BindCommandOptions(ComponentDescriptor command, IReadOnlyList<string> args)
    {
        var errors = new ManifestErrorList();
        var origin = new NodeOrigin($"command {command.Name}", 0, 0);
        var root = new MapNode(origin);
        ManifestOverrides.Apply(root, args, errors);
        var options = command.CreateDefaultOptions();
        new OptionsBinder(errors).Bind(options, OptionsModel.For(command.OptionsType), root, "", $"arguments of command '{command.Name}'", []);
        if (options is Contracts.Options.IValidatableOptions validatable)
            validatable.Validate(new Contracts.Options.OptionErrors((key, message, fix) => errors.Add(origin, key, message, fix)));
        errors.ThrowIfAny();
        return options;
    }

    private ControlReply Rejected(string source, IReadOnlyList<string> errors)
    {
        var fields = new Dictionary<string, object?> { ["origin"] = source, ["errors"] = errors };
        _events.Host("swap_rejected", fields);
        Notify?.Invoke("swap_rejected", fields);
        log.Warning("live change rejected at step {Step} ({Source}); the running configuration is unchanged: {Errors}",
            Step, source, string.Join("; ", errors));
        return new ControlReply(false, Step, "rejected; the running configuration is unchanged", errors);
    }

    private ControlReply ReloadPlugin(string source)
    {
        var result = ReloadCore();
        // Only the new experiment is referenced from here on; the old context can go.
        if (result.Reloaded)
        {
            _reloads++;
            if (result.OldContext is { } weak) _unloading.Add(new PendingUnload(weak, (string)result.Fields["old_version"]!, Step, _clock.ElapsedTicks));
        }
        result.Fields["origin"] = source;
        _events.BeginStep(Step);
        var type = result.Reloaded ? "plugin_reloaded" : "plugin_reload_failed";
        if (result.Reloaded || result.Fields.ContainsKey("error"))
        {
            _events.Host(type, result.Fields);
            Notify?.Invoke(type, result.Fields);
        }
        if (result.Reloaded) log.Information("{Message} at step {Step}", result.Message, Step);
        else log.Warning("plugin reload at step {Step}: {Message}", Step, result.Message);
        return new ControlReply(result.Reloaded, Step, result.Message);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private ReloadResult ReloadCore()
    {
        var result = PluginReloader.Reload(_experiment, Header(), new RunLog(log), Catalog);
        _experiment = result.Experiment;
        return result;
    }

    private RunStatus Snapshot()
    {
        var manifest = _experiment.Manifest;
        return new RunStatus(Step, _paused, _lastCheckpointStep, manifest.Plugin.Info.Version, manifest.Plugin.AssemblySha256,
            manifest.Strategies.ToDictionary(s => s.Key, s => s.Value.Name),
            new Dictionary<string, double>(_metrics.Latest), _swapsApplied, _reloads);
    }

    private static bool IsMet(MetricTarget target, double value) =>
        (target.Below is { } below && value < below) || (target.Above is { } above && value > above);

    private void RenderDue(long step)
    {
        foreach (var v in _experiment.Visualizers)
            if (v.Every > 0 && step % v.Every == 0) Render(v, step, final: false);
    }

    private void Render(ActiveVisualizer v, long step, bool final)
    {
        try
        {
            v.Visualizer.Render(new RenderContext(step, final, new FolderArtifactSink(folder.ArtifactsPath, v.Name, step)));
        }
        catch (Exception e)
        {
            log.Warning(e, "visualizer {Visualizer} failed at step {Step}; its artifacts for this step are missing, the run continues",
                v.Name, step);
        }
    }

    private void Finish(RunResult result)
    {
        DrainUnloads(TimeSpan.FromSeconds(5));
        var manifest = _experiment.Manifest;
        _events.BeginStep(Step);
        if (result.End != RunEnd.Failed)
        {
            // Checkpoint first: the final render must not enter the state a resumed run continues from.
            if (manifest.Checkpoint.OnStop && _lastCheckpointStep != Step) SaveCheckpoint();
            if (manifest.VisualizeFinal)
                foreach (var v in _experiment.Visualizers) Render(v, Step, final: true);
        }
        _events.Host("run_ended", new Dictionary<string, object?>
        {
            ["end"] = result.End.ToString().ToLowerInvariant(), ["reason"] = result.Reason,
        });
        _metrics.Flush();
        _events.Flush();
        try
        {
            MetricsChart.RenderAll(folder.MetricsPath, Path.Combine(folder.ArtifactsPath, "metrics"));
        }
        catch (Exception e)
        {
            log.Warning(e, "metric charts could not be rendered; metrics.csv is complete");
        }
    }

    private CheckpointHeader Header()
    {
        var manifest = _experiment.Manifest;
        return new CheckpointHeader(EngineInfo.Version, manifest.Plugin.Info.Name, manifest.Plugin.Info.Version,
            manifest.Plugin.AssemblySha256, manifest.Experiment, info.RunId, Step, time.GetUtcNow(), manifest.ResolvedYaml);
    }

    private void SaveCheckpoint()
    {
        using var state = new StateTreeWriter();
        _experiment.Save(state);
        var host = new HostState(Step, _metrics.Flush(), _events.Flush(), _elapsedBefore + _clock.Elapsed.TotalSeconds, _swapsApplied);
        host.Save(state.Section("host"));
        checkpoints.Save(Header(), _experiment.Rngs.Streams, state);
        _lastCheckpointStep = Step;
        _lastCheckpointTicks = _clock.ElapsedTicks;
        Checkpointed?.Invoke(Step, _metrics.Latest);
    }
}
