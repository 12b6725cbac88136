using Emergence.Contracts.Random;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Tests.Operations;

public sealed class SkinnyGemmTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    public void Run_AllColumnCountsAndRaggedK_MatchesScalarReference(float beta)
    {
        var rng = new RngStream(11);
        foreach (int n in new[] { 1, 2, 3, 5, 8 })
            foreach (int k in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 33, 40, 256 })
            {
                int m = 7;
                var a = new float[m * k];
                var b = new float[n * k];
                var c = new float[m * n];
                rng.FillNormal(a);
                rng.FillNormal(b);
                rng.FillNormal(c);
                var expected = (float[])c.Clone();
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[j * k + p];
                        expected[i * n + j] = (float)(beta * expected[i * n + j] + s);
                    }
                SkinnyGemm.Run(m, n, k, a, k, b, k, beta, c, n);
                for (int i = 0; i < c.Length; i++) c[i].Should().BeApproximately(expected[i], 1e-4f * (1 + k), $"n={n} k={k} i={i}");
            }
    }
}
