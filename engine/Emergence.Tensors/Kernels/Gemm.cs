namespace Emergence.Tensors.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major spans. Deterministic: the reduction
/// order over k of every element of C depends only on the problem shape, never on the number of
/// threads, so results are bit-identical across runs and thread counts on the same machine.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Row-major <c>C = alpha·op(A)·op(B) + beta·C</c>, where <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>.
    /// A is m×k (k×m if <paramref name="transA"/>), B is k×n (n×k if <paramref name="transB"/>),
    /// C is m×n; <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are row strides.
    /// When <paramref name="beta"/> is 0, C is write-only (NaN/Inf already in C are ignored).
    /// NaN in A or B propagates as IEEE arithmetic dictates, except that A and B are not read at all
    /// when alpha = 0 or k = 0 (C = beta·C), as in BLAS.
    /// </summary>
    /// <param name="transA">Use Aᵀ.</param>
    /// <param name="transB">Use Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C (≥ 0).</param>
    /// <param name="n">Columns of op(B) and C (≥ 0).</param>
    /// <param name="k">Columns of op(A), rows of op(B) (≥ 0).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Matrix A, row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A (≥ its column count, ≥ 1).</param>
    /// <param name="b">Matrix B, row-major with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B (≥ its column count, ≥ 1).</param>
    /// <param name="beta">Scale of the existing C; 0 means C is overwritten.</param>
    /// <param name="c">Matrix C (m×n), row-major with row stride <paramref name="ldc"/>; updated in place.</param>
    /// <param name="ldc">Row stride of C (≥ n, ≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension or stride is out of range.</exception>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and stride.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, Environment.ProcessorCount);

    /// <summary>
    /// Batched <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>:
    /// for each i in [0, batch), multiplies the matrices starting at <c>i·strideA</c>, <c>i·strideB</c>
    /// and <c>i·strideC</c>. A stride of 0 for A or B broadcasts one matrix over the batch;
    /// C matrices must not overlap (<paramref name="strideC"/> ≥ the extent of one C unless batch ≤ 1).
    /// </summary>
    /// <param name="transA">Use Aᵀ.</param>
    /// <param name="transB">Use Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="alpha">Scale of each product.</param>
    /// <param name="a">All A matrices.</param>
    /// <param name="lda">Row stride of each A.</param>
    /// <param name="strideA">Distance in elements between consecutive A matrices (≥ 0).</param>
    /// <param name="b">All B matrices.</param>
    /// <param name="ldb">Row stride of each B.</param>
    /// <param name="strideB">Distance in elements between consecutive B matrices (≥ 0).</param>
    /// <param name="beta">Scale of each existing C; 0 means C is overwritten.</param>
    /// <param name="c">All C matrices.</param>
    /// <param name="ldc">Row stride of each C.</param>
    /// <param name="strideC">Distance in elements between consecutive C matrices.</param>
    /// <param name="batch">Number of products (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension or stride is out of range.</exception>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and strides.</exception>
    public static void SgemmBatched(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC, int batch)
        => SgemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC, batch, Environment.ProcessorCount);

    /// <summary>As the public overload, with an explicit thread cap (tests use it to prove thread-count independence).</summary>
    internal static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        int maxThreads)
    {
        GemmShape.Validate(transA, transB, m, n, k, lda, ldb, ldc, a.Length, b.Length, c.Length, 0, 0, 0, 1);
        GemmDispatch.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /// <summary>As the public batched overload, with an explicit thread cap.</summary>
    internal static void SgemmBatched(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC, int batch, int maxThreads)
    {
        GemmShape.Validate(transA, transB, m, n, k, lda, ldb, ldc, a.Length, b.Length, c.Length,
            strideA, strideB, strideC, batch);
        GemmBatch.Run(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC, batch, maxThreads);
    }
}
