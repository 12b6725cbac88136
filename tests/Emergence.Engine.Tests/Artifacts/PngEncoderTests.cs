using Emergence.Contracts.Random;
using Emergence.Engine.Artifacts;
using Emergence.Testing;

namespace Emergence.Engine.Tests.Artifacts;

public class PngEncoderTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 1, 17, 5 },
        { 3, 1, 1 },
        { 3, 7, 3 },
        { 3, 64, 33 },
        { 4, 2, 9 },
        { 4, 31, 12 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Encode_RandomPixels_RoundTripsExactly(int bytesPerPixel, int width, int height)
    {
        var format = (PngPixelFormat)bytesPerPixel;
        byte[] pixels = RandomPixels(width * height * (int)format, seed: (ulong)(width * 31 + height));
        AssertRoundTrip(pixels, width, height, format);
    }

    [Theory]
    [InlineData("gradient")]
    [InlineData("constant")]
    [InlineData("vertical-stripes")]
    [InlineData("blocks")]
    public void Encode_StructuredPixels_RoundTripsExactly(string pattern)
    {
        // Structured images make the heuristic pick Sub, Up and Paeth, not only None.
        const int w = 40, h = 30;
        var pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        for (int c = 0; c < 3; c++)
        {
            pixels[(y * w + x) * 3 + c] = pattern switch
            {
                "gradient" => (byte)(x * 6 + y * 3 + c * 40),
                "constant" => (byte)(90 + c),
                "vertical-stripes" => (byte)(x % 2 == 0 ? 250 - c : 3 + c),
                _ => (byte)((x / 8 + y / 8) % 2 == 0 ? 200 : 10 + c),
            };
        }

        AssertRoundTrip(pixels, w, h, PngPixelFormat.Rgb8);
    }

    [Fact]
    public void Encode_AnyImage_HasHeaderDataEndChunksWithHeaderFields()
    {
        byte[] png = PngEncoder.Encode(new byte[5 * 4 * 4], 5, 4, PngPixelFormat.Rgba8);

        var image = PngTestDecoder.Decode(png);
        image.Chunks.Should().Equal("IHDR", "IDAT", "IEND");
        image.Width.Should().Be(5);
        image.Height.Should().Be(4);
        image.Channels.Should().Be(4);
        png[^12..].Should().Equal(0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82);
    }

    [Fact]
    public void Encode_WrongPixelCount_ThrowsNamingSizes()
    {
        var act = () => PngEncoder.Encode(new byte[10], 2, 2, PngPixelFormat.Rgb8);
        act.Should().Throw<ArgumentException>().WithMessage("*2x2 Rgb8*12 bytes*10 were given*");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-3, 2)]
    public void Encode_NonPositiveSize_Throws(int width, int height)
    {
        var act = () => PngEncoder.Encode([], width, height, PngPixelFormat.Gray8);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Encode_SmallGradient_MatchesApprovedBytes()
    {
        const int w = 6, h = 4;
        var pixels = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++)
        {
            pixels[3 * i] = (byte)(i * 10);
            pixels[3 * i + 1] = (byte)(255 - i * 10);
            pixels[3 * i + 2] = (byte)(i % w * 40);
        }

        Approvals.VerifyBytes(PngEncoder.Encode(pixels, w, h, PngPixelFormat.Rgb8), "png");
    }

    private static void AssertRoundTrip(byte[] pixels, int width, int height, PngPixelFormat format)
    {
        var image = PngTestDecoder.Decode(PngEncoder.Encode(pixels, width, height, format));
        image.Width.Should().Be(width);
        image.Height.Should().Be(height);
        image.Channels.Should().Be((int)format);
        image.Pixels.Should().Equal(pixels);
    }

    private static byte[] RandomPixels(int count, ulong seed)
    {
        var rng = new RngStream(seed);
        var bytes = new byte[count];
        for (int i = 0; i < count; i++) bytes[i] = (byte)rng.NextInt(256);
        return bytes;
    }
}
