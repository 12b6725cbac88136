using Emergence.Contracts.Artifacts;
using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public class ColormapsTests
{
    [Theory]
    [InlineData(Colormap.Viridis, 0f, 0x440154)]
    [InlineData(Colormap.Viridis, 1f, 0xfde725)]
    [InlineData(Colormap.Viridis, 0.5f, 0x21918c)]
    [InlineData(Colormap.Plasma, 0f, 0x0d0887)]
    [InlineData(Colormap.Plasma, 1f, 0xf0f921)]
    [InlineData(Colormap.Inferno, 0f, 0x000004)]
    [InlineData(Colormap.Inferno, 1f, 0xfcffa4)]
    [InlineData(Colormap.Magma, 0f, 0x000004)]
    [InlineData(Colormap.Magma, 1f, 0xfcfdbf)]
    [InlineData(Colormap.Bwr, 0f, 0x0000ff)]
    [InlineData(Colormap.Bwr, 1f, 0xff0000)]
    [InlineData(Colormap.Gray, 0f, 0x000000)]
    [InlineData(Colormap.Gray, 1f, 0xffffff)]
    public void Lookup_KnownValues_MatchMatplotlibHex(Colormap map, float value, int hex)
    {
        Colormaps.Lookup(map, value, 0f, 1f).Should().Be(new Rgb((byte)(hex >> 16), (byte)(hex >> 8), (byte)hex));
    }

    [Fact]
    public void Lookup_BwrMidpoint_IsWhiteWithinOneLevel()
    {
        // matplotlib's 256-entry bwr has no exact centre: entry 128 is #fffefe (matplotlib gives the same for 0.5).
        var mid = Colormaps.Lookup(Colormap.Bwr, 0f, -1f, 1f);
        mid.Should().Be(new Rgb(255, 254, 254));
    }

    [Fact]
    public void Lookup_NaN_IsMidGrey()
    {
        Colormaps.Lookup(Colormap.Viridis, float.NaN, 0f, 1f).Should().Be(new Rgb(128, 128, 128));
    }

    [Theory]
    [InlineData(-5f, 0)]
    [InlineData(float.NegativeInfinity, 0)]
    [InlineData(0f, 0)]
    [InlineData(0.001f, 0)]
    [InlineData(0.5f, 128)]
    [InlineData(0.998f, 254)]
    [InlineData(1f, 255)]
    [InlineData(7f, 255)]
    [InlineData(float.PositiveInfinity, 255)]
    [InlineData(float.NaN, -1)]
    public void Index_UnitRange_RoundsAndClamps(float value, int expected)
    {
        Colormaps.Index(value, 0f, 1f).Should().Be(expected);
    }

    [Fact]
    public void Index_ExtremeRange_DoesNotOverflow()
    {
        Colormaps.Index(0f, -float.MaxValue, float.MaxValue).Should().Be(128);
    }

    [Fact]
    public void Table_EveryMap_Has256Entries()
    {
        foreach (Colormap map in Enum.GetValues<Colormap>())
        {
            Colormaps.Table(map).Length.Should().Be(768, map.ToString());
        }
    }

    [Fact]
    public void Table_Gray_IsIdentityRamp()
    {
        var table = Colormaps.Table(Colormap.Gray);
        for (int i = 0; i < 256; i++) table.Slice(3 * i, 3).ToArray().Should().Equal((byte)i, (byte)i, (byte)i);
    }

    [Fact]
    public void Apply_Values_WritesTripletsIncludingNaN()
    {
        var rgb = new byte[9];
        Colormaps.Apply([0f, float.NaN, 2f], Colormap.Viridis, 0f, 2f, rgb);
        rgb.Should().Equal(0x44, 0x01, 0x54, 128, 128, 128, 0xfd, 0xe7, 0x25);
    }

    [Fact]
    public void Apply_ShortDestination_Throws()
    {
        var act = () => Colormaps.Apply([1f, 2f], Colormap.Gray, 0f, 2f, new byte[5]);
        act.Should().Throw<ArgumentException>();
    }
}
