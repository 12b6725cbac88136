using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed unsafe class GemmDirectTests
{
    [Theory]
    [InlineData(false, false, 3, 96, 32)]
    [InlineData(false, false, 20, 131, 256)]
    [InlineData(true, false, 17, 70, 9)]
    [InlineData(false, true, 15, 37, 100)]
    [InlineData(true, true, 29, 5, 64)]
    public void Run_KWithinOneBlock_BitIdenticalToBlockedPath(bool ta, bool tb, int m, int n, int k)
    {
        int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
        var a = GemmReference.Fill((ta ? k : m) * lda, 61);
        var b = GemmReference.Fill((tb ? n : k) * ldb, 62);
        var direct = GemmReference.Fill(m * ldc, 63);
        var blocked = (float[])direct.Clone();
        fixed (float* pa = a, pb = b, pd = direct, pk = blocked)
        {
            GemmDirect.Run(ta, tb, m, n, k, -0.75f, pa, lda, pb, ldb, 1.5f, pd, ldc);
            GemmBlocked.Run(ta, tb, m, n, k, -0.75f, pa, lda, pb, ldb, 1.5f, pk, ldc, 2, GemmBlocked.Vector512Available);
        }
        direct.Should().Equal(blocked);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Run_EveryNUpTo130_MatchesReference(bool ta, bool tb)
    {
        const int m = 3, k = 21;
        for (int n = 1; n <= 130; n++)
        {
            int lda = ta ? m : k, ldb = tb ? k : n;
            var a = GemmReference.Fill(m * k, (uint)n);
            var b = GemmReference.Fill(n * k, (uint)n + 1);
            var c = GemmReference.Fill(m * n, (uint)n + 2);
            var before = (float[])c.Clone();
            var expected = GemmReference.Multiply(ta, tb, m, n, k, 2f, a, lda, b, ldb, -1f, c, n);
            fixed (float* pa = a, pb = b, pc = c)
            {
                GemmDirect.Run(ta, tb, m, n, k, 2f, pa, lda, pb, ldb, -1f, pc, n);
            }
            GemmReference.AssertClose(expected, c, before, m, n, k, n, $"ta={ta} tb={tb} n={n}");
        }
    }
}
