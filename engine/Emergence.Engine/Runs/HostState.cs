using Emergence.Contracts.State;

namespace Emergence.Engine.Runs;

/// <summary>
/// The host's own part of a checkpoint (<c>state.host</c>): the step, how far the metrics and
/// events files had been written (so later rows are cut off on resume), the wall time used, and how many
/// recorded live changes (<c>swaps.jsonl</c>) the state already includes (later ones are replayed on resume).
/// </summary>
internal sealed record HostState(long Step, long MetricsBytes, long EventsBytes, double ElapsedSeconds, int SwapsApplied = 0)
{
    public void Save(IStateWriter writer)
    {
        writer.WriteInt64("step", Step);
        writer.WriteInt64("metrics_bytes", MetricsBytes);
        writer.WriteInt64("events_bytes", EventsBytes);
        writer.WriteDouble("elapsed_seconds", ElapsedSeconds);
        writer.WriteInt64("swaps_applied", SwapsApplied);
    }

    public static HostState Load(IStateReader reader) => new(
        reader.ReadInt64("step"), reader.ReadInt64("metrics_bytes"), reader.ReadInt64("events_bytes"),
        reader.ReadDouble("elapsed_seconds"), reader.Contains("swaps_applied") ? (int)reader.ReadInt64("swaps_applied") : 0);
}

/// <summary>The engine's identity, written into checkpoints and run records.</summary>
internal static class EngineInfo
{
    /// <summary>The engine's informational version.</summary>
    public static string Version { get; } =
        typeof(EngineInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
