using Emergence.Contracts.Artifacts;
using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public sealed class FolderArtifactSinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Heatmap_ScaledGrid_WritesUpscaledPngWithMapColours()
    {
        var sink = new FolderArtifactSink(_dir.Path, "weights", 42);

        sink.Heatmap("w1", [0f, 1f, float.NaN, 0.5f, 2f, -1f], 2, 3, new HeatmapStyle(Colormap.Viridis, 0f, 1f, Scale: 2));

        string path = Path.Combine(_dir.Path, "weights", "w1_00000042.png");
        var image = PngTestDecoder.Decode(File.ReadAllBytes(path));
        image.Width.Should().Be(6);
        image.Height.Should().Be(4);
        Pixel(image, 0, 0).Should().Equal(0x44, 0x01, 0x54);
        Pixel(image, 1, 1).Should().Equal(0x44, 0x01, 0x54);
        Pixel(image, 2, 0).Should().Equal(0xfd, 0xe7, 0x25);
        Pixel(image, 5, 1).Should().Equal(128, 128, 128);
        Pixel(image, 1, 3).Should().Equal(0x21, 0x91, 0x8c);
        Pixel(image, 3, 2).Should().Equal(0xfd, 0xe7, 0x25); // 2 saturates at max
        Pixel(image, 5, 3).Should().Equal(0x44, 0x01, 0x54); // -1 saturates at min
    }

    [Fact]
    public void Text_Svg_WritesFileAndIndexLines()
    {
        var sink = new FolderArtifactSink(_dir.Path, "graph", 7);
        sink.Text("layout", "svg", "<svg/>");
        sink.SetStep(123456789);
        sink.Binary("raw", "f32", [1, 2, 3]);

        File.ReadAllText(Path.Combine(_dir.Path, "graph", "layout_00000007.svg")).Should().Be("<svg/>");
        File.ReadAllBytes(Path.Combine(_dir.Path, "graph", "raw_123456789.f32")).Should().Equal(1, 2, 3);
        File.ReadAllLines(Path.Combine(_dir.Path, "index.csv")).Should().Equal(
            "step,visualizer,name,path",
            "7,graph,layout,graph/layout_00000007.svg",
            "123456789,graph,raw,graph/raw_123456789.f32");
    }

    [Fact]
    public void Text_SameNameAndStepTwice_ReplacesFileAndLeavesNoTempFiles()
    {
        var sink = new FolderArtifactSink(_dir.Path, "v", 1);
        sink.Text("a", "txt", "first");
        sink.Text("a", "txt", "second");

        Directory.GetFiles(Path.Combine(_dir.Path, "v")).Select(Path.GetFileName).Should().Equal("a_00000001.txt");
        File.ReadAllText(Path.Combine(_dir.Path, "v", "a_00000001.txt")).Should().Be("second");
    }

    [Fact]
    public void Heatmap_WrongValueCount_ThrowsNamingVisualizerAndArtifact()
    {
        var sink = new FolderArtifactSink(_dir.Path, "weights", 1);
        var act = () => sink.Heatmap("w1", new float[5], 2, 3, new HeatmapStyle(Colormap.Gray, 0f, 1f));
        act.Should().Throw<ArgumentException>().WithMessage("*'weights'*'w1'*2·3 = 6*5 values*");
        File.Exists(Path.Combine(_dir.Path, "index.csv")).Should().BeFalse();
    }

    [Theory]
    [InlineData(1f, 1f, 1, "*Min < Max*")]
    [InlineData(2f, 1f, 1, "*Min < Max*")]
    [InlineData(float.NaN, 1f, 1, "*Min < Max*")]
    [InlineData(0f, float.PositiveInfinity, 1, "*Min < Max*")]
    [InlineData(0f, 1f, 0, "*Scale must be 1 to 64, got 0*")]
    [InlineData(0f, 1f, 65, "*Scale must be 1 to 64, got 65*")]
    public void Heatmap_BadStyle_ThrowsWithReason(float min, float max, int scale, string message)
    {
        var sink = new FolderArtifactSink(_dir.Path, "weights", 1);
        var act = () => sink.Heatmap("w1", new float[4], 2, 2, new HeatmapStyle(Colormap.Gray, min, max, scale));
        act.Should().Throw<ArgumentException>().WithMessage("Visualizer 'weights', heatmap 'w1'" + message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    public void Text_UnsafeName_Throws(string name)
    {
        var sink = new FolderArtifactSink(_dir.Path, "v", 1);
        var act = () => sink.Text(name, "txt", "x");
        act.Should().Throw<ArgumentException>().WithMessage("Visualizer 'v': artifact name*");
    }

    [Theory]
    [InlineData(".svg")]
    [InlineData("")]
    [InlineData("s/g")]
    public void Text_BadExtension_Throws(string extension)
    {
        var sink = new FolderArtifactSink(_dir.Path, "v", 1);
        var act = () => sink.Text("a", extension, "x");
        act.Should().Throw<ArgumentException>().WithMessage("*extension*without a dot*");
    }

    [Fact]
    public void Constructor_BadVisualizerOrStep_Throws()
    {
        var badName = () => new FolderArtifactSink(_dir.Path, "a/b", 1);
        var badStep = () => new FolderArtifactSink(_dir.Path, "v", -1);
        badName.Should().Throw<ArgumentException>().WithMessage("visualizer name 'a/b'*");
        badStep.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static byte[] Pixel(PngTestDecoder.Image image, int x, int y) =>
        image.Pixels.AsSpan((y * image.Width + x) * 3, 3).ToArray();
}
