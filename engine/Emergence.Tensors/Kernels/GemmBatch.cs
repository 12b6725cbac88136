namespace Emergence.Tensors.Kernels;

/// <summary>
/// Runs a validated batch of products. Small products run one per thread in parallel over the batch
/// (each C matrix is independent, so the result does not depend on the thread count); large ones run
/// one after another, each using all threads.
/// </summary>
internal sealed unsafe class GemmBatch
{
    private readonly bool transA, transB;
    private readonly int m, n, k, lda, ldb, ldc;
    private readonly float alpha, beta;
    private readonly float* a, b, c;
    private readonly long strideA, strideB, strideC, extA, extB, extC;

    private GemmBatch(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, long strideA,
        float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC)
    {
        (this.transA, this.transB, this.m, this.n, this.k, this.alpha, this.beta) = (transA, transB, m, n, k, alpha, beta);
        this.a = a;
        this.b = b;
        this.c = c;
        (this.lda, this.ldb, this.ldc, this.strideA, this.strideB, this.strideC) = (lda, ldb, ldc, strideA, strideB, strideC);
        extA = GemmShape.Extent(transA ? k : m, transA ? m : k, lda);
        extB = GemmShape.Extent(transB ? n : k, transB ? k : n, ldb);
        extC = GemmShape.Extent(m, n, ldc);
    }

    /// <summary>Runs all products of a validated batch.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC, int batch, int maxThreads)
    {
        if (batch == 0 || m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new GemmBatch(transA, transB, m, n, k, alpha, pa, lda, strideA, pb, ldb, strideB, beta, pc, ldc, strideC);
            bool small = (long)m * n * k < GemmDispatch.ParallelMinWork;
            if (small && maxThreads > 1 && batch > 1)
            {
                Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, i => job.One(i, 1));
            }
            else
            {
                for (int i = 0; i < batch; i++) job.One(i, maxThreads);
            }
        }
    }

    private void One(int i, int threads)
    {
        var ai = new ReadOnlySpan<float>(a + i * strideA, (int)extA);
        var bi = new ReadOnlySpan<float>(b + i * strideB, (int)extB);
        var ci = new Span<float>(c + i * strideC, (int)extC);
        GemmDispatch.Run(transA, transB, m, n, k, alpha, ai, lda, bi, ldb, beta, ci, ldc, threads);
    }
}
