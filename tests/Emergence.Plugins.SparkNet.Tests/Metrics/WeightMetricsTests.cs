using Emergence.Plugins.SparkNet.Metrics;

namespace Emergence.Plugins.SparkNet.Tests.Metrics;

public sealed class WeightMetricsTests
{
    private static float[] Identity(int n)
    {
        var w = new float[n * n];
        for (int i = 0; i < n; i++) w[i * n + i] = 1f;
        return w;
    }

    private static float[] Uniform(int n, float v = 0.5f) => Enumerable.Repeat(v, n * n).ToArray();

    [Fact]
    public void DiagonalRatio_Identity_IsN_Uniform_IsOne()
    {
        WeightMetrics.DiagonalRatio(Identity(8), 8).Should().BeApproximately(8, 1e-12);
        WeightMetrics.DiagonalRatio(Uniform(8), 8).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void BandRatio_Uniform_IsOne_PureBand_IsNSquaredOver4nMinus6()
    {
        WeightMetrics.BandRatio(Uniform(10), 10).Should().BeApproximately(1, 1e-12);
        var w = new float[100];
        for (int i = 0; i < 9; i++) w[(i + 1) * 10 + i] = 1f;
        WeightMetrics.BandRatio(w, 10).Should().BeApproximately(100.0 / 34, 1e-12);
    }

    [Fact]
    public void SequentialBiasIndex_SubDiagonal_IsLarge_Uniform_IsOne()
    {
        int n = 20;
        var w = Uniform(n, 0.01f);
        for (int i = 0; i < n; i++) w[(i + 1) % n * n + i] = 1f;
        WeightMetrics.OffsetProfile(w, n)[1].Should().BeApproximately(1, 1e-6);
        WeightMetrics.SequentialBiasIndex(w, n).Should().BeApproximately(100, 1e-3);
        WeightMetrics.SequentialBiasIndex(Uniform(n), n).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Entropy_UniformIsOne_SingleEntryIsZero()
    {
        WeightMetrics.Entropy(Uniform(5), 5).Should().BeApproximately(1, 1e-12);
        var w = new float[25];
        w[3] = -2f;
        WeightMetrics.Entropy(w, 5).Should().Be(0);
    }

    [Fact]
    public void Reciprocity_SymmetricIsOne_OneWayIsZero()
    {
        var sym = new float[] { 0, 1, 2, 1, 0, -3, 2, -3, 0 };
        WeightMetrics.Reciprocity(sym, 3).Should().BeApproximately(1, 1e-12);
        var oneWay = new float[] { 0, 1, 0, 0, 0, 1, 0, 0, 0 };
        WeightMetrics.Reciprocity(oneWay, 3).Should().Be(0);
    }

    [Fact]
    public void Gini_EqualIsZero_ConcentratedIsNMinusOneOverN()
    {
        WeightMetrics.Gini([1, 1, 1, 1]).Should().BeApproximately(0, 1e-12);
        WeightMetrics.Gini([0, 0, 0, 5]).Should().BeApproximately(0.75, 1e-12);
    }

    [Fact]
    public void TopShareAndParticipation_HandMadeMatrix()
    {
        var w = new float[100];
        w[7] = 10f;
        for (int i = 10; i < 20; i++) w[i] = -1f;
        WeightMetrics.TopShare(w, 0.01, new float[100]).Should().BeApproximately(0.5, 1e-12);
        var values = new List<(string, double)>();
        WeightMetrics.Record(w, 10, (k, v) => values.Add((k, v)), new float[100]);
        values.Should().Contain(("w.participation_ratio", 400.0 / 110));
        values.Should().Contain(("w.sum_abs", 20.0));
        values.Should().Contain(("w.count_above_0_01", 11.0));
        values.Should().Contain(("w.min", -1.0));
        values.Should().Contain(("w.max", 10.0));
    }
}
