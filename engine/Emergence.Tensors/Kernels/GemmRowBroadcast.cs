using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// <c>C = op(A)·op(B) + beta·C</c> for C 32 or 64 columns wide (the layers of a small transformer on a large
/// batch: 1536×32·32×32, and their weight gradients 32×1536·1536×32). A is not packed: each step over p broadcasts
/// A(i, p) straight from memory for a block of rows and multiplies one row of B held in two or four Vector512,
/// so the packing that dominates the blocked path at these widths disappears. Bᵀ (n ≤ 64, k ≤ 256) is transposed
/// once per call. Each element is one FMA chain over p = 0..k-1 followed by <c>acc + beta·c</c>, as in the blocked
/// path's micro-kernel; threads take whole row blocks, so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmRowBroadcast
{
    /// <summary>Largest k for Bᵀ (transposed into a per-thread buffer).</summary>
    public const int MaxKTransposedB = 256;

    [ThreadStatic] private static float[]? t_bt;

    /// <summary>Widest C for Bᵀ (any width up to this; B as stored needs 32 or 64).</summary>
    public const int MaxNTransposedB = 128;

    /// <summary>
    /// True when <see cref="Run"/> handles the product: B as stored with n 32 or 64, or Bᵀ (A as stored, k ≤ 256)
    /// with n ≤ 128 (the transposed copy is zero-padded to whole 32-column blocks, e.g. a 98-word vocabulary head).
    /// </summary>
    public static bool Applies(bool ta, bool tb, int m, int n, int k) =>
        Vector512.IsHardwareAccelerated && m >= 8 && k > 0
        && (tb ? !ta && k <= MaxKTransposedB && n > 0 && n <= MaxNTransposedB : n == 32 || n == 64);

    /// <summary>Runs a product <see cref="Applies"/> accepted (alpha 1) on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Run(bool ta, bool tb, int m, int n, int k, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc,
        int maxThreads)
    {
        if (tb)
        {
            int padded = n == 64 ? 64 : (n + 31) & ~31;
            var bt = t_bt ??= GC.AllocateUninitializedArray<float>(MaxKTransposedB * MaxNTransposedB, pinned: true);
            fixed (float* pt = bt)
            {
                for (int p = 0; p < k; p++)
                {
                    for (int j = 0; j < n; j++) pt[p * padded + j] = b[j * ldb + p];
                    for (int j = n; j < padded; j++) pt[p * padded + j] = 0f;
                }
                Split(new Job(ta, m, n, k, a, lda, pt, padded, beta, c, ldc), maxThreads);
            }
            return;
        }
        Split(new Job(ta, m, n, k, a, lda, b, ldb, beta, c, ldc), maxThreads);
    }

    /// <summary>Row blocks are independent, so they may go to any thread without changing a result.</summary>
    private static void Split(Job job, int maxThreads)
    {
        int blocks = (job.M + job.BlockRows - 1) / job.BlockRows;
        int threads = (long)job.M * job.N * job.K < GemmDispatch.ParallelMinWork ? 1 : Math.Min(maxThreads, blocks);
        if (threads <= 1) job.Rows(0, job.M);
        else GemmWorkers.Run(new Queue(job, Math.Min(blocks, threads * 2)), threads);
    }

    private readonly struct Job(bool ta, int m, int n, int k, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        public int M => m;

        public int N => n;

        public int K => k;

        public int BlockRows => n == 64 ? 4 : 8;

        /// <summary>C rows [i0, i1).</summary>
        public void Rows(int i0, int i1)
        {
            // op(A)(i, p) = a[i·rowStep + p·pStep]
            nint rowStep = ta ? 1 : lda, pStep = ta ? lda : 1;
            int rows = BlockRows, i = i0, full = n & ~31;
            float* tile = stackalloc float[8 * 32];
            for (; i + rows <= i1; i += rows)
            {
                if (n == 64)
                {
                    Block4x64(k, a + i * rowStep, rowStep, pStep, b, ldb, beta, c + i * ldc, ldc);
                    continue;
                }
                for (int j = 0; j < full; j += 32) Block8x32(k, a + i * rowStep, rowStep, pStep, b + j, ldb, beta, c + i * ldc + j, ldc);
                if (full == n) continue;
                // last n − full columns: a whole block against B's zero padding, into a tile, then the real columns
                Block8x32(k, a + i * rowStep, rowStep, pStep, b + full, ldb, 0f, tile, 32);
                for (int r = 0; r < 8; r++) Finish(tile + r * 32, beta, c + (i + r) * ldc + full, n - full);
            }
            for (; i < i1; i++) Row(k, n, a + i * rowStep, pStep, b, ldb, beta, c + i * ldc);
        }
    }

    /// <summary>Hands out row chunks (whole blocks) to whichever thread asks first.</summary>
    private sealed class Queue(Job job, int chunks) : GemmWorkers.ChunkJob(chunks)
    {
        protected override void RunChunk(int chunk, bool first)
        {
            int blocks = (job.M + job.BlockRows - 1) / job.BlockRows;
            int lo = (int)((long)blocks * chunk / Chunks) * job.BlockRows;
            job.Rows(lo, Math.Min(job.M, (int)((long)blocks * (chunk + 1) / Chunks) * job.BlockRows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> acc, float beta, float* c)
    {
        if (beta == 0f) acc.Store(c);
        else Vector512.FusedMultiplyAdd(Vector512.Create(1f), acc, Vector512.Create(beta) * Vector512.Load(c)).Store(c);
    }

    /// <summary>c[j] = acc[j] + beta·c[j] for the first <paramref name="count"/> columns, as <see cref="Store"/> rounds it.</summary>
    private static void Finish(float* acc, float beta, float* c, int count)
    {
        for (int j = 0; j < count; j++) c[j] = beta == 0f ? acc[j] : MathF.FusedMultiplyAdd(1f, acc[j], beta * c[j]);
    }

    /// <summary>One row of C, 16 columns at a time (the last block through a buffer when n is not a multiple of 16).</summary>
    private static void Row(int k, int n, float* a, nint pStep, float* b, nint ldb, float beta, float* c)
    {
        float* tail = stackalloc float[16];
        for (int j = 0; j < n; j += 16)
        {
            var s = Vector512<float>.Zero;
            for (int p = 0; p < k; p++) s = Vector512.FusedMultiplyAdd(Vector512.Create(a[p * pStep]), Vector512.Load(b + p * ldb + j), s);
            if (j + 16 <= n) Store(s, beta, c + j);
            else
            {
                s.Store(tail);
                Finish(tail, beta, c + j, n - j);
            }
        }
    }

    /// <summary>C[0..8, 0..32).</summary>
    private static void Block8x32(int k, float* a, nint rowStep, nint pStep, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        Vector512<float> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        Vector512<float> s40 = default, s41 = default, s50 = default, s51 = default, s60 = default, s61 = default, s70 = default, s71 = default;
        float* a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep, a3 = a + 3 * rowStep;
        float* a4 = a + 4 * rowStep, a5 = a + 5 * rowStep, a6 = a + 6 * rowStep, a7 = a + 7 * rowStep;
        for (int p = 0; p < k; p++)
        {
            nint o = p * pStep;
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            b += ldb;
            var x = Vector512.Create(a0[o]);
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00);
            s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            x = Vector512.Create(a1[o]);
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10);
            s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            x = Vector512.Create(a2[o]);
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20);
            s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            x = Vector512.Create(a3[o]);
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30);
            s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
            x = Vector512.Create(a4[o]);
            s40 = Vector512.FusedMultiplyAdd(x, b0, s40);
            s41 = Vector512.FusedMultiplyAdd(x, b1, s41);
            x = Vector512.Create(a5[o]);
            s50 = Vector512.FusedMultiplyAdd(x, b0, s50);
            s51 = Vector512.FusedMultiplyAdd(x, b1, s51);
            x = Vector512.Create(a6[o]);
            s60 = Vector512.FusedMultiplyAdd(x, b0, s60);
            s61 = Vector512.FusedMultiplyAdd(x, b1, s61);
            x = Vector512.Create(a7[o]);
            s70 = Vector512.FusedMultiplyAdd(x, b0, s70);
            s71 = Vector512.FusedMultiplyAdd(x, b1, s71);
        }
        Store(s00, beta, c); Store(s01, beta, c + 16); c += ldc;
        Store(s10, beta, c); Store(s11, beta, c + 16); c += ldc;
        Store(s20, beta, c); Store(s21, beta, c + 16); c += ldc;
        Store(s30, beta, c); Store(s31, beta, c + 16); c += ldc;
        Store(s40, beta, c); Store(s41, beta, c + 16); c += ldc;
        Store(s50, beta, c); Store(s51, beta, c + 16); c += ldc;
        Store(s60, beta, c); Store(s61, beta, c + 16); c += ldc;
        Store(s70, beta, c); Store(s71, beta, c + 16);
    }

    /// <summary>C[0..4, 0..64).</summary>
    private static void Block4x64(int k, float* a, nint rowStep, nint pStep, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        float* a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep, a3 = a + 3 * rowStep;
        for (int p = 0; p < k; p++)
        {
            nint o = p * pStep;
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);
            var b3 = Vector512.Load(b + 48);
            b += ldb;
            var x = Vector512.Create(a0[o]);
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00);
            s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            s02 = Vector512.FusedMultiplyAdd(x, b2, s02);
            s03 = Vector512.FusedMultiplyAdd(x, b3, s03);
            x = Vector512.Create(a1[o]);
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10);
            s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            s12 = Vector512.FusedMultiplyAdd(x, b2, s12);
            s13 = Vector512.FusedMultiplyAdd(x, b3, s13);
            x = Vector512.Create(a2[o]);
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20);
            s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            s22 = Vector512.FusedMultiplyAdd(x, b2, s22);
            s23 = Vector512.FusedMultiplyAdd(x, b3, s23);
            x = Vector512.Create(a3[o]);
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30);
            s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
            s32 = Vector512.FusedMultiplyAdd(x, b2, s32);
            s33 = Vector512.FusedMultiplyAdd(x, b3, s33);
        }
        Store(s00, beta, c); Store(s01, beta, c + 16); Store(s02, beta, c + 32); Store(s03, beta, c + 48); c += ldc;
        Store(s10, beta, c); Store(s11, beta, c + 16); Store(s12, beta, c + 32); Store(s13, beta, c + 48); c += ldc;
        Store(s20, beta, c); Store(s21, beta, c + 16); Store(s22, beta, c + 32); Store(s23, beta, c + 48); c += ldc;
        Store(s30, beta, c); Store(s31, beta, c + 16); Store(s32, beta, c + 32); Store(s33, beta, c + 48);
    }
}
