using System.Buffers;
using System.Security.Cryptography;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Runs;

/// <summary>
/// A fingerprint of everything that determines a run's future: every RNG stream and the model,
/// trainer and strategy state — but not the host's bookkeeping (wall time, file offsets) or the
/// header (run id, creation time). Two runs with equal hashes at the same step continue identically.
/// </summary>
internal static class StateHash
{
    /// <summary>Lower-case hex SHA-256 of the checkpoint's RNG map and its state without <c>host</c>.</summary>
    public static string Of(Checkpoint checkpoint)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new MsgPackWriter(buffer))
        {
            checkpoint.Root.TryGet("rng", out var rng);
            writer.Write(rng);
            var state = checkpoint.StateValue.AsMap().Where(p => !(p.Key.Kind == MsgPackKind.Str && p.Key.AsString() == "host")).ToArray();
            writer.Write(MsgPackValue.FromMap(state));
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
