using System.Numerics;
using System.Runtime.InteropServices;
using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Operations;

/// <summary>Row-major GEMM for float (the SIMD kernel) and double (a plain reference loop for gradient checks).</summary>
internal static class GemmT
{
    /// <summary>Largest per-matrix product (multiply-adds) the batched path runs as a serial loop.</summary>
    private const long DirectMaxWork = 16 * 16 * 16;

    /// <summary><c>C = alpha·op(A)·op(B) + beta·C</c>, batched with element strides (0 broadcasts).</summary>
    public static void Run<T>(bool ta, bool tb, int m, int n, int k, ReadOnlySpan<T> a, int lda, long sa,
        ReadOnlySpan<T> b, int ldb, long sb, T beta, Span<T> c, int ldc, long sc, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var af = MemoryMarshal.Cast<T, float>(a);
            var bf = MemoryMarshal.Cast<T, float>(b);
            var cf = MemoryMarshal.Cast<T, float>(c);
            float betaF = float.CreateTruncating(beta);
            if (SkinnyGemm.Applies(ta, tb, n, k))
            {
                for (int p = 0; p < batch; p++)
                    SkinnyGemm.Run(m, n, k, af[(int)(p * sa)..], lda, bf[(int)(p * sb)..], ldb, betaF, cf[(int)(p * sc)..], ldc);
                return;
            }
            if (batch == 1 && GemmRowBroadcast.Applies(ta, tb, m, n, k))
            {
                unsafe
                {
                    fixed (float* pa = af, pb = bf, pc = cf) GemmRowBroadcast.Run(ta, tb, m, n, k, pa, lda, pb, ldb, betaF, pc, ldc, Environment.ProcessorCount);
                }
                return;
            }
            if (batch > 1 && (long)m * n * k <= DirectMaxWork)
            {
                // Many tiny products (attention heads): a serial loop over the kernel's direct path allocates
                // nothing, while the batched entry point forks per call.
                for (int p = 0; p < batch; p++)
                    Gemm.Sgemm(ta, tb, m, n, k, 1f, af[(int)(p * sa)..], lda, bf[(int)(p * sb)..], ldb, betaF, cf[(int)(p * sc)..], ldc);
                return;
            }
            if (batch == 1) Gemm.Sgemm(ta, tb, m, n, k, 1f, af, lda, bf, ldb, betaF, cf, ldc);
            else Gemm.SgemmBatched(ta, tb, m, n, k, 1f, af, lda, sa, bf, ldb, sb, betaF, cf, ldc, sc, batch);
            return;
        }
        for (int p = 0; p < batch; p++)
            Reference(ta, tb, m, n, k, a[(int)(p * sa)..], lda, b[(int)(p * sb)..], ldb, beta, c[(int)(p * sc)..], ldc);
    }

    private static void Reference<T>(bool ta, bool tb, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                    s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                ref T dst = ref c[i * ldc + j];
                dst = beta == T.Zero ? s : beta * dst + s;
            }
    }
}
