using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public class PolylineBuilderTests
{
    [Fact]
    public void Build_NaNAndInfinity_BreakTheLine()
    {
        double[] x = [0, 1, 2, 3, 4, 5, 6];
        double[] y = [1, 2, double.NaN, 3, double.PositiveInfinity, 4, 5];

        var pieces = PolylineBuilder.Build(x, y);

        pieces.Should().HaveCount(3);
        pieces[0].Should().Equal(0, 1);
        pieces[1].Should().Equal(3);
        pieces[2].Should().Equal(5, 6);
    }

    [Fact]
    public void Build_SmallSeries_KeepsEveryPoint()
    {
        int n = PolylineBuilder.DownsampleThreshold;
        var x = Enumerable.Range(0, n).Select(i => i * 0.01).ToArray();
        var y = Enumerable.Range(0, n).Select(i => (double)(i % 7)).ToArray();
        PolylineBuilder.Build(x, y).Single().Should().HaveCount(n);
    }

    [Fact]
    public void Build_LargeSeries_KeepsAtMostFourPerColumnAndTheSpike()
    {
        const int n = 100_000;
        var x = Enumerable.Range(0, n).Select(i => i * 600.0 / n).ToArray(); // 600 columns
        var y = Enumerable.Range(0, n).Select(i => Math.Sin(i * 0.001)).ToArray();
        y[54_321] = 1e6;
        y[77_777] = -1e6;

        var piece = PolylineBuilder.Build(x, y).Single();

        piece.Count.Should().BeLessThanOrEqualTo(4 * 600);
        piece.Should().Contain(54_321).And.Contain(77_777).And.Contain(0).And.Contain(n - 1);
        piece.Should().BeInAscendingOrder();
    }

    [Fact]
    public void Build_LargeSeriesWithGaps_BreaksAtGapsAndKeepsOrder()
    {
        const int n = 10_000;
        var x = Enumerable.Range(0, n).Select(i => i / 100.0).ToArray(); // 100 points per column
        var y = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        y[5_050] = double.NaN; // middle of column 50
        for (int i = 7_000; i < 8_000; i++) y[i] = double.NaN; // columns 70..79 empty

        var pieces = PolylineBuilder.Build(x, y);

        pieces.Should().HaveCount(3);
        pieces[0].Should().StartWith(0).And.EndWith(5_049);
        pieces[1].Should().StartWith(5_051).And.EndWith(6_999);
        pieces[2].Should().StartWith(8_000).And.EndWith(n - 1);
        pieces.SelectMany(p => p).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }
}
