using Emergence.Contracts.Random;
using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed unsafe class GemmRowBroadcastTests
{
    private static float[] Normal(RngStream rng, int n)
    {
        var x = new float[n];
        rng.FillNormal(x);
        return x;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Run_OddShapesAndStrides_BitIdenticalToBlockedGemmAndCloseToScalarReference(bool ta, bool tb)
    {
        var rng = new RngStream(61);
        foreach (int m in new[] { 8, 9, 13, 16, 31 })
            foreach (int n in new[] { 1, 17, 32, 33, 64, 98, 128 })
                foreach (int k in new[] { 1, 5, 32, 64, 100, 256 })
                    foreach (float beta in new[] { 0f, 1f, 0.5f })
                    {
                        if (!GemmRowBroadcast.Applies(ta, tb, m, n, k)) continue;
                        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2;
                        var a = Normal(rng, (ta ? k : m) * lda);
                        var b = Normal(rng, (tb ? n : k) * ldb);
                        var c0 = Normal(rng, m * ldc);
                        var got = (float[])c0.Clone();
                        fixed (float* pa = a, pb = b, pc = got) GemmRowBroadcast.Run(ta, tb, m, n, k, pa, lda, pb, ldb, beta, pc, ldc, 1);
                        var blocked = (float[])c0.Clone();
                        Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, beta, blocked, ldc, 1);
                        got.Should().Equal(blocked, $"ta={ta} tb={tb} m={m} n={n} k={k} beta={beta}");
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < n; j++)
                            {
                                double s = 0;
                                for (int p = 0; p < k; p++) s += (double)a[ta ? p * lda + i : i * lda + p] * b[tb ? j * ldb + p : p * ldb + j];
                                ((double)got[i * ldc + j]).Should().BeApproximately(beta * c0[i * ldc + j] + s, 1e-5 * (k + 1));
                            }
                    }
    }

    [Fact]
    public void Run_LongK_MatchesScalarReference()
    {
        var rng = new RngStream(62);
        int m = 32, n = 64, k = 1536;
        var a = Normal(rng, k * m);
        var b = Normal(rng, k * n);
        var c = new float[m * n];
        fixed (float* pa = a, pb = b, pc = c) GemmRowBroadcast.Run(true, false, m, n, k, pa, m, pb, n, 0f, pc, n, 1);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[p * m + i] * b[p * n + j];
                ((double)c[i * n + j]).Should().BeApproximately(s, 1e-3);
            }
    }

    [Theory]
    [InlineData(false, false, 1536, 32, 32)]
    [InlineData(true, false, 98, 32, 1536)]
    [InlineData(false, true, 1541, 64, 64)]
    [InlineData(false, true, 1539, 98, 32)]
    public void Run_TwoThreads_BitIdenticalToOne(bool ta, bool tb, int m, int n, int k)
    {
        var rng = new RngStream(63);
        int lda = ta ? m : k, ldb = tb ? k : n;
        var a = Normal(rng, (ta ? k : m) * lda);
        var b = Normal(rng, (tb ? n : k) * ldb);
        var c0 = Normal(rng, m * n);
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        fixed (float* pa = a, pb = b, p1 = one, p2 = two)
        {
            GemmRowBroadcast.Run(ta, tb, m, n, k, pa, lda, pb, ldb, 1f, p1, n, 1);
            GemmRowBroadcast.Run(ta, tb, m, n, k, pa, lda, pb, ldb, 1f, p2, n, 2);
        }
        two.Should().Equal(one);
    }

    [Theory]
    [InlineData(false, false, 7, 32, 8)]
    [InlineData(false, false, 16, 48, 8)]
    [InlineData(true, true, 16, 32, 8)]
    [InlineData(false, true, 16, 129, 8)]
    [InlineData(false, true, 16, 32, 257)]
    public void Applies_OutsideItsShapes_False(bool ta, bool tb, int m, int n, int k) =>
        GemmRowBroadcast.Applies(ta, tb, m, n, k).Should().BeFalse();
}
