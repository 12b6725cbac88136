using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;

namespace Emergence.Engine.Manifests;

/// <summary>The manifest's <c>stop</c> section. Bound by the same binder as plugin options.</summary>
internal sealed class StopOptions : IValidatableOptions
{
    /// <summary>Stop after this many steps.</summary>
    [Description("Stop after this many steps. Default: none. Range: >= 1.")]
    [Range(1, long.MaxValue)]
    public long? MaxSteps { get; set; }

    /// <summary>Stop after this much wall-clock time.</summary>
    [Description("Stop after this much wall-clock time (90s, 10m, 2h, 1d, 1h30m or hh:mm:ss). Default: none.")]
    public TimeSpan? WallTime { get; set; }

    /// <summary>Stop when a metric crosses a threshold.</summary>
    [Description("Stop when a metric crosses a threshold: {name, below | above}. Default: none.")]
    public MetricStopOptions? Metric { get; set; }

    /// <inheritdoc />
    public void Validate(OptionErrors errors)
    {
        if (WallTime is { } wallTime && wallTime <= TimeSpan.Zero)
            errors.Add("wall_time", $"wall_time must be longer than 0, got {Duration.Format(wallTime)}", "give a positive duration such as 10m or 2h, or delete the key");
    }
}

/// <summary><c>stop.metric</c>: stop when a metric falls below or rises above a threshold.</summary>
internal sealed class MetricStopOptions : IValidatableOptions
{
    /// <summary>The metric's name as the trainer reports it.</summary>
    [Description("Name of the metric, as the trainer reports it. Required.")]
    public string Name { get; set; } = "";

    /// <summary>Stop when the metric is below this value.</summary>
    [Description("Stop when the metric is below this value. Exactly one of below/above.")]
    public double? Below { get; set; }

    /// <summary>Stop when the metric is above this value.</summary>
    [Description("Stop when the metric is above this value. Exactly one of below/above.")]
    public double? Above { get; set; }

    /// <inheritdoc />
    public void Validate(OptionErrors errors)
    {
        if (Name.Length == 0)
            errors.Add("name", "stop.metric needs the metric's name", "add 'name: loss' (or another metric the trainer reports)");
        if (Below.HasValue == Above.HasValue)
            errors.Add(Below.HasValue ? "above" : "", "stop.metric needs exactly one of 'below' and 'above'",
                Below.HasValue ? "delete one of 'below' and 'above'" : "add 'below: 0.01' or 'above: 0.99'");
    }
}

/// <summary>The manifest's <c>checkpoint</c> section.</summary>
internal sealed class CheckpointOptions
{
    /// <summary>Write a checkpoint every this many steps.</summary>
    [Description("Write a checkpoint every this many steps. Default: none. Range: >= 1.")]
    [Range(1, long.MaxValue)]
    public long? EverySteps { get; set; }

    /// <summary>Write a checkpoint every this many minutes of wall-clock time.</summary>
    [Description("Write a checkpoint every this many minutes of wall-clock time. Default: none. Range: > 0.")]
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true)]
    public double? EveryMinutes { get; set; }

    /// <summary>How many checkpoints to keep.</summary>
    [Description("How many checkpoints to keep (older ones are deleted). Default 3. Range: [1, 1000].")]
    [Range(1, 1000)]
    public int KeepLast { get; set; } = 3;

    /// <summary>Write a checkpoint when the run stops.</summary>
    [Description("Write a checkpoint when the run stops (stop condition, Ctrl+C, SIGTERM). Default true.")]
    public bool OnStop { get; set; } = true;
}

/// <summary>The manifest's <c>metrics</c> section.</summary>
internal sealed class MetricsOptions
{
    /// <summary>Metrics are due every this many steps (and on the last step).</summary>
    [Description("StepContext.MetricsDue is true every this many steps and on the last step. Default 100. Range: >= 1.")]
    [Range(1, long.MaxValue)]
    public long Every { get; set; } = 100;
}

/// <summary>The manifest's <c>visualize</c> section.</summary>
internal sealed class VisualizeOptions
{
    /// <summary>Default render interval in steps for visualizers; 0 renders only at the end.</summary>
    [Description("Default render interval (steps) of every visualizer; 0 = only the final render. Default 0. Range: >= 0.")]
    [Range(0, long.MaxValue)]
    public long Every { get; set; }

    /// <summary>Render every enabled visualizer once at the end of the run.</summary>
    [Description("Render every enabled visualizer once at the end of the run. Default true.")]
    public bool Final { get; set; } = true;
}

/// <summary>The manifest's <c>daemon</c> section (reserved for the daemon).</summary>
internal sealed class DaemonOptions : IValidatableOptions
{
    /// <summary>Run under the daemon; allows a manifest without stop conditions.</summary>
    [Description("Run under the daemon; a manifest without any stop condition is valid only then. Default false.")]
    public bool Enabled { get; set; }

    /// <summary>Crashes within <see cref="RestartWindow"/> before the experiment is marked failed.</summary>
    [Description("Worker crashes tolerated within restart_window; one more marks the experiment failed. Default 5. Range: 0..1000000.")]
    [Range(0, 1_000_000)]
    public int MaxRestarts { get; set; } = 5;

    /// <summary>The window over which crashes are counted.</summary>
    [Description("The window over which worker crashes are counted (e.g. 10m). Default 10m.")]
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Delay before the first restart; doubled after each further crash.</summary>
    [Description("Delay before restarting a crashed worker; doubles with each further crash in the window (e.g. 1s). Default 1s.")]
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between restarts.</summary>
    [Description("Longest delay between restarts (e.g. 1m). Default 1m.")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public void Validate(OptionErrors errors)
    {
        if (RestartWindow <= TimeSpan.Zero) errors.Add("restart_window", "restart_window must be positive", "give a duration such as 10m");
        if (BackoffInitial < TimeSpan.Zero) errors.Add("backoff_initial", "backoff_initial must not be negative", "give a duration such as 1s");
        if (BackoffMax < BackoffInitial)
            errors.Add("backoff_max", $"backoff_max ({Duration.Format(BackoffMax)}) is shorter than backoff_initial ({Duration.Format(BackoffInitial)})",
                "make backoff_max at least backoff_initial");
    }
}

/// <summary>Engine keys inside each <c>visualizers.NAME</c> entry, next to the visualizer's own options.</summary>
internal sealed class VisualizerScheduleOptions
{
    /// <summary>Render interval in steps; defaults to <c>visualize.every</c>.</summary>
    [Description("Render interval (steps) of this visualizer; 0 = only the final render. Default: visualize.every. Range: >= 0.")]
    [Range(0, long.MaxValue)]
    public long? Every { get; set; }

    /// <summary>False skips this visualizer.</summary>
    [Description("False skips this visualizer. Default true.")]
    public bool Enabled { get; set; } = true;
}
