using System.Runtime.Intrinsics;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Cache-blocked, packed, multithreaded GEMM (the Goto/BLIS loop nest). C is cut into row (or
/// column) strips that threads claim dynamically; each strip runs the whole loop nest with the
/// thread's own packing buffers. k is cut into equal blocks of at most <see cref="Kc"/> that depend on
/// k alone and is never split across threads, so every element's arithmetic is the same whatever the
/// thread count.
/// </summary>
internal readonly unsafe struct GemmBlocked
{
    /// <summary>Largest depth of a packed block (k-slice); an A sliver Mr×Kc stays in L1.</summary>
    public const int Kc = 256;

    /// <summary>Rows of a packed A block, a multiple of Mr.</summary>
    public const int Mc = GemmMicroKernel.Mr * 16;

    /// <summary>Columns of a packed B panel (Kc×Nc floats = 1 MB, kept in L2), a multiple of Nr.</summary>
    public const int Nc = GemmMicroKernel.Nr * 32;

    private const int Mr = GemmMicroKernel.Mr;
    private const int Nr = GemmMicroKernel.Nr;

    private readonly bool transA, transB, splitColumns, use512;
    private readonly int m, n, k, units, chunks;
    private readonly float alpha, beta;
    private readonly float* a, b, c;
    private readonly nint lda, ldb, ldc;

    private GemmBlocked(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda,
        float* b, nint ldb, float beta, float* c, nint ldc, int threads, bool use512)
    {
        (this.transA, this.transB, this.m, this.n, this.k, this.alpha, this.beta) = (transA, transB, m, n, k, alpha, beta);
        this.a = a;
        this.b = b;
        this.c = c;
        (this.lda, this.ldb, this.ldc) = (lda, ldb, ldc);
        this.use512 = use512;
        splitColumns = SplitColumns(transA, transB, m, n);
        // Up to four chunks per thread, so a thread that starts late (or is preempted) is covered by the
        // others, but at least MinChunkSpan rows or columns each; chunks are whole micro-tiles, so the split never
        // changes any element's arithmetic.
        int unit = splitColumns ? Nr : Mr, total = splitColumns ? n : m;
        units = (total + unit - 1) / unit;
        int minUnits = (MinChunkSpan + unit - 1) / unit;
        int perThread = Math.Clamp(units / (Math.Max(threads, 1) * minUnits), 1, 4);
        chunks = threads <= 1 ? 1 : Math.Min(units, threads * perThread);
    }

    /// <summary>
    /// Each chunk re-packs the operand it shares with the other chunks: B for row strips, A for column
    /// strips. Pick the cheaper one: packing B from row-major rows and A from transposed storage are
    /// contiguous vector copies; the other two are strided scatters, about four times dearer per element.
    /// </summary>
    private static bool SplitColumns(bool transA, bool transB, int m, int n)
    {
        long costRows = (long)n * (transB ? 4 : 1);
        long costColumns = (long)m * (transA ? 1 : 4);
        return costColumns < costRows;
    }

    /// <summary>
    /// Smallest chunk, in rows (row strips) or columns (column strips). Every chunk re-packs the whole shared
    /// operand (m·k or k·n elements) for span·k·(other side) multiply-adds, so packing costs about 32/span of the
    /// arithmetic at this kernel's rate: 256 keeps it near 12% (at 128 columns, 64×1000×1000 spent a quarter re-packing A).
    /// </summary>
    private const int MinChunkSpan = 256;

    /// <summary>
    /// Runs a validated product with m, n, k &gt; 0 on up to <paramref name="threads"/> threads.
    /// Single-threaded runs allocate nothing once the packing buffers have grown.
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda,
        float* b, nint ldb, float beta, float* c, nint ldc, int threads, bool use512)
    {
        var job = new GemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, use512);
        int workers = Math.Clamp(threads, 1, job.chunks);
        if (workers == 1)
        {
            for (int ch = 0; ch < job.chunks; ch++) job.Chunk(ch);
            return;
        }
        GemmWorkers.Run(new ChunkQueue(job), workers);
    }

    /// <summary>Computes one chunk: a column strip × all rows, or a row strip × all columns (balanced to ±1 tile).</summary>
    private void Chunk(int ch)
    {
        int unit = splitColumns ? Nr : Mr, total = splitColumns ? n : m;
        int lo = (int)((long)units * ch / chunks) * unit;
        int hi = Math.Min(total, (int)((long)units * (ch + 1) / chunks) * unit);
        if (splitColumns) Block(0, m, lo, hi);
        else Block(lo, hi, 0, n);
    }

    /// <summary>Hands the chunks of one product out to whichever thread asks first.</summary>
    private sealed class ChunkQueue(GemmBlocked job) : GemmWorkers.ChunkJob(job.chunks)
    {
        protected override void RunChunk(int chunk, bool first) => job.Chunk(chunk);
    }

    /// <summary>C[i0..i1, j0..j1) via the jc → pc → ic → jr → ir loop nest.</summary>
    private void Block(int i0, int i1, int j0, int j1)
    {
        int kStep = KStep(k);
        float* pb = GemmBuffers.B(RoundUp(Math.Min(Nc, j1 - j0), Nr) * kStep);
        float* pa = GemmBuffers.A(RoundUp(Math.Min(Mc, i1 - i0), Mr) * kStep);
        for (int jc = j0; jc < j1; jc += Nc)
        {
            int nb = Math.Min(Nc, j1 - jc);
            for (int pc = 0; pc < k; pc += kStep)
            {
                int kb = Math.Min(kStep, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                GemmPacking.PackB(transB, b, ldb, pc, jc, kb, nb, pb);
                for (int ic = i0; ic < i1; ic += Mc)
                {
                    int mb = Math.Min(Mc, i1 - ic);
                    GemmPacking.PackA(transA, a, lda, transA ? m : k, ic, pc, mb, kb, pa);
                    Macro(pa, pb, ic, jc, mb, nb, kb, betaBlock);
                }
            }
        }
    }

    /// <summary>
    /// Depth of each k-block: k split into ceil(k/Kc) nearly equal blocks (no short tail block).
    /// Depends on k only, which keeps every element's summation order independent of threading.
    /// </summary>
    internal static int KStep(int k)
    {
        int blocks = (k + Kc - 1) / Kc;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// One packed A block times one packed B panel. The A sliver (Mr×kb, 14 KB at kb = 256) stays in L1
    /// across the inner loop while B slivers stream from the L2-resident panel; measured faster here
    /// than keeping the 32 KB B sliver in L1 (it leaves too little of the 48 KB L1 for A and C).
    /// </summary>
    private void Macro(float* pa, float* pb, int ic, int jc, int mb, int nb, int kb, float betaBlock)
    {
        for (int ir = 0; ir < mb; ir += Mr)
        {
            int mr = Math.Min(Mr, mb - ir);
            float* aSliver = pa + (nint)ir * kb;
            float* cRow = c + (nint)(ic + ir) * ldc + jc;
            for (int jr = 0; jr < nb; jr += Nr)
            {
                int nr = Math.Min(Nr, nb - jr);
                GemmMicroKernel.Run(kb, aSliver, pb + (nint)jr * kb, cRow + jr, ldc, mr, nr, alpha, betaBlock, use512);
            }
        }
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>True when the Vector512 micro-kernel is usable on this machine.</summary>
    public static bool Vector512Available => Vector512.IsHardwareAccelerated;
}
