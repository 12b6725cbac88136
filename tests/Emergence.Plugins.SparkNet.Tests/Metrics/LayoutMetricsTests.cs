using Emergence.Plugins.SparkNet.Metrics;

namespace Emergence.Plugins.SparkNet.Tests.Metrics;

public sealed class LayoutMetricsTests
{
    [Fact]
    public void ClarkEvans_SquareLattice_Is2kOverKMinus1()
    {
        int k = 10;
        var x = new float[k * k]; var y = new float[k * k];
        for (int i = 0; i < k * k; i++) { x[i] = i % k; y[i] = i / k; }
        LayoutMetrics.ClarkEvans(x, y).Should().BeApproximately(2.0 * k / (k - 1), 1e-9);
    }

    [Fact]
    public void RmsRadius_UnitCircle_IsOne()
    {
        var x = new float[] { 1, -1, 0, 0 }; var y = new float[] { 0, 0, 1, -1 };
        LayoutMetrics.RmsRadius(x, y).Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Spearman_MonotoneAndAntitone_PlusMinusOne_TiesAveraged()
    {
        LayoutMetrics.Spearman([1, 2, 3, 4], [10, 20, 30, 400]).Should().BeApproximately(1, 1e-12);
        LayoutMetrics.Spearman([1, 2, 3, 4], [4, 3, 2, 1]).Should().BeApproximately(-1, 1e-12);
        LayoutMetrics.Spearman([1, 1, 2], [1, 2, 3]).Should().BeApproximately(0.8660254037844386, 1e-12);
    }

    [Fact]
    public void WeightDistanceSpearman_StrongEdgesShort_IsMinusOne()
    {
        int n = 4;
        var x = new float[] { 0, 1, 3, 6 }; var y = new float[4];
        var w = new float[16];
        w[0 * n + 1] = 0.9f; w[0 * n + 2] = 0.5f; w[0 * n + 3] = 0.1f;
        LayoutMetrics.WeightDistanceSpearman(w, n, x, y, 3, new float[16]).Should().BeApproximately(-1, 1e-12);
    }
}
