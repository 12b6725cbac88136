using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

/// <summary>Sweeps the packed path directly (the public entry sends small shapes to the direct path).</summary>
public sealed unsafe class GemmBlockedTests
{
    private static void Check(bool ta, bool tb, int m, int n, int k, int threads)
    {
        int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 1;
        var a = GemmReference.Fill((ta ? k : m) * lda, (uint)(m + 3 * k));
        var b = GemmReference.Fill((tb ? n : k) * ldb, (uint)(n + 5 * k));
        var c = GemmReference.Fill(m * ldc, (uint)(m * n));
        var before = (float[])c.Clone();
        var expected = GemmReference.Multiply(ta, tb, m, n, k, 1.25f, a, lda, b, ldb, 0.5f, c, ldc);
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmBlocked.Run(ta, tb, m, n, k, 1.25f, pa, lda, pb, ldb, 0.5f, pc, ldc, threads, GemmBlocked.Vector512Available);
        }
        GemmReference.AssertClose(expected, c, before, m, n, k, ldc, $"ta={ta} tb={tb} m={m} n={n} k={k}");
    }

    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Run_EveryDimensionUpTo130_MatchesReference(bool ta, bool tb)
    {
        for (int d = 1; d <= 130; d++)
        {
            Check(ta, tb, d, 37, 19, 2);
            Check(ta, tb, 20, d, 11, 2);
            Check(ta, tb, 17, 33, d, 1);
        }
    }

    [Fact]
    public void KStep_SplitsKIntoEqualBlocksNoLargerThanKc()
    {
        GemmBlocked.KStep(1).Should().Be(1);
        GemmBlocked.KStep(GemmBlocked.Kc).Should().Be(GemmBlocked.Kc);
        GemmBlocked.KStep(GemmBlocked.Kc + 1).Should().Be(GemmBlocked.Kc / 2 + 1);
        GemmBlocked.KStep(3 * GemmBlocked.Kc).Should().Be(GemmBlocked.Kc);
    }
}
