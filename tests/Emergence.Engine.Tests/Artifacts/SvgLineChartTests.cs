using System.Xml.Linq;
using Emergence.Engine.Artifacts;
using Emergence.Testing;

namespace Emergence.Engine.Tests.Artifacts;

public class SvgLineChartTests
{
    [Fact]
    public void Render_LossWithGap_MatchesApprovedSvg()
    {
        Approvals.Verify(SvgLineChart.Render(LossWithGap()), "svg");
    }

    [Fact]
    public void Render_SameInput_IsByteIdentical()
    {
        SvgLineChart.Render(LossWithGap()).Should().Be(SvgLineChart.Render(LossWithGap()));
    }

    [Fact]
    public void Render_AnySeries_IsWellFormedXmlWithOnePolylinePerPiece()
    {
        var svg = XDocument.Parse(SvgLineChart.Render(LossWithGap()));
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.Should().Be(ns + "svg");
        svg.Descendants(ns + "polyline").Should().HaveCount(2);
        svg.Descendants(ns + "title").Single().Value.Should().Be("train.loss <&>");
    }

    [Fact]
    public void Render_LongSeriesWithSpike_DownsamplesButDrawsSpikeAtTop()
    {
        const int n = 50_000;
        var steps = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
        var values = Enumerable.Range(1, n).Select(i => 1.0 + 0.001 * (i % 10)).ToArray();
        values[31_415] = 100;

        string svg = SvgLineChart.Render(new MetricSeries("spiky", steps, values));

        svg.Should().Contain("min/max per pixel column");
        var points = XDocument.Parse(svg).Descendants().Single(e => e.Name.LocalName == "polyline")
            .Attribute("points")!.Value.Split(' ');
        points.Length.Should().BeLessThan(4 * 720);
        points.Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))
            .Min().Should().BeApproximately(54, 0.01); // the plot's top edge: the spike sits on the highest tick
    }

    [Fact]
    public void Render_OnlyNaN_SaysNothingToDraw()
    {
        string svg = SvgLineChart.Render(new MetricSeries("x", [1, 2], [double.NaN, double.NaN]));
        svg.Should().Contain("no finite values to draw").And.NotContain("polyline");
    }

    private static MetricSeries LossWithGap()
    {
        const int n = 60;
        var steps = Enumerable.Range(0, n).Select(i => (long)(i * 10)).ToArray();
        var values = Enumerable.Range(0, n).Select(i => 2.5 * Math.Exp(-i / 15.0) + 0.05 * Math.Sin(i)).ToArray();
        values[30] = double.NaN;
        values[31] = double.PositiveInfinity;
        return new MetricSeries("train.loss <&>", steps, values);
    }
}
