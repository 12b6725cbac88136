using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed unsafe class GemmMicroKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(GemmMicroKernel.Mr, GemmMicroKernel.Nr, 37)]
    [InlineData(5, 17, 256)]
    [InlineData(GemmMicroKernel.Mr - 1, GemmMicroKernel.Nr - 1, 3)]
    public void Run_Vector512AndPortable_BitIdentical(int mr, int nr, int kc)
    {
        var a = GemmReference.Fill(kc * GemmMicroKernel.Mr, 31);
        var b = GemmReference.Fill(kc * GemmMicroKernel.Nr, 32);
        const int ldc = GemmMicroKernel.Nr + 3;
        var c512 = GemmReference.Fill(GemmMicroKernel.Mr * ldc, 33);
        var cPortable = (float[])c512.Clone();
        fixed (float* pa = a, pb = b, p512 = c512, pp = cPortable)
        {
            if (GemmBlocked.Vector512Available)
                GemmMicroKernel.Run(kc, pa, pb, p512, ldc, mr, nr, 1.5f, 0.25f, use512: true);
            else
                GemmMicroKernel.Run(kc, pa, pb, p512, ldc, mr, nr, 1.5f, 0.25f, use512: false);
            GemmMicroKernel.Run(kc, pa, pb, pp, ldc, mr, nr, 1.5f, 0.25f, use512: false);
        }
        cPortable.Should().Equal(c512);
    }

    [Fact]
    public void Run_PortablePath_MatchesReference()
    {
        const int kc = 50, mr = GemmMicroKernel.Mr, nr = GemmMicroKernel.Nr;
        var a = GemmReference.Fill(kc * mr, 41);
        var b = GemmReference.Fill(kc * nr, 42);
        var c = new float[mr * nr];
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmMicroKernel.Run(kc, pa, pb, pc, nr, mr, nr, 1f, 0f, use512: false);
        }
        for (int r = 0; r < mr; r++)
        {
            for (int j = 0; j < nr; j++)
            {
                double s = 0;
                for (int p = 0; p < kc; p++) s += (double)a[p * mr + r] * b[p * nr + j];
                c[r * nr + j].Should().BeApproximately((float)s, 1e-4f);
            }
        }
    }

    [Fact]
    public void BlockedRun_PortableKernel_BitIdenticalToVector512()
    {
        const int m = 70, n = 90, k = 300;
        var a = GemmReference.Fill(k * m, 51);
        var b = GemmReference.Fill(n * k, 52);
        var c1 = GemmReference.Fill(m * n, 53);
        var c2 = (float[])c1.Clone();
        fixed (float* pa = a, pb = b, p1 = c1, p2 = c2)
        {
            GemmBlocked.Run(true, true, m, n, k, 0.5f, pa, m, pb, k, 2f, p1, n, 2, GemmBlocked.Vector512Available);
            GemmBlocked.Run(true, true, m, n, k, 0.5f, pa, m, pb, k, 2f, p2, n, 1, false);
        }
        c2.Should().Equal(c1);
    }
}
