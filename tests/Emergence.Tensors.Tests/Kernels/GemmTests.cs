using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class GemmTests
{
    private static void Check(bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, int threads,
        bool nanInC = false)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        lda = Math.Max(lda, 1); ldb = Math.Max(ldb, 1); ldc = Math.Max(ldc, 1);
        var a = GemmReference.Fill((ta ? k : m) * lda, (uint)(m * 7 + k));
        var b = GemmReference.Fill((tb ? n : k) * ldb, (uint)(n * 13 + k + 1));
        var c = GemmReference.Fill(m * ldc, (uint)(m + n + 3));
        if (nanInC) Array.Fill(c, float.NaN);
        var before = (float[])c.Clone();
        var expected = GemmReference.Multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);
        GemmReference.AssertClose(expected, c, before, m, n, k, ldc,
            $"ta={ta} tb={tb} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}");
    }

    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Sgemm_EveryMUpTo130_MatchesReference(bool ta, bool tb)
    {
        for (int m = 0; m <= 130; m++) Check(ta, tb, m, 5, 7, 1f, 0f, 0, 2);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Sgemm_EveryNUpTo130_MatchesReference(bool ta, bool tb)
    {
        for (int n = 0; n <= 130; n++) Check(ta, tb, 3, n, 9, 1f, 0f, 1, 2);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Sgemm_EveryKUpTo130_MatchesReference(bool ta, bool tb)
    {
        for (int k = 0; k <= 130; k++) Check(ta, tb, 4, 6, k, 1f, 0f, 2, 2);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Sgemm_OddShapeGrid_MatchesReference(bool ta, bool tb)
    {
        int[] sizes = [1, 13, 31, 33, 64, 97, 130];
        foreach (int m in sizes)
            foreach (int n in sizes)
                foreach (int k in sizes)
                    Check(ta, tb, m, n, k, 0.75f, 0.5f, 3, 2);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Sgemm_LargeBlockedShapes_MatchReference(bool ta, bool tb)
    {
        Check(ta, tb, 301, 157, 613, 1f, 0f, 5, 2);
        Check(ta, tb, 67, 1100, 259, -1.5f, 2f, 0, 2);
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(2f, 1f)]
    [InlineData(-0.5f, -3f)]
    [InlineData(0f, 0.25f)]
    [InlineData(0f, 0f)]
    public void Sgemm_AlphaBetaVariants_MatchReference(float alpha, float beta)
    {
        Check(false, false, 37, 45, 29, alpha, beta, 1, 2);
        Check(true, true, 150, 140, 300, alpha, beta, 2, 2);
    }

    [Theory]
    [InlineData(5, 7, 3)]
    [InlineData(200, 190, 280)]
    public void Sgemm_BetaZeroWithNaNInC_IgnoresOldC(int m, int n, int k)
    {
        Check(false, false, m, n, k, 1f, 0f, 2, 2, nanInC: true);
        Check(true, false, m, n, 0, 1f, 0f, 2, 2, nanInC: true);
        Check(false, true, m, n, k, 0f, 0f, 2, 2, nanInC: true);
    }

    [Theory]
    [InlineData(false, false, 517, 389, 700)]
    [InlineData(true, true, 260, 1030, 300)]
    [InlineData(false, true, 1000, 40, 100)]
    [InlineData(true, false, 33, 33, 1500)]
    public void Sgemm_OneVersusTwoThreads_BitIdentical(bool ta, bool tb, int m, int n, int k)
    {
        int lda = ta ? m : k, ldb = tb ? k : n;
        var a = GemmReference.Fill((ta ? k : m) * lda, 1);
        var b = GemmReference.Fill((tb ? n : k) * ldb, 2);
        var c0 = GemmReference.Fill(m * n, 3);
        var c1 = (float[])c0.Clone();
        var c2 = (float[])c0.Clone();
        var c3 = (float[])c0.Clone();
        Gemm.Sgemm(ta, tb, m, n, k, 1.25f, a, lda, b, ldb, 0.5f, c1, n, 1);
        Gemm.Sgemm(ta, tb, m, n, k, 1.25f, a, lda, b, ldb, 0.5f, c2, n, 2);
        Gemm.Sgemm(ta, tb, m, n, k, 1.25f, a, lda, b, ldb, 0.5f, c3, n, 2);
        c2.Should().Equal(c1, "thread count must not change any bit");
        c3.Should().Equal(c2, "repeated calls must be bit-identical");
    }

    [Fact]
    public void SgemmBatched_SeveralMatrices_EachMatchesSingleCall()
    {
        const int m = 9, n = 35, k = 17, batch = 4;
        var a = GemmReference.Fill(batch * m * k, 4);
        var b = GemmReference.Fill(k * n, 5);
        var c = new float[batch * (m * n + 3)];
        Gemm.SgemmBatched(false, false, m, n, k, 1f, a, k, m * k, b, n, 0, 0f, c, n, m * n + 3, batch);
        for (int i = 0; i < batch; i++)
        {
            var one = new float[m * n];
            Gemm.Sgemm(false, false, m, n, k, 1f, a.AsSpan(i * m * k), k, b, n, 0f, one, n);
            c.AsSpan(i * (m * n + 3), m * n).ToArray().Should().Equal(one);
        }
    }

    [Theory]
    [InlineData(true, false, 7, 33, 20, 6)]
    [InlineData(false, true, 130, 140, 150, 3)]
    [InlineData(false, false, 4, 5, 0, 2)]
    public void SgemmBatched_OneVersusTwoThreads_BitIdenticalAndCorrect(bool ta, bool tb, int m, int n, int k, int batch)
    {
        int lda = Math.Max(1, ta ? m : k), ldb = Math.Max(1, tb ? k : n), sa = m * k + 1, sb = n * k + 2, sc = m * n + 3;
        var a = GemmReference.Fill(batch * sa, 6);
        var b = GemmReference.Fill(batch * sb, 7);
        var c1 = GemmReference.Fill(batch * sc, 8);
        var c2 = (float[])c1.Clone();
        var before = (float[])c1.Clone();
        Gemm.SgemmBatched(ta, tb, m, n, k, 0.5f, a, lda, sa, b, ldb, sb, 1f, c1, n, sc, batch, 1);
        Gemm.SgemmBatched(ta, tb, m, n, k, 0.5f, a, lda, sa, b, ldb, sb, 1f, c2, n, sc, batch, 2);
        c2.Should().Equal(c1);
        for (int i = 0; i < batch; i++)
        {
            var expected = GemmReference.Multiply(ta, tb, m, n, k, 0.5f, a[(i * sa)..], lda, b[(i * sb)..], ldb, 1f,
                before[(i * sc)..], n);
            GemmReference.AssertClose(expected, c2[(i * sc)..], before[(i * sc)..], m, n, k, n, $"batch {i}");
        }
    }

    [Theory]
    [InlineData(512, 96, 32, 1)]
    [InlineData(32, 96, 32, 2)]
    [InlineData(8, 8, 8, 2)]
    public void Sgemm_RepeatedCallSingleThread_AllocatesNothing(int m, int n, int k, int threads)
    {
        var a = GemmReference.Fill(m * k, 9);
        var b = GemmReference.Fill(k * n, 10);
        var c = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, threads);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, threads);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Sgemm_SpanTooShort_Throws()
    {
        var act = () => Gemm.Sgemm(false, false, 4, 4, 4, 1f, new float[15], 4, new float[16], 4, 0f, new float[16], 4);
        act.Should().Throw<ArgumentException>().WithParameterName("a");
    }

    [Fact]
    public void Sgemm_StrideBelowColumns_Throws()
    {
        var act = () => Gemm.Sgemm(false, true, 4, 4, 4, 1f, new float[16], 4, new float[16], 3, 0f, new float[16], 4);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ldb");
    }

    [Fact]
    public void SgemmBatched_OverlappingC_Throws()
    {
        var act = () => Gemm.SgemmBatched(false, false, 2, 2, 2, 1f, new float[4], 2, 0, new float[4], 2, 0,
            0f, new float[8], 2, 3, 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("strideC");
    }
}
