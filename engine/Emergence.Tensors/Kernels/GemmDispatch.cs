namespace Emergence.Tensors.Kernels;

/// <summary>Chooses the GEMM path for validated arguments: trivial cases, the direct small path, or the blocked path.</summary>
internal static class GemmDispatch
{
    /// <summary>Products with at most this many multiply-adds take the unpacked direct path.</summary>
    public const long DirectMaxWork = 32 * 32 * 32;

    /// <summary>Products with at most this many rows take the direct path (a packed tile would be mostly padding).</summary>
    public const int DirectMaxRows = 4;

    /// <summary>Products below this many multiply-adds run on one thread (fork/join costs more than it saves).</summary>
    public const long ParallelMinWork = 96L * 96 * 96;

    /// <summary>Runs one validated product.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        int maxThreads)
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        int threads = (long)m * n * k < ParallelMinWork ? 1 : maxThreads;
        unsafe
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                if (UseDirect(m, n, k))
                {
                    GemmDirect.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                }
                else
                {
                    GemmBlocked.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads,
                        GemmBlocked.Vector512Available);
                }
            }
        }
    }

    /// <summary>
    /// The direct path wins (measured here) for very few rows, tiny products, and short, thin ones
    /// (fewer than 16 rows with k ≤ 128), where packing and 14-row tiles are mostly overhead.
    /// </summary>
    public static bool UseDirect(int m, int n, int k)
        => m <= DirectMaxRows || (long)m * n * k <= DirectMaxWork || (m < 16 && k <= 128);

    /// <summary>C = beta·C, with beta = 0 writing zeros (so NaN in C is discarded).</summary>
    public static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
