using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Checkpoints;

/// <summary>A verified, decoded checkpoint. Its tensors are slices of the bytes it was read from.</summary>
internal sealed class Checkpoint
{
    private readonly Dictionary<string, RngState> _rngs;

    internal Checkpoint(string source, CheckpointHeader header, Dictionary<string, RngState> rngs, IStateReader state, MsgPackValue stateValue, MsgPackValue root)
    {
        Source = source;
        Header = header;
        _rngs = rngs;
        State = state;
        StateValue = stateValue;
        Root = root;
        RngPurposes = [.. rngs.Keys];
    }

    /// <summary>The file path (or description) it was read from.</summary>
    public string Source { get; }

    /// <summary>Engine, plugin, experiment, run, step, creation time and manifest.</summary>
    public CheckpointHeader Header { get; }

    /// <summary>The state tree (sections model/trainer/strategies/host as the host wrote them).</summary>
    public IStateReader State { get; }

    /// <summary>The raw state map, for tools that walk it (e.g. <c>emergence inspect</c>).</summary>
    public MsgPackValue StateValue { get; }

    /// <summary>The whole decoded top-level map.</summary>
    public MsgPackValue Root { get; }

    /// <summary>The RNG purposes stored, in file order.</summary>
    public IReadOnlyList<string> RngPurposes { get; }

    /// <summary>Whether an RNG stream for <paramref name="purpose"/> is stored.</summary>
    public bool HasRng(string purpose) => _rngs.ContainsKey(purpose);

    /// <summary>Restores the stored stream for <paramref name="purpose"/> into <paramref name="into"/>.</summary>
    public void RestoreRng(string purpose, RngStream into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!_rngs.TryGetValue(purpose, out var state))
            throw new StateFormatException($"checkpoint '{Source}' has no RNG stream '{purpose}' (present: {string.Join(", ", RngPurposes)})");
        into.SetState(state);
    }
}
