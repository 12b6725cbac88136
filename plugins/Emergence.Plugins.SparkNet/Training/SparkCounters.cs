using Emergence.Contracts.State;

namespace Emergence.Plugins.SparkNet.Training;

/// <summary>Cheap per-move counters, accumulated every step; rates are over the moves since the last metrics step.</summary>
internal sealed class SparkCounters(int n)
{
    /// <summary>Moves since the last metrics step.</summary>
    public long Moves;

    /// <summary>ε-jumps since the last metrics step.</summary>
    public long Explored;

    /// <summary>Self-moves (q = p) since the last metrics step.</summary>
    public long SelfMoves;

    /// <summary>Returns (q = the position two moves back) since the last metrics step.</summary>
    public long Returns;

    /// <summary>Respawns since the last metrics step.</summary>
    public long Respawns;

    /// <summary>Respawns since the start.</summary>
    public long RespawnsTotal;

    /// <summary>Moves since the start.</summary>
    public long MovesTotal;

    /// <summary>Landings per neuron since the start.</summary>
    public long[] Visits { get; private set; } = new long[n];

    /// <summary>Starts a new metrics window.</summary>
    public void ResetWindow() => Moves = Explored = SelfMoves = Returns = Respawns = 0;

    public void Save(IStateWriter writer)
    {
        writer.WriteInt64s("window", [Moves, Explored, SelfMoves, Returns, Respawns]);
        writer.WriteInt64("respawns_total", RespawnsTotal);
        writer.WriteInt64("moves_total", MovesTotal);
        writer.WriteInt64s("visits", Visits);
    }

    public void Load(IStateReader reader)
    {
        var window = reader.ReadInt64s("window", out _);
        if (window.Length != 5) throw new StateFormatException($"trainer.counters.window has {window.Length} values, expected 5");
        (Moves, Explored, SelfMoves, Returns, Respawns) = (window[0], window[1], window[2], window[3], window[4]);
        RespawnsTotal = reader.ReadInt64("respawns_total");
        MovesTotal = reader.ReadInt64("moves_total");
        var visits = reader.ReadInt64s("visits", out _);
        if (visits.Length != Visits.Length) throw new StateFormatException($"trainer.counters.visits has {visits.Length} values, expected {Visits.Length}");
        Visits = visits;
    }
}
