using Emergence.Contracts.Artifacts;
using Emergence.Contracts.Components;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Visualization;

namespace Emergence.Plugins.SparkNet.Tests.Visualization;

public sealed class VisualizerTests
{
    [Fact]
    public void Activations_GridViridisUpscaledPlusRawFloat32()
    {
        var session = TestSupport.Session(1, TestSupport.Small(6, 1, 2));
        session.Run(3);
        var sink = new ArtifactRecorder();
        new ActivationsVisualizer(new GridHeatmapOptions(), session.Model).Render(new RenderContext(3, false, sink));
        var map = sink.Heatmaps.Single();
        (map.Name, map.Rows, map.Columns, map.Style).Should().Be(("activations", 2, 3, new HeatmapStyle(Colormap.Viridis, 0, 1, 16)));
        map.Values.Should().Equal(session.Model.S);
        sink.Binaries["activations.f32"].Should().HaveCount(24);
    }

    [Fact]
    public void Weights_FixedOrAutoscaledBwr()
    {
        var session = TestSupport.Session(1, TestSupport.Small());
        var sink = new ArtifactRecorder();
        new WeightsVisualizer(new WeightsVisualizerOptions(), session.Model).Render(new RenderContext(0, false, sink));
        new WeightsVisualizer(new WeightsVisualizerOptions { Autoscale = true }, session.Model).Render(new RenderContext(0, false, sink));
        sink.Heatmaps[0].Style.Should().Be(new HeatmapStyle(Colormap.Bwr, -0.3f, 0.3f, 1));
        float max = session.Model.W.Max(Math.Abs);
        sink.Heatmaps[1].Style.Should().Be(new HeatmapStyle(Colormap.Bwr, -max, max, 1));
        sink.Heatmaps[0].Rows.Should().Be(6);
    }

    [Fact]
    public void Memory_ClampedToUnitIntervalPlasma()
    {
        var session = TestSupport.Session(1, TestSupport.Small());
        session.Model.M[0] = 3f;
        session.Model.M[1] = -1f;
        var sink = new ArtifactRecorder();
        new MemoryVisualizer(new GridHeatmapOptions(), session.Model).Render(new RenderContext(0, false, sink));
        sink.Heatmaps.Single().Values.Take(2).Should().Equal(1f, 0f);
        sink.Heatmaps.Single().Style.Colormap.Should().Be(Colormap.Plasma);
    }

    [Fact]
    public void LayoutSvgAndPlayer_LazyLayoutComputedOnRender_SelfContained()
    {
        var session = TestSupport.Session(1, TestSupport.Small(12, 2, 3));
        session.Run(10);
        session.Model.Layout.IsStale.Should().BeTrue();
        var sink = new ArtifactRecorder();
        new LayoutSvgVisualizer(new LayoutSvgOptions { MaxEdges = 5 }, session.Model).Render(new RenderContext(10, true, sink));
        session.Model.Layout.IsStale.Should().BeFalse();
        var player = new LayoutPlayerVisualizer(new LayoutPlayerOptions(), session.Model);
        player.Render(new RenderContext(10, false, sink));
        session.Run(5);
        player.Render(new RenderContext(15, false, sink));
        string svg = sink.Texts["layout.svg"];
        svg.Should().Contain("#1e1e1e").And.Contain("cyan").And.Contain("K=2").And.Contain("finished");
        System.Text.RegularExpressions.Regex.Matches(svg, "<circle").Should().HaveCount(12);
        System.Text.RegularExpressions.Regex.Matches(svg, "<line").Should().HaveCount(5);
        string html = sink.Texts["layout_player.html"];
        html.Should().Contain("\"step\":10").And.Contain("\"step\":15").And.Contain("<canvas");
        html.Should().NotContain("src=").And.NotContain("href=").And.NotContain("http");
    }

    [Fact]
    public void Motion_CsvOfLayoutMotionSeries()
    {
        var session = TestSupport.Session(1, TestSupport.Small(12, 2, 3),
            new Emergence.Plugins.SparkNet.Training.SparkNetTrainerOptions { LayoutSchedule = Emergence.Plugins.SparkNet.Training.LayoutSchedule.Eager });
        session.Run(20);
        var sink = new ArtifactRecorder();
        new MotionVisualizer(session.Model).Render(new RenderContext(20, false, sink));
        var lines = sink.Texts["motion.csv"].TrimEnd().Split('\n');
        lines[0].Should().Be("step,motion");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal("10", "15", "20");
    }
}
