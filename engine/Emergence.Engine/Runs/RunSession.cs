using System.Diagnostics;
using Emergence.Contracts.Components;
using Emergence.Engine.Artifacts;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
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

/// <summary>
/// Runs the loop of one experiment in one process: step → metrics → due visualizers → due
/// checkpoint → stop conditions. Stopping (by token) finishes the current step, then writes a
/// checkpoint. Metrics and events written after the last checkpoint are cut off on resume,
/// so a run killed at any moment resumes to exactly the stream of a run that never stopped.
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
    private MetricsWriter _metrics = null!;
    private EventsWriter _events = null!;

    /// <summary>Closes the metrics and events files.</summary>
    public void Dispose()
    {
        _metrics?.Dispose();
        _events?.Dispose();
    }
    private double _elapsedBefore;
    private long _lastCheckpointStep = -1;
    private long _lastCheckpointTicks;

    /// <summary>Steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>Receives the step count and latest metrics after each step (the progress line).</summary>
    public Action<long, IReadOnlyDictionary<string, double>>? Progress { get; init; }

    /// <summary>Called after each checkpoint with its step (index updates).</summary>
    public Action<long, IReadOnlyDictionary<string, double>>? Checkpointed { get; init; }

    /// <summary>The host section of the checkpoint being resumed from, or null for a fresh start.</summary>
    public HostState? Resumed { get; init; }

    /// <summary>Runs until a stop condition, the trainer's end, a failure, or <paramref name="stop"/>.</summary>
    public RunResult Run(CancellationToken stop)
    {
        var manifest = experiment.Manifest;
        Step = Resumed?.Step ?? 0;
        _elapsedBefore = Resumed?.ElapsedSeconds ?? 0;
        _lastCheckpointStep = Resumed is null ? -1 : Step;
        _metrics = new MetricsWriter(folder.MetricsPath, Resumed?.MetricsBytes ?? 0);
        _events = new EventsWriter(folder.EventsPath, Resumed?.EventsBytes ?? 0);
        _events.BeginStep(Step);
        _events.Host(Resumed is null ? "run_started" : "run_resumed", new Dictionary<string, object?>
        {
            ["run_id"] = info.RunId, ["plugin"] = manifest.Plugin.Info.Name, ["plugin_version"] = manifest.Plugin.Info.Version,
        });
        _clock.Start();
        _lastCheckpointTicks = _clock.ElapsedTicks;
        var result = Loop(stop);
        Finish(result);
        return result;
    }

    private RunResult Loop(CancellationToken stop)
    {
        var manifest = experiment.Manifest;
        var trainer = experiment.Trainer;
        long metricsEvery = manifest.MetricsEvery;
        long maxSteps = manifest.Stop.MaxSteps ?? long.MaxValue;
        var target = manifest.Stop.Metric;
        long? everySteps = manifest.Checkpoint.EverySteps;
        long everyTicks = manifest.Checkpoint.Every is { } every ? (long)(every.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        long wallTicks = manifest.Stop.WallTime is { } wall
            ? (long)((wall.TotalSeconds - _elapsedBefore) * Stopwatch.Frequency) : long.MaxValue;
        if (Step >= maxSteps) return new RunResult(RunEnd.Completed, Step, $"max_steps {maxSteps} reached");
        while (true)
        {
            if (stop.IsCancellationRequested) return new RunResult(RunEnd.Stopped, Step, "stop requested");
            long step = Step + 1;
            _metrics.BeginStep(step);
            _events.BeginStep(step);
            StepOutcome outcome;
            try
            {
                outcome = trainer.Step(new StepContext(step, step % metricsEvery == 0 || step == maxSteps, _metrics, _events));
            }
            catch (Exception e)
            {
                log.Error(e, "trainer failed at step {Step}; the last checkpoint (step {Checkpoint}) is still valid", step, _lastCheckpointStep);
                return new RunResult(RunEnd.Failed, Step, $"trainer threw at step {step}: {e.GetType().Name}: {e.Message}");
            }
            Step = step;
            RenderDue(step);
            long ticks = _clock.ElapsedTicks;
            if ((everySteps is { } n && step % n == 0) || ticks - _lastCheckpointTicks >= everyTicks) SaveCheckpoint();
            Progress?.Invoke(step, _metrics.Latest);
            if (outcome == StepOutcome.Finished) return new RunResult(RunEnd.Completed, step, "the trainer finished");
            if (step >= maxSteps) return new RunResult(RunEnd.Completed, step, $"max_steps {maxSteps} reached");
            if (target is not null && _metrics.Latest.TryGetValue(target.Name, out double value) && IsMet(target, value))
                return new RunResult(RunEnd.Completed, step, $"metric {target.Name} = {value} met its target");
            if (ticks >= wallTicks) return new RunResult(RunEnd.Stopped, step, "wall_time reached");
        }
    }

    private static bool IsMet(MetricTarget target, double value) =>
        (target.Below is { } below && value < below) || (target.Above is { } above && value > above);

    private void RenderDue(long step)
    {
        foreach (var v in experiment.Visualizers)
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
        var manifest = experiment.Manifest;
        _events.BeginStep(Step);
        if (result.End != RunEnd.Failed)
        {
            // Checkpoint first: the final render must not enter the state a resumed run continues from.
            if (manifest.Checkpoint.OnStop && _lastCheckpointStep != Step) SaveCheckpoint();
            if (manifest.VisualizeFinal)
                foreach (var v in experiment.Visualizers) Render(v, Step, final: true);
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

    private void SaveCheckpoint()
    {
        using var state = new StateTreeWriter();
        experiment.Save(state);
        var host = new HostState(Step, _metrics.Flush(), _events.Flush(), _elapsedBefore + _clock.Elapsed.TotalSeconds);
        host.Save(state.Section("host"));
        var manifest = experiment.Manifest;
        var header = new CheckpointHeader(EngineInfo.Version, manifest.Plugin.Info.Name, manifest.Plugin.Info.Version,
            manifest.Plugin.AssemblySha256, manifest.Experiment, info.RunId, Step, time.GetUtcNow(), manifest.ResolvedYaml);
        checkpoints.Save(header, experiment.Rngs.Streams, state);
        _lastCheckpointStep = Step;
        _lastCheckpointTicks = _clock.ElapsedTicks;
        Checkpointed?.Invoke(Step, _metrics.Latest);
    }
}
