using System.Buffers;
using Emergence.Contracts.Random;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;

namespace Emergence.Fuzz;

/// <summary>Valid starting documents: a document of every family, a small checkpoint, plus corpus files.</summary>
internal static class Seeds
{
    public static List<byte[]> Build(string? corpus)
    {
        var seeds = new List<byte[]> { Families(), Checkpoint() };
        if (corpus is not null && Directory.Exists(corpus))
            seeds.AddRange(Directory.EnumerateFiles(corpus).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Where(b => b.Length <= 1 << 20));
        return seeds;
    }

    private static byte[] Families()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MsgPackWriter(buffer);
        w.WriteMapHeader(12);
        w.WriteString("ints"); w.WriteArrayHeader(8);
        foreach (long v in new[] { 1L, -20, 200, -200, 70_000, -70_000, 1L << 40, long.MinValue }) w.WriteInt64(v);
        w.WriteString("u64"); w.WriteUInt64(ulong.MaxValue);
        w.WriteString("floats"); w.WriteArrayHeader(2); w.WriteFloat32(0.25f); w.WriteFloat64(-1e300);
        w.WriteString("text"); w.WriteString(new string('t', 40) + "ü");
        w.WriteString("bin"); w.WriteBin(new byte[300]);
        w.WriteInt64(7); w.WriteNil();
        w.WriteString("ext"); w.WriteExt(3, [1, 2, 3]);
        w.WriteString("fixext"); w.WriteExt(-5, new byte[16]);
        w.WriteString("ts"); w.WriteArrayHeader(3); w.WriteTimestamp(1, 0); w.WriteTimestamp(1, 5); w.WriteTimestamp(-1, 5);
        w.WriteString("array16"); w.WriteArrayHeader(16);
        for (int i = 0; i < 16; i++) w.WriteBool(i % 2 == 0);
        w.WriteString("map16"); w.WriteMapHeader(16);
        for (int i = 0; i < 16; i++) { w.WriteInt64(i); w.WriteArrayHeader(1); w.WriteMapHeader(0); }
        w.WriteString("str16"); w.WriteString(new string('s', 300));
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Checkpoint()
    {
        var state = new StateTreeWriter();
        var model = state.Section("model");
        model.WriteFloats("w", [1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        model.WriteDoubles("b", [0.5]);
        model.WriteInt32s("i", [1, 2]);
        model.WriteInt64s("l", [3]);
        model.WriteBytes("raw", [1, 2, 3]);
        var trainer = state.Section("trainer");
        trainer.WriteInt64("epoch", 2);
        trainer.WriteDouble("lr", 0.01);
        trainer.WriteBool("on", true);
        trainer.WriteString("phase", "warmup");
        trainer.WriteRng("r", new RngStream(3));
        var header = new CheckpointHeader("0.1.0", "Fuzz", "1.0", new string('0', 64), "fuzz", "run", 5,
            DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000), "seed: 1\n");
        var rngs = new Dictionary<string, RngStream> { ["simulation"] = new RngStream(1) };
        return CheckpointFile.ToBytes(header, rngs, state);
    }
}
