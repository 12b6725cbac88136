using System.Buffers;
using System.Runtime.InteropServices;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Tests.MessagePack;

public class MsgPackDecoderTests
{
    private static byte[] Encode(Action<MsgPackWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new MsgPackWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    private static MsgPackValue Decode(string hex, MsgPackDecoderOptions? options = null) =>
        MsgPackDecoder.Decode(Convert.FromHexString(hex), options);

    public static TheoryData<long> IntBoundaries => new()
    {
        0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, long.MaxValue,
        -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, (long)int.MinValue - 1, long.MinValue,
    };

    [Theory]
    [MemberData(nameof(IntBoundaries))]
    public void Decode_IntBoundaries_RoundTrip(long value) =>
        MsgPackDecoder.Decode(Encode(w => w.WriteInt64(value))).AsInt64().Should().Be(value);

    [Theory]
    [InlineData((ulong)long.MaxValue + 1)]
    [InlineData(ulong.MaxValue)]
    public void Decode_LargeUnsigned_KeepsFullRange(ulong value)
    {
        var decoded = MsgPackDecoder.Decode(Encode(w => w.WriteUInt64(value)));
        decoded.IsLargeUnsigned.Should().BeTrue();
        decoded.AsUInt64().Should().Be(value);
        decoded.Invoking(d => d.AsInt64()).Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("cc05", 5L)]
    [InlineData("cd0005", 5L)]
    [InlineData("ce00000005", 5L)]
    [InlineData("cf0000000000000005", 5L)]
    [InlineData("d0fb", -5L)]
    [InlineData("d1fffb", -5L)]
    [InlineData("d2fffffffb", -5L)]
    [InlineData("d3fffffffffffffffb", -5L)]
    [InlineData("d005", 5L)]
    public void Decode_NonMinimalIntEncodings_AreAccepted(string hex, long expected) =>
        Decode(hex).AsInt64().Should().Be(expected);

    [Fact]
    public void Decode_Floats_KeepWidth()
    {
        var f = Decode("ca3fc00000");
        f.Kind.Should().Be(MsgPackKind.Float32);
        f.AsFloat32().Should().Be(1.5f);
        var d = Decode("cb3ff8000000000000");
        d.Kind.Should().Be(MsgPackKind.Float64);
        d.AsDouble().Should().Be(1.5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Decode_StrAndBinBoundaries_RoundTrip(int length)
    {
        var text = new string('q', length);
        MsgPackDecoder.Decode(Encode(w => w.WriteString(text))).AsString().Should().Be(text);
        var bytes = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        MsgPackDecoder.Decode(Encode(w => w.WriteBin(bytes))).AsBin().ToArray().Should().Equal(bytes);
    }

    [Fact]
    public void Decode_Str8And16And32OfShortText_AreAccepted()
    {
        Decode("d90161").AsString().Should().Be("a");
        Decode("da000161").AsString().Should().Be("a");
        Decode("db0000000161").AsString().Should().Be("a");
    }

    [Fact]
    public void Decode_Bin_IsSliceOfInputNotCopy()
    {
        var input = Convert.FromHexString("92c403010203c0");
        var bin = MsgPackDecoder.Decode(input).AsArray()[0].AsBin();
        MemoryMarshal.TryGetArray(bin, out var segment).Should().BeTrue();
        segment.Array.Should().BeSameAs(input);
        segment.Offset.Should().Be(3);
        segment.Count.Should().Be(3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Decode_CollectionBoundaries_RoundTrip(int count)
    {
        var items = Enumerable.Range(0, count).Select(i => MsgPackValue.FromInt(i % 100)).ToArray();
        var array = MsgPackValue.FromArray(items);
        MsgPackDecoder.Decode(Encode(w => w.Write(array))).Should().Be(array);
        var map = MsgPackValue.FromMap(items.Select(i => new KeyValuePair<MsgPackValue, MsgPackValue>(i, MsgPackValue.Nil)).ToArray());
        MsgPackDecoder.Decode(Encode(w => w.Write(map))).Should().Be(map);
    }

    [Theory]
    [InlineData(0L, 0u)]
    [InlineData(4294967295L, 0u)]
    [InlineData(4294967296L, 0u)]
    [InlineData(1L, 1u)]
    [InlineData(17179869183L, 999999999u)]
    [InlineData(17179869184L, 0u)]
    [InlineData(-1L, 0u)]
    [InlineData(long.MinValue, 999999999u)]
    public void Decode_Timestamps_RoundTrip(long seconds, uint nanos)
    {
        var value = MsgPackDecoder.Decode(Encode(w => w.WriteTimestamp(seconds, nanos)));
        value.Kind.Should().Be(MsgPackKind.Timestamp);
        value.TimestampSeconds.Should().Be(seconds);
        value.TimestampNanoseconds.Should().Be(nanos);
    }

    [Fact]
    public void Decode_TimestampFromDateTimeOffset_RoundTripsTo100ns()
    {
        var time = new DateTimeOffset(2026, 11, 22, 8, 0, 34, TimeSpan.Zero).AddTicks(1234567);
        MsgPackDecoder.Decode(Encode(w => w.WriteTimestamp(time))).AsDateTimeOffset().Should().Be(time);
        var before1970 = new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(5);
        MsgPackDecoder.Decode(Encode(w => w.WriteTimestamp(before1970))).AsDateTimeOffset().Should().Be(before1970);
    }

    [Theory]
    [InlineData("d405ab", 5, 1)]
    [InlineData("d5050102", 5, 2)]
    [InlineData("c70305010203", 5, 3)]
    [InlineData("c800030501020 3", 5, 3)]
    [InlineData("c9000000037f010203", 127, 3)]
    [InlineData("c70080", -128, 0)]
    public void Decode_Ext_KeepsTypeAndData(string hex, int type, int length)
    {
        var value = Decode(hex.Replace(" ", ""));
        value.Kind.Should().Be(MsgPackKind.Ext);
        value.ExtType.Should().Be((sbyte)type);
        value.ExtData.Length.Should().Be(length);
    }

    [Fact]
    public void Decode_NestedDocument_RoundTripsStructurally()
    {
        var doc = SampleDocument();
        MsgPackDecoder.Decode(Encode(w => w.Write(doc))).Should().Be(doc);
    }

    [Fact]
    public void Decode_SampleTruncatedAtEveryOffset_ThrowsFormatException()
    {
        var bytes = Encode(w => w.Write(SampleDocument()));
        for (int length = 0; length < bytes.Length; length++)
        {
            var act = () => MsgPackDecoder.Decode(bytes.AsMemory(0, length));
            act.Should().Throw<MsgPackFormatException>($"the document cut to {length} of {bytes.Length} bytes is incomplete")
                .Which.Offset.Should().BeInRange(0, length);
        }
    }

    [Theory]
    [InlineData("ddffffffff", "array declares 4294967295 items")]
    [InlineData("dfffffffff", "map declares 4294967295 items")]
    [InlineData("dbffffffff", "string declares 4294967295 bytes")]
    [InlineData("c6ffffffff", "bin32 declares 4294967295 bytes")]
    [InlineData("c9ffffffff01", "ext declares 4294967295 bytes")]
    [InlineData("dc0003c0c0", "array declares 3 items but only 2 bytes remain")]
    [InlineData("de0002c0c0c0", "map declares 2 items but only 3 bytes remain")]
    [InlineData("c5ff00", "bin16 declares 65280 bytes but only 0 remain")]
    public void Decode_HugeDeclaredLengths_ThrowBeforeAllocating(string hex, string message) =>
        FluentActions.Invoking(() => Decode(hex)).Should().Throw<MsgPackFormatException>().WithMessage($"*{message}*");

    [Fact]
    public void Decode_InvalidFormatByteC1_ThrowsWithOffset()
    {
        var error = FluentActions.Invoking(() => Decode("9301c102")).Should().Throw<MsgPackFormatException>().Which;
        error.Offset.Should().Be(2);
        error.Message.Should().Contain("0xc1").And.Contain("offset 2");
    }

    [Fact]
    public void Decode_NestingAtLimit_Succeeds_BeyondLimit_Throws()
    {
        var ok = Convert.FromHexString(string.Concat(Enumerable.Repeat("91", 64)) + "c0");
        MsgPackDecoder.Decode(ok).Kind.Should().Be(MsgPackKind.Array);
        var deep = Convert.FromHexString(string.Concat(Enumerable.Repeat("91", 65)) + "c0");
        FluentActions.Invoking(() => MsgPackDecoder.Decode(deep)).Should().Throw<MsgPackFormatException>().WithMessage("*depth of 64*");
    }

    [Fact]
    public void Decode_VeryDeepMapNesting_ThrowsInsteadOfStackOverflow()
    {
        var deep = new byte[200_000];
        for (int i = 0; i < deep.Length; i += 2) { deep[i] = 0x81; deep[i + 1] = 0x00; }
        FluentActions.Invoking(() => MsgPackDecoder.Decode(deep)).Should().Throw<MsgPackFormatException>().WithMessage("*depth*");
    }

    [Fact]
    public void Decode_TrailingBytes_ThrowUnlessAllowed()
    {
        FluentActions.Invoking(() => Decode("01c0")).Should().Throw<MsgPackFormatException>().WithMessage("*1 trailing byte*offset 1*");
        Decode("01c0", new MsgPackDecoderOptions { AllowTrailingBytes = true }).AsInt64().Should().Be(1);
        MsgPackDecoder.DecodeOne(Convert.FromHexString("01c0"), out int consumed).AsInt64().Should().Be(1);
        consumed.Should().Be(1);
    }

    [Theory]
    [InlineData("a2c328", "not valid UTF-8")]
    [InlineData("d6ff0000", "ext declares 4 bytes but only 2 remain")]
    [InlineData("c703ff000000", "timestamp extension has 3 data bytes")]
    [InlineData("d7fffffffffc00000000", "nanoseconds 1073741823 exceed")]
    [InlineData("c70cff3b9aca000000000000000000", "nanoseconds 1000000000 exceed")]
    public void Decode_InvalidContent_Throws(string hex, string message) =>
        FluentActions.Invoking(() => Decode(hex)).Should().Throw<MsgPackFormatException>().WithMessage($"*{message}*");

    [Fact]
    public void Decode_Limits_AreEnforced()
    {
        var options = new MsgPackDecoderOptions { MaxCollectionLength = 2, MaxStringLength = 3, MaxTotalBytes = 10 };
        FluentActions.Invoking(() => Decode("93010203", options)).Should().Throw<MsgPackFormatException>().WithMessage("*over the limit of 2*");
        FluentActions.Invoking(() => Decode("a461626364", options)).Should().Throw<MsgPackFormatException>().WithMessage("*over the limit of 3*");
        FluentActions.Invoking(() => Decode("c40a00000000000000000000", options)).Should().Throw<MsgPackFormatException>().WithMessage("*exceeds the limit of 10 bytes*");
        Decode("9201a3616263", options).AsArray().Should().HaveCount(2);
    }

    [Fact]
    public void Decode_EmptyInput_ThrowsTruncated() =>
        FluentActions.Invoking(() => MsgPackDecoder.Decode(ReadOnlyMemory<byte>.Empty)).Should().Throw<MsgPackFormatException>().WithMessage("*truncated*offset 0*");

    [Fact]
    public void Decode_RegressionInputs_FailCleanlyOrSucceed()
    {
        var files = Directory.GetFiles(TestPaths.Regressions, "*.bin");
        files.Should().NotBeEmpty("the regressions folder holds at least the hand-made hostile seeds");
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            try
            {
                MsgPackDecoder.Decode(bytes);
            }
            catch (MsgPackFormatException)
            {
                // A clean, reported format error is the expected outcome for hostile input.
            }
            try
            {
                CheckpointFile.Read(bytes, file);
            }
            catch (CheckpointCorruptException)
            {
                // Likewise for the checkpoint reader.
            }
        }
    }

    internal static MsgPackValue SampleDocument() => MsgPackValue.FromMap(
    [
        new(MsgPackValue.FromString("nil"), MsgPackValue.Nil),
        new(MsgPackValue.FromString("bools"), MsgPackValue.FromArray([MsgPackValue.FromBool(true), MsgPackValue.FromBool(false)])),
        new(MsgPackValue.FromString("ints"), MsgPackValue.FromArray(
            [MsgPackValue.FromInt(1), MsgPackValue.FromInt(-20), MsgPackValue.FromInt(200), MsgPackValue.FromInt(-200),
             MsgPackValue.FromInt(70000), MsgPackValue.FromInt(-70000), MsgPackValue.FromInt(1L << 40), MsgPackValue.FromUInt(ulong.MaxValue)])),
        new(MsgPackValue.FromString("floats"), MsgPackValue.FromArray([MsgPackValue.FromFloat32(0.25f), MsgPackValue.FromFloat64(-1e300)])),
        new(MsgPackValue.FromString("text"), MsgPackValue.FromString(new string('t', 40) + "ü")),
        new(MsgPackValue.FromString("bin"), MsgPackValue.FromBin(new byte[300])),
        new(MsgPackValue.FromInt(7), MsgPackValue.FromString("non-string key")),
        new(MsgPackValue.FromString("ext"), MsgPackValue.FromExt(3, new byte[] { 1, 2, 3 })),
        new(MsgPackValue.FromString("time"), MsgPackValue.FromTimestamp(1_700_000_000, 5)),
        new(MsgPackValue.FromString("nested"), MsgPackValue.FromMap(
            [new(MsgPackValue.FromString("deeper"), MsgPackValue.FromArray([MsgPackValue.FromArray([]), MsgPackValue.FromMap([])]))])),
    ]);
}
