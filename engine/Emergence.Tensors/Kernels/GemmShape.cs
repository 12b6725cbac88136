namespace Emergence.Tensors.Kernels;

/// <summary>Argument validation shared by the GEMM entry points (runs once per call, before any work).</summary>
internal static class GemmShape
{
    /// <summary>Elements a rows×cols row-major matrix with row stride ld spans (0 when empty).</summary>
    public static long Extent(int rows, int cols, int ld)
        => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    /// <summary>Throws when a dimension, stride or span length cannot describe the requested product.</summary>
    public static void Validate(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc,
        int aLength, int bLength, int cLength, long strideA, long strideB, long strideC, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(strideA);
        ArgumentOutOfRangeException.ThrowIfNegative(strideB);
        ArgumentOutOfRangeException.ThrowIfNegative(strideC);
        int colsA = transA ? m : k, colsB = transB ? k : n;
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, Math.Max(1, colsA));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, Math.Max(1, colsB));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, Math.Max(1, n));
        long extA = Extent(transA ? k : m, colsA, lda);
        long extB = Extent(transB ? n : k, colsB, ldb);
        long extC = Extent(m, n, ldc);
        if (batch > 1 && extC > 0 && strideC < extC)
        {
            throw new ArgumentOutOfRangeException(nameof(strideC), strideC,
                $"C matrices would overlap: strideC must be at least {extC} (one m×n matrix with ldc {ldc}).");
        }
        CheckLength("a", aLength, extA, strideA, batch);
        CheckLength("b", bLength, extB, strideB, batch);
        CheckLength("c", cLength, extC, strideC, batch);
    }

    private static void CheckLength(string name, int length, long extent, long stride, int batch)
    {
        if (batch == 0 || extent == 0) return;
        long need = (batch - 1) * stride + extent;
        if (length < need)
        {
            throw new ArgumentException(
                $"Span '{name}' has {length} elements but the shape, stride and batch need {need}.", name);
        }
    }
}
