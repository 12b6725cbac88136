using System.Text;
using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_MatchesCatalogueValue()
    {
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void Compute_Empty_IsZero()
    {
        Crc32.Compute([]).Should().Be(0u);
    }

    [Fact]
    public void Compute_PngIendChunk_MatchesSpecValue()
    {
        // Every PNG ends with IEND whose CRC is AE 42 60 82.
        Crc32.Compute("IEND"u8).Should().Be(0xAE426082u);
    }

    [Fact]
    public void Append_InPieces_EqualsWholeAndBitwiseReference()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog, twice over.");
        uint pieces = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, data.AsSpan(0, 17)), data.AsSpan(17)));
        pieces.Should().Be(Crc32.Compute(data));
        pieces.Should().Be(PngTestDecoder.BitwiseCrc(data));
    }
}
