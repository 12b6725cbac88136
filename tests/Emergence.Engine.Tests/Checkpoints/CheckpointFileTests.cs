using System.Buffers;
using System.Security.Cryptography;
using Emergence.Contracts.Random;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;
using Emergence.Engine.Tests.MessagePack;

namespace Emergence.Engine.Tests.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDirectory("ckpt-file");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Sample(long step = 42) =>
        CheckpointFile.ToBytes(CheckpointSamples.Header(step), CheckpointSamples.Rngs(), CheckpointSamples.State());

    [Fact]
    public void WriteThenReadFile_FullCheckpoint_RoundTrips()
    {
        var path = Path.Combine(_dir, "a.msgpack");
        var rngs = CheckpointSamples.Rngs();
        using (var file = File.Create(path)) CheckpointFile.Write(file, CheckpointSamples.Header(), rngs, CheckpointSamples.State());

        var checkpoint = CheckpointFile.ReadFile(path);

        checkpoint.Header.Should().Be(CheckpointSamples.Header());
        checkpoint.Source.Should().Be(path);
        checkpoint.RngPurposes.Should().Equal("layout", "simulation");
        foreach (var (purpose, rng) in rngs)
        {
            var restored = new RngStream(1);
            checkpoint.RestoreRng(purpose, restored);
            restored.GetState().Should().Be(rng.GetState());
        }
        checkpoint.State.Section("model").ReadFloats("weights", out var shape).Should().Equal(CheckpointSamples.Weights());
        shape.Should().Equal(3, 4);
        checkpoint.State.Section("host").ReadInt64("step").Should().Be(42);
        checkpoint.StateValue.Should().Be(CheckpointSamples.State().ToValue());
    }

    [Fact]
    public void ToBytes_Layout_IsOneMapWithKeysInOrderAndCrc32cLast()
    {
        var bytes = Sample();
        var root = MsgPackDecoder.Decode(bytes);
        root.AsMap().Select(p => p.Key.AsString()).Should().Equal(
            "format", "format_version", "engine_version", "plugin", "experiment", "run_id", "step", "created", "manifest", "rng", "state", "crc32c");
        root.TryGet("format", out var format).Should().BeTrue();
        format.AsString().Should().Be("emergence-checkpoint");
        root.TryGet("created", out var created).Should().BeTrue();
        created.Kind.Should().Be(MsgPackKind.Timestamp);
        root.TryGet("crc32c", out var crc).Should().BeTrue();
        crc.AsBin().ToArray().Should().Equal(ReferenceCrc32C(bytes.AsSpan(0, bytes.Length - 13)));
        Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - 13, 9)).Should().Be("a6637263333263c404");
        CheckpointFile.TrailerLength.Should().Be(13);
    }

    [Fact]
    public void Write_LargeTensor_HashedInParallelPathVerifiesAndRoundTrips()
    {
        // 4 MiB of floats: large enough to bypass the writer's buffer and take the parallel hash+write path.
        var data = new float[1 << 20];
        new RngStream(3).FillUniform(data);
        var state = new StateTreeWriter();
        state.Section("model").WriteFloats("big", data, [1024, 1024]);
        var path = Path.Combine(_dir, "big.msgpack");
        using (var file = File.Create(path)) CheckpointFile.Write(file, CheckpointSamples.Header(), CheckpointSamples.Rngs(), state);

        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(bytes.Length - 4).ToArray().Should().Equal(ReferenceCrc32C(bytes.AsSpan(0, bytes.Length - 13)));
        CheckpointFile.ReadFile(path).State.Section("model").ReadFloats("big", out var shape).Should().Equal(data);
        shape.Should().Equal(1024, 1024);
        bytes.Should().Equal(CheckpointFile.ToBytes(CheckpointSamples.Header(), CheckpointSamples.Rngs(), state), "file and memory writers produce the same bytes");
    }

    [Fact]
    public void ToBytes_SameInputs_SameBytes() => Sample().Should().Equal(Sample());

    [Fact]
    public void Read_BitFlipAtEveryByte_IsDetected()
    {
        var bytes = Sample();
        for (int i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= (byte)(1 << (i % 8));
            FluentActions.Invoking(() => CheckpointFile.Read(copy, "flipped"))
                .Should().Throw<CheckpointCorruptException>($"a flipped bit at byte {i} of {bytes.Length} must not go unnoticed");
        }
    }

    [Fact]
    public void Read_BitFlipInBody_ReportsChecksumMismatch()
    {
        var bytes = Sample();
        bytes[bytes.Length / 2] ^= 0x10;
        var error = FluentActions.Invoking(() => CheckpointFile.Read(bytes, "/runs/x/ckpt.msgpack")).Should().Throw<CheckpointCorruptException>().Which;
        error.Defect.Should().Be(CheckpointDefect.ChecksumMismatch);
        error.Message.Should().StartWith("checkpoint '/runs/x/ckpt.msgpack' is corrupt (checksum mismatch): CRC-32C of the first");
    }

    [Fact]
    public void Read_TruncatedAtEveryLength_ReportsTruncated()
    {
        var bytes = Sample();
        for (int length = 0; length < bytes.Length; length++)
        {
            var error = FluentActions.Invoking(() => CheckpointFile.Read(bytes.AsMemory(0, length), "cut"))
                .Should().Throw<CheckpointCorruptException>().Which;
            error.Defect.Should().Be(CheckpointDefect.Truncated, $"cut at {length} of {bytes.Length}");
        }
    }

    [Fact]
    public void ReadFile_TextFile_IsNotACheckpointAndNamesFile()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "experiment: not a checkpoint\n");
        var error = FluentActions.Invoking(() => CheckpointFile.ReadFile(path)).Should().Throw<CheckpointCorruptException>().Which;
        error.Defect.Should().Be(CheckpointDefect.NotACheckpoint);
        error.Message.Should().Contain(path).And.Contain("not a checkpoint");
    }

    [Fact]
    public void Read_FutureVersion_ReportsUnsupportedVersion()
    {
        var bytes = Sample();
        int versionOffset = Array.IndexOf(bytes, (byte)0xae) + 15; // fixstr "format_version" then the value
        bytes[versionOffset].Should().Be(1);
        bytes[versionOffset] = 2;
        var error = FluentActions.Invoking(() => CheckpointFile.Read(bytes, "v2")).Should().Throw<CheckpointCorruptException>().Which;
        error.Defect.Should().Be(CheckpointDefect.UnsupportedVersion);
        error.Message.Should().Contain("format_version is 2");
    }

    [Fact]
    public void Read_ValidChecksumButWrongLayout_ReportsMalformed()
    {
        var bytes = WithValidChecksum(w =>
        {
            WriteLeadingKeys(w);
            w.WriteString("created");
            w.WriteString("yesterday");
            w.WriteString("manifest"); w.WriteString("");
            w.WriteString("rng"); w.WriteMapHeader(0);
            w.WriteString("state"); w.WriteMapHeader(0);
        });
        var error = FluentActions.Invoking(() => CheckpointFile.Read(bytes, "odd")).Should().Throw<CheckpointCorruptException>().Which;
        error.Defect.Should().Be(CheckpointDefect.Malformed);
        error.Message.Should().Contain("created should be timestamp but is str \"yesterday\"");
    }

    [Fact]
    public void Read_BadRngWithValidChecksum_ReportsMalformedWithPath()
    {
        var bytes = WithValidChecksum(w =>
        {
            WriteLeadingKeys(w);
            w.WriteString("created"); w.WriteTimestamp(0, 0);
            w.WriteString("manifest"); w.WriteString("");
            w.WriteString("rng"); w.WriteMapHeader(1); w.WriteString("sim"); w.WriteMapHeader(0);
            w.WriteString("state"); w.WriteMapHeader(0);
        });
        FluentActions.Invoking(() => CheckpointFile.Read(bytes, "odd")).Should().Throw<CheckpointCorruptException>()
            .WithMessage("*'rng.sim'*xoshiro256***");
    }

    [Fact]
    public void RestoreRng_UnknownPurpose_NamesPresentOnes() =>
        FluentActions.Invoking(() => CheckpointFile.Read(Sample()).RestoreRng("visuals", new RngStream(1)))
            .Should().Throw<Contracts.State.StateFormatException>().WithMessage("*no RNG stream 'visuals' (present: layout, simulation)*");

    private static void WriteLeadingKeys(MsgPackWriter w)
    {
        w.WriteMapHeader(12);
        w.WriteString("format"); w.WriteString("emergence-checkpoint");
        w.WriteString("format_version"); w.WriteInt64(1);
        w.WriteString("engine_version"); w.WriteString("0");
        w.WriteString("plugin"); w.WriteMapHeader(3);
        w.WriteString("name"); w.WriteString("p");
        w.WriteString("version"); w.WriteString("1");
        w.WriteString("assembly_sha256"); w.WriteString("");
        w.WriteString("experiment"); w.WriteString("e");
        w.WriteString("run_id"); w.WriteString("r");
        w.WriteString("step"); w.WriteInt64(1);
    }

    private static byte[] WithValidChecksum(Action<MsgPackWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        body(writer);
        var digest = ReferenceCrc32C(buffer.WrittenSpan);
        writer.WriteString("crc32c");
        writer.WriteBin(digest);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Bit-by-bit CRC-32C, independent of the engine's table and instruction paths; big-endian bytes.</summary>
    private static byte[] ReferenceCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc = ~crc;
        return [(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    [Fact]
    public void Crc32C_CheckValue_MatchesTheStandard()
    {
        Crc32C.Compute("123456789"u8).Should().Be(0xE3069283u);
        Crc32C.Compute([]).Should().Be(0u);
        var data = new byte[1000];
        new RngStream(9).FillUniform(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan(0, 996)));
        for (int cut = 0; cut <= 17; cut++)
        {
            var crc = new Crc32C();
            crc.Append(data.AsSpan(0, cut));
            crc.Append(data.AsSpan(cut));
            BitConverter.GetBytes(crc.Value).Reverse().Should().Equal(ReferenceCrc32C(data), $"split at {cut}");
        }
    }
}
