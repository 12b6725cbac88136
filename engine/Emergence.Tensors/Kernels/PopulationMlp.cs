using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Forward pass of P two-layer MLPs (in → H → 1) on shared inputs without gradients, the inner loop of evaluating
/// an evolving population: <c>y[r, p] = w2[p]·act(W1[p]·x[r] + b1[p]) + b2[p]</c>. One pass instead of three ops:
/// each thread transposes x once into its own buffer (rows become vector lanes), and each register tile of 3 hidden
/// units × 112 rows broadcasts weights from W1 as stored and multiplies columns of xᵀ, so no weight matrix is packed;
/// bias, activation and the second layer run on the tile's results while they are in cache, and the (R, P·H) hidden
/// layer is never written. Threads take whole members; outputs go through a member-major buffer (no two threads
/// write one cache line) and are transposed into (R, P) at the end. The cost is row padding: rows run in 16-lane
/// vectors. Where the last vector of a 7-vector tile holds at most 5 real rows (100 rows: 4) it is packed, those rows
/// once per unit of the tile (<see cref="PackedTail"/>), so the tile costs 19 FMAs per input instead of 21.
/// <para>
/// Bit-identical to the composed path (<see cref="Ops.Linear{T}"/>, <see cref="Ops.Tanh{T}"/> or
/// <see cref="Ops.Relu{T}"/>, <see cref="Ops.GroupedLinear{T}"/>) wherever <see cref="Applies"/> holds: every hidden
/// pre-activation is summed in the blocks of inputs the GEMM would use (one FMA chain over all inputs on the direct
/// path and for in ≤ <see cref="GemmBlocked.Kc"/>, else <see cref="GemmBlocked.KStep"/>-long chains), each block's
/// chain added to the running sum that starts from <c>b1</c>, as the GEMM's <c>acc + 1·c</c>; activations are the same
/// vector functions; the output layer repeats <see cref="GroupedDot"/>'s products, lane sums and horizontal-add
/// tree. So evaluating with or without a tape gives the same numbers, and results never depend on thread count.
/// </para>
/// </summary>
internal static unsafe class PopulationMlp
{
    /// <summary>Hidden units per register tile.</summary>
    private const int TileUnits = 3;

    /// <summary>Row vectors (16 rows each) per full register tile.</summary>
    private const int TileVectors = 7;

    private const int TileRows = TileVectors * 16;

    /// <summary>Members evaluated one per chunk at the end of a call (finer pieces last balance the threads).</summary>
    private const int TailMembers = 4;

    [ThreadStatic] private static float[]? t_xt, t_h, t_yt, t_seen;

    /// <summary>Shape of the x whose bits <c>t_seen</c> holds and whose transpose <c>t_xt</c> holds, on this thread.</summary>
    [ThreadStatic] private static (int Rows, int InF) t_seenShape;

    /// <summary>Below this many multiply-adds the product runs on the calling thread only.</summary>
    private const long ParallelMinWork = GemmDispatch.ParallelMinWork;

    /// <summary>Weights of a unit past the end of a chunk: a full tile runs against zeros and its results are dropped.</summary>
    private static readonly float[] Zeros = GC.AllocateArray<float>(GemmBlocked.Kc + 16, pinned: true);

    /// <summary>Transposition steps for <see cref="Transpose16"/>: swap bit b of the row index with bit b of the column index.</summary>
    private static readonly Vector512<int>[] SwapLow = new Vector512<int>[4], SwapHigh = new Vector512<int>[4];

    static PopulationMlp()
    {
        Span<int> lo = stackalloc int[16], hi = stackalloc int[16];
        for (int b = 0; b < 4; b++)
        {
            int bit = 1 << b;
            for (int c = 0; c < 16; c++)
            {
                bool set = (c & bit) != 0;
                lo[c] = set ? 16 + (c ^ bit) : c; // row r (bit b clear): own lane, or the partner row's lane c − bit
                hi[c] = set ? 16 + c : c | bit;   // row r + bit: own lane, or row r's lane c + bit
            }
            SwapLow[b] = Vector512.Create((ReadOnlySpan<int>)lo);
            SwapHigh[b] = Vector512.Create((ReadOnlySpan<int>)hi);
        }
    }

    /// <summary>
    /// True when <see cref="Run"/> computes exactly what the composed ops would: AVX-512, more than
    /// <see cref="SkinnyGemm.MaxN"/> hidden units in all (the skinny GEMM sums in another order), one output, and an
    /// output layer that takes <see cref="GroupedDot"/> (H a multiple of 8, at least 8 members).
    /// </summary>
    public static bool Applies(int rows, int inF, int count, int hidden, int outF, Activation activation) =>
        Avx512F.IsSupported && rows > 0 && inF > 0 && (long)count * hidden > SkinnyGemm.MaxN
        && outF == 1 && GroupedDot.Applies(hidden, count) && activation is Activation.Tanh or Activation.Relu;

    /// <summary>
    /// x (rows, inF); w1 (count, hidden, inF); b1 (count, hidden); w2 (count, 1, hidden); b2 (count); y (rows, count).
    /// </summary>
    public static void Run(int rows, int inF, int count, int hidden, float* x, float* w1, float* b1, Activation activation,
        float* w2, float* b2, float* y, int maxThreads)
    {
        int ld = (rows + 15) & ~15;
        // Chunks of 3 members (a multiple of 3 units, so no tile runs against padding) where H is not a multiple of 3,
        // and some single members, claimed last (see Chunk), so whichever thread finishes first is never left waiting
        // long for the other.
        int members = hidden % TileUnits == 0 ? 1 : TileUnits;
        int singles = Math.Min(count, TailMembers), big = (count - singles) / members;
        singles = count - big * members;
        int chunks = big + singles;
        float* yt = GemmBuffers.Aligned(ref t_yt, count * ld); // (count, ld): member rows, whole cache lines each
        // the GEMM behind Ops.Linear sums in k-blocks on its blocked path; mirror its choice so every rounding matches
        int kStep = GemmDispatch.UseDirect(rows, count * hidden, inF) ? inF : GemmBlocked.KStep(inF);
        var job = new Job(rows, ld, inF, kStep, count, hidden, members, big, PackedTail(rows), x, w1, b1, activation, w2, b2, yt);
        int threads = (long)rows * count * hidden * inF < ParallelMinWork ? 1 : Math.Min(maxThreads, chunks);
        if (threads <= 1)
        {
            float* xt = job.Pack();
            for (int c = 0; c < chunks; c++) job.Chunk(c, xt);
        }
        else
        {
            GemmWorkers.Run(new Queue(job, chunks), threads);
            job.PrefetchOutputs(); // transposing the helpers' rows with plain loads measured 2.5 µs, 1.7 µs after this
        }
        Transpose(yt, count, rows, ld, y, count, count);
    }

    /// <summary>
    /// Rows in the last vector of xᵀ when they run packed, or 0: when that vector ends a full tile (7 vectors) and holds
    /// at most 5 real rows, it holds those rows three times over, once per unit of the tile, so the tile's last FMA per
    /// input serves all three units (100 rows: 19 FMAs per input instead of 21) instead of each unit's own FMA running
    /// mostly on padding.
    /// </summary>
    internal static int PackedTail(int rows)
    {
        int m = rows % 16, vectors = (rows + 15) / 16;
        return m is >= 1 and <= MaxPackedTail && vectors % TileVectors == 0 ? m : 0;
    }

    /// <summary>Most rows a packed last vector holds: three units' copies must fit 16 lanes.</summary>
    private const int MaxPackedTail = 16 / TileUnits;

    /// <summary>
    /// True when a[0..n) and b[0..n) hold the same bits (so +0 and −0, or two NaN payloads, differ), four Vector512
    /// at a time with an early exit every 1024 floats (MemoryExtensions.SequenceEqual took as long as transposing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool SameBits(float* a, float* b, int n)
    {
        int i = 0;
        while (i + 64 <= n)
        {
            var diff = Vector512<uint>.Zero;
            for (int end = Math.Min(n & ~63, i + 1024); i < end; i += 64)
            {
                diff |= (Vector512.Load(a + i) ^ Vector512.Load(b + i)).AsUInt32() | (Vector512.Load(a + i + 16) ^ Vector512.Load(b + i + 16)).AsUInt32()
                    | (Vector512.Load(a + i + 32) ^ Vector512.Load(b + i + 32)).AsUInt32() | (Vector512.Load(a + i + 48) ^ Vector512.Load(b + i + 48)).AsUInt32();
            }
            if (diff != Vector512<uint>.Zero) return false;
        }
        for (; i < n; i++)
            if (BitConverter.SingleToUInt32Bits(a[i]) != BitConverter.SingleToUInt32Bits(b[i])) return false;
        return true;
    }

    /// <summary>
    /// dst[c·ldd + r] = src[r·lds + c] for c &lt; cols and r &lt; srcRows, and 0 for srcRows ≤ r &lt; dstWidth
    /// (zero-padded rows); 16×16 blocks through registers, the edges element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a generation's hot loops: no slow tier-0 start
    internal static void Transpose(float* src, int srcRows, int cols, nint lds, float* dst, nint ldd, int dstWidth)
    {
        int fullCols = cols & ~15, r0 = 0;
        for (; r0 + 16 <= dstWidth; r0 += 16)
        {
            int valid = Math.Min(16, srcRows - r0);
            float* s = src + r0 * lds;
            for (int c0 = 0; c0 < fullCols; c0 += 16) Transpose16(s + c0, lds, valid, dst + c0 * ldd + r0, ldd);
            for (int c = fullCols; c < cols; c++)
                for (int i = 0; i < 16; i++) dst[c * ldd + r0 + i] = i < valid ? s[i * lds + c] : 0f;
        }
        for (int c = 0; c < cols; c++)
            for (int r = r0; r < dstWidth; r++) dst[c * ldd + r] = r < srcRows ? src[r * lds + c] : 0f;
    }

    /// <summary>
    /// One 16×16 block: <paramref name="valid"/> rows of 16 from <paramref name="src"/> (row stride <paramref name="lds"/>,
    /// missing rows as zeros) to 16 rows of 16 at <paramref name="dst"/>, through four rounds of two-source permutes that
    /// each swap one bit of the row index with the same bit of the column index.
    /// </summary>
    private static void Transpose16(float* src, nint lds, int valid, float* dst, nint ldd)
    {
        Vector512<float> v0 = Row(src, lds, 0, valid), v1 = Row(src, lds, 1, valid), v2 = Row(src, lds, 2, valid), v3 = Row(src, lds, 3, valid);
        Vector512<float> v4 = Row(src, lds, 4, valid), v5 = Row(src, lds, 5, valid), v6 = Row(src, lds, 6, valid), v7 = Row(src, lds, 7, valid);
        Vector512<float> v8 = Row(src, lds, 8, valid), v9 = Row(src, lds, 9, valid), v10 = Row(src, lds, 10, valid), v11 = Row(src, lds, 11, valid);
        Vector512<float> v12 = Row(src, lds, 12, valid), v13 = Row(src, lds, 13, valid), v14 = Row(src, lds, 14, valid), v15 = Row(src, lds, 15, valid);
        var lo = SwapLow[0];
        var hi = SwapHigh[0];
        Swap(ref v0, ref v1, lo, hi); Swap(ref v2, ref v3, lo, hi); Swap(ref v4, ref v5, lo, hi); Swap(ref v6, ref v7, lo, hi);
        Swap(ref v8, ref v9, lo, hi); Swap(ref v10, ref v11, lo, hi); Swap(ref v12, ref v13, lo, hi); Swap(ref v14, ref v15, lo, hi);
        lo = SwapLow[1];
        hi = SwapHigh[1];
        Swap(ref v0, ref v2, lo, hi); Swap(ref v1, ref v3, lo, hi); Swap(ref v4, ref v6, lo, hi); Swap(ref v5, ref v7, lo, hi);
        Swap(ref v8, ref v10, lo, hi); Swap(ref v9, ref v11, lo, hi); Swap(ref v12, ref v14, lo, hi); Swap(ref v13, ref v15, lo, hi);
        lo = SwapLow[2];
        hi = SwapHigh[2];
        Swap(ref v0, ref v4, lo, hi); Swap(ref v1, ref v5, lo, hi); Swap(ref v2, ref v6, lo, hi); Swap(ref v3, ref v7, lo, hi);
        Swap(ref v8, ref v12, lo, hi); Swap(ref v9, ref v13, lo, hi); Swap(ref v10, ref v14, lo, hi); Swap(ref v11, ref v15, lo, hi);
        lo = SwapLow[3];
        hi = SwapHigh[3];
        Swap(ref v0, ref v8, lo, hi); Swap(ref v1, ref v9, lo, hi); Swap(ref v2, ref v10, lo, hi); Swap(ref v3, ref v11, lo, hi);
        Swap(ref v4, ref v12, lo, hi); Swap(ref v5, ref v13, lo, hi); Swap(ref v6, ref v14, lo, hi); Swap(ref v7, ref v15, lo, hi);
        v0.Store(dst); v1.Store(dst + ldd); v2.Store(dst + 2 * ldd); v3.Store(dst + 3 * ldd);
        v4.Store(dst + 4 * ldd); v5.Store(dst + 5 * ldd); v6.Store(dst + 6 * ldd); v7.Store(dst + 7 * ldd);
        v8.Store(dst + 8 * ldd); v9.Store(dst + 9 * ldd); v10.Store(dst + 10 * ldd); v11.Store(dst + 11 * ldd);
        v12.Store(dst + 12 * ldd); v13.Store(dst + 13 * ldd); v14.Store(dst + 14 * ldd); v15.Store(dst + 15 * ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* src, nint lds, int i, int valid) => i < valid ? Vector512.Load(src + i * lds) : default;

    /// <summary>Rows a (index bit clear) and b (bit set) after swapping that bit between row and column index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(ref Vector512<float> a, ref Vector512<float> b, Vector512<int> lo, Vector512<int> hi)
    {
        var t = Avx512F.PermuteVar16x32x2(a, lo, b);
        b = Avx512F.PermuteVar16x32x2(a, hi, b);
        a = t;
    }

    private readonly struct Job(int rows, int ld, int inF, int kStep, int count, int hidden, int members, int big, int tail, float* x,
        float* w1, float* b1, Activation activation, float* w2, float* b2, float* yt)
    {
        /// <summary>
        /// xᵀ (inF, ld) in this thread's own buffer. Each thread transposes for itself: one copy written by one core
        /// and read by both would be invalidated in the other core's cache on every call, costing more than the copy.
        /// A population is usually scored on the same points generation after generation, so the thread keeps the
        /// bits of the x it last transposed and reuses its xᵀ when x is bit-for-bit the same (comparing costs about a
        /// sixth of transposing; the comparison stops at the first differing byte when x has changed).
        /// </summary>
        public float* Pack()
        {
            float* xt = Packed();
            int n = rows * inF;
            if (t_seenShape == (rows, inF) && t_seen is { } seen && SameBits(x, (float*)Unsafe.AsPointer(ref seen[0]), n)) return xt;
            Transpose(x, rows, inF, inF, xt, ld, ld);
            if (tail > 0)
            {
                // the last vector's rows, once per unit of a tile: lanes [r0..r(m−1), r0.., r0.., 0..]
                var repeat = PackedLanes[tail].Repeat;
                for (int k = 0; k < inF; k++)
                {
                    float* v = xt + (nint)k * ld + ld - 16;
                    Avx512F.PermuteVar16x32(Vector512.Load(v), repeat).Store(v);
                }
            }
            if (t_seen is null || t_seen.Length < n) t_seen = GC.AllocateUninitializedArray<float>(n, pinned: true);
            new ReadOnlySpan<float>(x, n).CopyTo(t_seen);
            t_seenShape = (rows, inF);
            return xt;
        }

        /// <summary>
        /// Starts loading every member's outputs into this core's cache: the helpers' rows sit in the other core's
        /// cache, and transposing them with plain loads keeps only a handful of cross-core transfers in flight.
        /// </summary>
        public void PrefetchOutputs()
        {
            for (nint i = 0, n = (nint)count * ld; i < n; i += 16) Sse.Prefetch0(yt + i);
        }

        /// <summary>This thread's xᵀ, as its <see cref="Pack"/> left it.</summary>
        public float* Packed() => GemmBuffers.Aligned(ref t_xt, inF * ld);

        /// <summary>
        /// Chunk c's members (<c>big</c> chunks hold <c>members</c> each, with the single members in the middle of the
        /// order): hidden activations into this thread's buffer, then the output layer into yt. A tile runs over a
        /// whole k-block of inputs at once (all inputs when in ≤ 256): splitting them into L1-sized blocks measured no
        /// faster, since 7 lines of xᵀ per input stream from L2 well within its bandwidth.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a generation's hot loops: no slow tier-0 start
        public void Chunk(int c, float* xt)
        {
            // chunk order: half the big chunks, the singles, the other big chunks (the caller claims from the front,
            // helpers from the back, so the two meet on single members)
            int front = (big + 1) / 2, singles = count - big * members;
            bool single = c >= front && c < front + singles;
            int p0 = c < front ? c * members
                : single ? front * members + (c - front)
                : front * members + singles + (c - front - singles) * members;
            int p1 = single ? p0 + 1 : p0 + members;
            int u0 = p0 * hidden, units = (p1 - p0) * hidden;
            float* h = GemmBuffers.Aligned(ref t_h, units * ld + TileRows); // (units, ld), then a sink for padding units
            float* sink = h + (nint)units * ld;
            float* zeros = (float*)Unsafe.AsPointer(ref Zeros[0]);
            for (int t = 0; t < units; t += TileUnits)
            {
                float ba = b1[u0 + t], bb = t + 1 < units ? b1[u0 + t + 1] : 0f, bc = t + 2 < units ? b1[u0 + t + 2] : 0f;
                float* ha = h + (nint)t * ld;
                // a padding unit's results go to the sink, whatever the row block
                nint hb = t + 1 < units ? (nint)(ha + ld) : 0, hc = t + 2 < units ? (nint)(ha + 2 * ld) : 0;
                for (int k0 = 0; k0 < inF; k0 += kStep)
                {
                    int kn = Math.Min(kStep, inF - k0);
                    var block = new KBlock(k0 == 0, k0 + kn == inF, activation);
                    float* wa = w1 + (nint)(u0 + t) * inF + k0;
                    float* wb = t + 1 < units ? wa + inF : zeros;
                    float* wc = t + 2 < units ? wa + 2 * inF : zeros;
                    float* xk = xt + (nint)k0 * ld;
                    int r = 0;
                    for (; r + TileRows <= ld; r += TileRows)
                    {
                        if (tail > 0 && r + TileRows == ld)
                            Tile7<PackedLast>(kn, xk + r, ld, wa, wb, wc, ba, bb, bc, block, ha + r, At(hb, r, sink), At(hc, r, sink), tail);
                        else
                            Tile7<PaddedLast>(kn, xk + r, ld, wa, wb, wc, ba, bb, bc, block, ha + r, At(hb, r, sink), At(hc, r, sink), 0);
                    }
                    for (; r < ld; r += 16)
                        Tile1(kn, xk + r, ld, wa, wb, wc, ba, bb, bc, block, ha + r, At(hb, r, sink), At(hc, r, sink));
                }
            }
            for (int p = p0; p < p1; p++) Output(p, h + (nint)(p - p0) * hidden * ld);
        }

        private static float* At(nint unit, int r, float* sink) => unit == 0 ? sink : (float*)unit + r;

        /// <summary>yt[p, ·] from member p's activations h (hidden, ld), in <see cref="GroupedDot"/>'s order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a generation's hot loops: no slow tier-0 start
        private void Output(int p, float* h)
        {
            float* w = w2 + (nint)p * hidden;
            float* dst = yt + (nint)p * ld;
            var bias = Vector512.Create(b2[p]);
            bool tree = p < (count & ~7); // GroupedDot's horizontal-add tree; its tail groups use Vector256.Sum
            for (int r0 = 0; r0 < ld; r0 += 16)
            {
                // lane q of GroupedDot's accumulator: x[q]·w[q], then + x[q + 8m]·w[q + 8m] (multiply, then add)
                float* hr = h + r0;
                Vector512<float> l0 = Lane(hr, w, 0), l1 = Lane(hr, w, 1), l2 = Lane(hr, w, 2), l3 = Lane(hr, w, 3);
                Vector512<float> l4 = Lane(hr, w, 4), l5 = Lane(hr, w, 5), l6 = Lane(hr, w, 6), l7 = Lane(hr, w, 7);
                if (tree)
                {
                    (((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)) + bias).Store(dst + r0);
                    continue;
                }
                for (int i = 0; i < 16; i++)
                {
                    var v = Vector256.Create(l0[i], l1[i], l2[i], l3[i], l4[i], l5[i], l6[i], l7[i]);
                    dst[r0 + i] = Vector256.Sum(v) + bias[0];
                }
            }
        }

        /// <summary>Lane q of <see cref="GroupedDot"/>'s accumulator for 16 rows: h[q]·w[q] + h[q + 8]·w[q + 8] + ….</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<float> Lane(float* h, float* w, int q)
        {
            var d = Vector512.Load(h + (nint)q * ld) * Vector512.Create(w[q]);
            for (int u = q + 8; u < hidden; u += 8) d += Vector512.Load(h + (nint)u * ld) * Vector512.Create(w[u]);
            return d;
        }
    }

    /// <summary>Hands out member chunks (the caller's from the front, helpers' from the back); a thread packs its xᵀ with its first chunk.</summary>
    private sealed class Queue(Job job, int chunks) : GemmWorkers.ChunkJob(chunks)
    {
        protected override void RunChunk(int chunk, bool first) => job.Chunk(chunk, first ? job.Pack() : job.Packed());
    }

    /// <summary>Where a k-block sits in a unit's sum: the first adds its chain to the bias, the last activates.</summary>
    private readonly record struct KBlock(bool First, bool Last, Activation Activation);

    /// <summary>
    /// Ends a k-block's FMA chain as the GEMM does, <c>acc + c</c> with c the bias on the first block and the running
    /// sum after it; the last block stores the activation, the others the running sum (kept in the activation buffer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector512<float> acc, float bias, KBlock block, float* h)
    {
        var z = acc + (block.First ? Vector512.Create(bias) : Vector512.Load(h));
        (block.Last ? Activate(z, block.Activation) : z).Store(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Activate(Vector512<float> z, Activation activation) =>
        activation == Activation.Tanh ? FastMath.Tanh(z) : Vector512.Max(z, Vector512<float>.Zero);

    /// <summary>How a full tile treats its 7th row vector: 16 rows per unit, or packed (<see cref="PackedTail"/>).</summary>
    private interface ILastVector
    {
        static abstract bool Packed { get; }
    }

    private readonly struct PaddedLast : ILastVector
    {
        public static bool Packed => false;
    }

    private readonly struct PackedLast : ILastVector
    {
        public static bool Packed => true;
    }

    /// <summary>
    /// Three units × 112 rows: 21 accumulators, each an FMA chain over p = 0..k−1. With a <see cref="PackedLast"/>
    /// 7th vector (96 + m rows) the last row vector has one accumulator whose lanes [m of unit a, m of unit b, m of
    /// unit c] multiply that unit's weight: 19 FMAs per input instead of 21, and every lane still its own chain, so
    /// the sums are the same bits as on a padded tile. (A struct type argument compiles each variant separately.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a generation's hot loops: no slow tier-0 start
    private static void Tile7<TLast>(int k, float* xt, int ld, float* wa, float* wb, float* wc, float ba, float bb, float bc,
        KBlock block, float* ha, float* hb, float* hc, int m) where TLast : struct, ILastVector
    {
        Vector512<float> inA = default, inB = default;
        if (TLast.Packed)
        {
            var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            inA = Vector512.LessThan(lane, Vector512.Create(m)).AsSingle();
            inB = Vector512.LessThan(lane, Vector512.Create(2 * m)).AsSingle();
        }
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> a4 = default, a5 = default, a6 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        Vector512<float> b4 = default, b5 = default, b6 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default;
        for (int p = 0; p < k; p++, xt += ld)
        {
            var va = Vector512.Create(wa[p]);
            var vb = Vector512.Create(wb[p]);
            var vc = Vector512.Create(wc[p]);
            var x = Vector512.Load(xt);
            a0 = Vector512.FusedMultiplyAdd(va, x, a0); b0 = Vector512.FusedMultiplyAdd(vb, x, b0); c0 = Vector512.FusedMultiplyAdd(vc, x, c0);
            x = Vector512.Load(xt + 16);
            a1 = Vector512.FusedMultiplyAdd(va, x, a1); b1 = Vector512.FusedMultiplyAdd(vb, x, b1); c1 = Vector512.FusedMultiplyAdd(vc, x, c1);
            x = Vector512.Load(xt + 32);
            a2 = Vector512.FusedMultiplyAdd(va, x, a2); b2 = Vector512.FusedMultiplyAdd(vb, x, b2); c2 = Vector512.FusedMultiplyAdd(vc, x, c2);
            x = Vector512.Load(xt + 48);
            a3 = Vector512.FusedMultiplyAdd(va, x, a3); b3 = Vector512.FusedMultiplyAdd(vb, x, b3); c3 = Vector512.FusedMultiplyAdd(vc, x, c3);
            x = Vector512.Load(xt + 64);
            a4 = Vector512.FusedMultiplyAdd(va, x, a4); b4 = Vector512.FusedMultiplyAdd(vb, x, b4); c4 = Vector512.FusedMultiplyAdd(vc, x, c4);
            x = Vector512.Load(xt + 80);
            a5 = Vector512.FusedMultiplyAdd(va, x, a5); b5 = Vector512.FusedMultiplyAdd(vb, x, b5); c5 = Vector512.FusedMultiplyAdd(vc, x, c5);
            x = Vector512.Load(xt + 96);
            if (TLast.Packed)
            {
                a6 = Vector512.FusedMultiplyAdd(Vector512.ConditionalSelect(inA, va, Vector512.ConditionalSelect(inB, vb, vc)), x, a6);
            }
            else
            {
                a6 = Vector512.FusedMultiplyAdd(va, x, a6); b6 = Vector512.FusedMultiplyAdd(vb, x, b6); c6 = Vector512.FusedMultiplyAdd(vc, x, c6);
            }
        }
        Finish(a0, ba, block, ha); Finish(a1, ba, block, ha + 16); Finish(a2, ba, block, ha + 32); Finish(a3, ba, block, ha + 48);
        Finish(a4, ba, block, ha + 64); Finish(a5, ba, block, ha + 80);
        Finish(b0, bb, block, hb); Finish(b1, bb, block, hb + 16); Finish(b2, bb, block, hb + 32); Finish(b3, bb, block, hb + 48);
        Finish(b4, bb, block, hb + 64); Finish(b5, bb, block, hb + 80);
        Finish(c0, bc, block, hc); Finish(c1, bc, block, hc + 16); Finish(c2, bc, block, hc + 32); Finish(c3, bc, block, hc + 48);
        Finish(c4, bc, block, hc + 64); Finish(c5, bc, block, hc + 80);
        if (TLast.Packed)
        {
            FinishPacked(a6, ba, bb, bc, block, ha + 96, hb + 96, hc + 96, m, inA, inB);
        }
        else
        {
            Finish(a6, ba, block, ha + 96); Finish(b6, bb, block, hb + 96); Finish(c6, bc, block, hc + 96);
        }
    }

    /// <summary>
    /// Lane maps of a packed last vector of m rows, by m: <c>Repeat</c> takes lane i mod m (rows 0..m−1 once per unit,
    /// lane 15, a zero padding row, past 3m); <c>FromB</c>, <c>FromC</c> bring unit b's and c's lanes down to 0..m−1.
    /// </summary>
    private static readonly (Vector512<int> Repeat, Vector512<int> FromB, Vector512<int> FromC)[] PackedLanes = BuildPackedLanes();

    private static (Vector512<int>, Vector512<int>, Vector512<int>)[] BuildPackedLanes()
    {
        var table = new (Vector512<int>, Vector512<int>, Vector512<int>)[MaxPackedTail + 1];
        Span<int> repeat = stackalloc int[16], fromB = stackalloc int[16], fromC = stackalloc int[16];
        for (int m = 1; m <= MaxPackedTail; m++)
        {
            for (int i = 0; i < 16; i++)
            {
                repeat[i] = i < TileUnits * m ? i % m : 15;
                fromB[i] = Math.Min(m + i, 15);
                fromC[i] = Math.Min(2 * m + i, 15);
            }
            table[m] = (Vector512.Create((ReadOnlySpan<int>)repeat), Vector512.Create((ReadOnlySpan<int>)fromB), Vector512.Create((ReadOnlySpan<int>)fromC));
        }
        return table;
    }

    /// <summary>
    /// <see cref="Finish"/> for a packed last vector: each unit's m lanes get that unit's bias (or running sum), and go
    /// to rows 0..m−1 of its 16; rows m..15 get zeros, the padding the output layer reads and drops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishPacked(Vector512<float> acc, float ba, float bb, float bc, KBlock block, float* ha, float* hb, float* hc,
        int m, Vector512<float> inA, Vector512<float> inB)
    {
        var lanes = PackedLanes[m];
        var c = block.First
            ? Vector512.ConditionalSelect(inA, Vector512.Create(ba), Vector512.ConditionalSelect(inB, Vector512.Create(bb), Vector512.Create(bc)))
            : Vector512.ConditionalSelect(inA, Avx512F.PermuteVar16x32(Vector512.Load(ha), lanes.Repeat),
                Vector512.ConditionalSelect(inB, Avx512F.PermuteVar16x32(Vector512.Load(hb), lanes.Repeat), Avx512F.PermuteVar16x32(Vector512.Load(hc), lanes.Repeat)));
        var z = acc + c;
        if (block.Last) z = Activate(z, block.Activation);
        (z & inA).Store(ha);
        (Avx512F.PermuteVar16x32(z, lanes.FromB) & inA).Store(hb);
        (Avx512F.PermuteVar16x32(z, lanes.FromC) & inA).Store(hc);
    }

    /// <summary>Three units × 16 rows (the rows past the last full tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a generation's hot loops: no slow tier-0 start
    private static void Tile1(int k, float* xt, int ld, float* wa, float* wb, float* wc, float ba, float bb, float bc,
        KBlock block, float* ha, float* hb, float* hc)
    {
        Vector512<float> a = default, b = default, c = default;
        for (int p = 0; p < k; p++, xt += ld)
        {
            var x = Vector512.Load(xt);
            a = Vector512.FusedMultiplyAdd(Vector512.Create(wa[p]), x, a);
            b = Vector512.FusedMultiplyAdd(Vector512.Create(wb[p]), x, b);
            c = Vector512.FusedMultiplyAdd(Vector512.Create(wc[p]), x, c);
        }
        Finish(a, ba, block, ha);
        Finish(b, bb, block, hb);
        Finish(c, bc, block, hc);
    }
}
