using System.Buffers;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Tests.MessagePack;

public class MsgPackWriterTests
{
    private static string Hex(Action<MsgPackWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        write(writer);
        writer.BytesWritten.Should().Be(buffer.WrittenCount);
        return Convert.ToHexStringLower(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void WriteInt64_Boundaries_UseSmallestSpecEncoding(long value, string expected) =>
        Hex(w => w.WriteInt64(value)).Should().Be(expected);

    [Fact]
    public void WriteUInt64_Max_IsUInt64Family() =>
        Hex(w => w.WriteUInt64(ulong.MaxValue)).Should().Be("cfffffffffffffffff");

    [Fact]
    public void WriteNilAndBool_SingleBytes() =>
        Hex(w => { w.WriteNil(); w.WriteBool(false); w.WriteBool(true); }).Should().Be("c0c2c3");

    [Fact]
    public void WriteFloat_BothWidths_BigEndianIeee()
    {
        Hex(w => w.WriteFloat32(1.5f)).Should().Be("ca3fc00000");
        Hex(w => w.WriteFloat64(1.5)).Should().Be("cb3ff8000000000000");
        Hex(w => w.WriteFloat64(BitConverter.UInt64BitsToDouble(0x7ff8000000000001))).Should().Be("cb7ff8000000000001");
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    public void WriteString_LengthBoundaries_HeaderMatchesSpec(int length, string header)
    {
        var hex = Hex(w => w.WriteString(new string('x', length)));
        hex.Should().Be(header + string.Concat(Enumerable.Repeat("78", length)));
    }

    [Fact]
    public void WriteString_NonAscii_CountsUtf8Bytes() =>
        Hex(w => w.WriteString("é€")).Should().Be("a5c3a9e282ac");

    [Fact]
    public void WriteString_LoneSurrogate_Throws()
    {
        var act = () => Hex(w => w.WriteString("a\ud800b"));
        act.Should().Throw<ArgumentException>().WithMessage("*surrogate*");
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65535, "c5ffff")]
    [InlineData(65536, "c600010000")]
    public void WriteBin_LengthBoundaries_HeaderMatchesSpec(int length, string header)
    {
        var hex = Hex(w => w.WriteBin(new byte[length]));
        hex.Should().Be(header + new string('0', 2 * length));
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void WriteCollectionHeaders_Boundaries_MatchSpec(int count, string array, string map)
    {
        Hex(w => w.WriteArrayHeader(count)).Should().Be(array);
        Hex(w => w.WriteMapHeader(count)).Should().Be(map);
    }

    [Theory]
    [InlineData(1, "d405")]
    [InlineData(2, "d505")]
    [InlineData(4, "d605")]
    [InlineData(8, "d705")]
    [InlineData(16, "d805")]
    [InlineData(0, "c70005")]
    [InlineData(3, "c70305")]
    [InlineData(255, "c7ff05")]
    [InlineData(256, "c8010005")]
    [InlineData(65536, "c90001000005")]
    public void WriteExt_Lengths_UseFixExtOrExtFamily(int length, string header)
    {
        var hex = Hex(w => w.WriteExt(5, new byte[length]));
        hex.Should().Be(header + new string('0', 2 * length));
    }

    [Fact]
    public void WriteExt_NegativeType_WritesTwosComplement() =>
        Hex(w => w.WriteExt(-128, [0xab])).Should().Be("d480ab");

    [Theory]
    [InlineData(0L, 0u, "d6ff00000000")]
    [InlineData(4294967295L, 0u, "d6ffffffffff")]
    [InlineData(4294967296L, 0u, "d7ff0000000100000000")]
    [InlineData(1L, 1u, "d7ff0000000400000001")]
    [InlineData(17179869183L, 999999999u, "d7ffee6b27ffffffffff")]
    [InlineData(17179869184L, 0u, "c70cff000000000000000400000000")]
    [InlineData(-1L, 0u, "c70cff00000000ffffffffffffffff")]
    [InlineData(-1L, 999999999u, "c70cff3b9ac9ffffffffffffffffff")]
    public void WriteTimestamp_AllThreeLayouts_MatchSpec(long seconds, uint nanos, string expected) =>
        Hex(w => w.WriteTimestamp(seconds, nanos)).Should().Be(expected);

    [Fact]
    public void WriteTimestamp_NanosecondsOutOfRange_Throws()
    {
        var act = () => Hex(w => w.WriteTimestamp(0, 1_000_000_000));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Write_SpecExampleMap_MatchesSpecBytes()
    {
        // {"compact": true, "schema": 0} from msgpack.org's front page.
        var value = MsgPackValue.FromMap(
        [
            new(MsgPackValue.FromString("compact"), MsgPackValue.FromBool(true)),
            new(MsgPackValue.FromString("schema"), MsgPackValue.FromInt(0)),
        ]);
        Hex(w => w.Write(value)).Should().Be("82a7636f6d70616374c3a6736368656d6100");
    }

    [Fact]
    public void StreamMode_LargeAndSmallPayloads_SameBytesAsBufferMode()
    {
        var big = new byte[300_000];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)(i * 7);
        void WriteAll(MsgPackWriter w)
        {
            w.WriteArrayHeader(4);
            w.WriteString("head");
            w.WriteBin(big);
            w.WriteString(new string('y', 10_000));
            w.WriteInt64(-5);
        }
        var expected = Hex(WriteAll);
        using var stream = new MemoryStream();
        using (var writer = new MsgPackWriter(stream, 1024))
        {
            WriteAll(writer);
            writer.Flush();
            writer.BytesWritten.Should().Be(stream.Length);
        }
        Convert.ToHexStringLower(stream.ToArray()).Should().Be(expected);
    }
}
