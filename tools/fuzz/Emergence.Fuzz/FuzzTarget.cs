using System.Diagnostics;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;

namespace Emergence.Fuzz;

/// <summary>The outcome of one input.</summary>
/// <param name="Accepted">Whether the decoder accepted it.</param>
/// <param name="CheckpointAccepted">Whether the checkpoint reader accepted it (checksum and layout passed).</param>
/// <param name="Failure">What went wrong, or null.</param>
/// <param name="Ticks">Stopwatch ticks spent.</param>
/// <param name="Allocated">Bytes allocated on this thread.</param>
internal readonly record struct Outcome(bool Accepted, bool CheckpointAccepted, string? Failure, long Ticks, long Allocated);

/// <summary>Runs one input through the decoder, the checkpoint reader and the state reader.</summary>
internal sealed class FuzzTarget
{
    /// <summary>Inputs slower than this are findings (a hang is caught separately by the watchdog).</summary>
    private static readonly long SlowTicks = Stopwatch.Frequency; // 1 s

    /// <summary>Allocation bound: decoded values take at most ~40 bytes per input byte, plus fixed overhead.</summary>
    private const long AllocPerByte = 128, AllocFixed = 1 << 20;

    public Outcome Run(byte[] input)
    {
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        string? failure = null;
        bool accepted = false, checkpoint = false;
        try
        {
            accepted = Decode(input);
            checkpoint = ReadCheckpoint(input);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = $"{e.GetType().Name}: {e.Message}";
        }
        long ticks = Stopwatch.GetTimestamp() - start;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        if (failure is null && ticks > SlowTicks) failure = $"Slow: {ticks * 1000 / Stopwatch.Frequency} ms";
        if (failure is null && allocated > AllocFixed + AllocPerByte * input.Length)
            failure = $"Alloc: {allocated:N0} bytes for a {input.Length}-byte input";
        return new Outcome(accepted, checkpoint, failure, ticks, allocated);
    }

    private static bool Decode(byte[] input)
    {
        try
        {
            var value = MsgPackDecoder.Decode(input);
            _ = value.ToString();
            return true;
        }
        catch (MsgPackFormatException)
        {
            return false; // expected for hostile input
        }
    }

    private static bool ReadCheckpoint(byte[] input)
    {
        Checkpoint checkpoint;
        try
        {
            checkpoint = CheckpointFile.Read(input, "fuzz");
        }
        catch (CheckpointCorruptException)
        {
            return false; // expected
        }
        foreach (var purpose in checkpoint.RngPurposes) checkpoint.RestoreRng(purpose, new RngStream(1));
        Walk(checkpoint.State, 0);
        return true;
    }

    /// <summary>Reads every key as every type; only <see cref="StateFormatException"/> is acceptable.</summary>
    private static void Walk(IStateReader reader, int depth)
    {
        foreach (var key in reader.Keys)
        {
            Try(() => reader.ReadInt64(key));
            Try(() => reader.ReadDouble(key));
            Try(() => reader.ReadBool(key));
            Try(() => reader.ReadString(key));
            Try(() => reader.ReadBytes(key));
            Try(() => reader.ReadFloats(key, out _));
            Try(() => reader.ReadDoubles(key, out _));
            Try(() => reader.ReadInt32s(key, out _));
            Try(() => reader.ReadInt64s(key, out _));
            Try(() => reader.ReadRng(key, new RngStream(1)));
            if (depth < 70)
            {
                IStateReader? section = null;
                Try(() => section = reader.Section(key));
                if (section is not null) Walk(section, depth + 1);
            }
        }
    }

    private static void Try(Action read)
    {
        try
        {
            read();
        }
        catch (StateFormatException)
        {
            // expected: a wrong-type read of hostile state
        }
    }
}
