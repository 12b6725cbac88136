using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Fused scaled dot-product attention over <paramref name="heads"/> heads: q, k, v (B, T, C) with C = H·D,
    /// head h using channels [h·D, (h+1)·D); per head <c>softmax(q kᵀ / √D, masked) v</c>; output (B, T, C).
    /// With <paramref name="causal"/>, query i attends to keys j ≤ i only (masked scores are left out of the
    /// softmax, as −∞ would be). One op instead of split/permute, matmul, scale, mask, softmax, matmul and merge:
    /// no per-head GEMM calls, which dominate for short sequences. Softmax subtracts the row max; a NaN score
    /// makes its whole row NaN. Saves the attention weights (B, H, T, T) for backward.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ, are not rank 3, or C does not split into the heads.</exception>
    public static Tensor<T> MultiHeadAttention<T>(Tensor<T> q, Tensor<T> k, Tensor<T> v, int heads, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (q.Rank != 3 || q.Shape != k.Shape || q.Shape != v.Shape || heads <= 0 || q.Shape[2] % heads != 0)
            throw new ArgumentException($"attention: q {q.Shape}, k {k.Shape}, v {v.Shape} must be equal (B, T, C) with C divisible by {heads} heads");
        int b = q.Shape[0], t = q.Shape[1], c = q.Shape[2], d = c / heads;
        var y = Tape<T>.New(q.Shape);
        var p = Tape<T>.New(new Shape(b, heads, t, t)); // weights; masked entries end up 0
        T scale = T.One / T.Sqrt(T.CreateChecked(d));
        ref T qs = ref MemoryMarshal.GetReference(q.Span), ks = ref MemoryMarshal.GetReference(k.Span);
        ref T vs = ref MemoryMarshal.GetReference(v.Span), ys = ref MemoryMarshal.GetReference(y.Span);
        ref T ps = ref MemoryMarshal.GetReference(p.Span);
        // Scores minus their row max (masked: −∞), then one vectorised exp over all rows, then normalise and mix:
        // per-row exp calls would cost more than the exponentials for rows this short.
        for (int bi = 0; bi < b; bi++)
            for (int i = 0; i < t; i++)
                for (int j = 0, keys = causal ? i + 1 : t; j < keys; j++) // q_i·k_j of every head, into P[bi, :, i, j]
                    HeadDots(ref Unsafe.Add(ref qs, (bi * t + i) * c), ref Unsafe.Add(ref ks, (bi * t + j) * c), heads, d,
                        ref Unsafe.Add(ref ps, (bi * heads * t + i) * t + j), t * t);
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    int keys = causal ? i + 1 : t;
                    ref T w = ref Unsafe.Add(ref ps, ((bi * heads + h) * t + i) * t);
                    T max = T.NegativeInfinity;
                    for (int j = 0; j < keys; j++)
                    {
                        T sj = Unsafe.Add(ref w, j) * scale;
                        Unsafe.Add(ref w, j) = sj;
                        if (sj > max || T.IsNaN(sj)) max = sj; // a NaN score makes the whole row NaN
                    }
                    for (int j = 0; j < keys; j++) Unsafe.Add(ref w, j) -= max;
                    for (int j = keys; j < t; j++) Unsafe.Add(ref w, j) = T.NegativeInfinity;
                }
        FastMath.Exp<T>(p.Span, p.Span);
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    int keys = causal ? i + 1 : t, row = (bi * t + i) * c + h * d;
                    ref T w = ref Unsafe.Add(ref ps, ((bi * heads + h) * t + i) * t);
                    T sum = T.Zero;
                    for (int j = 0; j < keys; j++) sum += Unsafe.Add(ref w, j);
                    T inv = T.One / sum; // one division per row, not per weight
                    for (int j = 0; j < keys; j++) Unsafe.Add(ref w, j) *= inv;
                    ref T yi = ref Unsafe.Add(ref ys, row);
                    ShortRows.Scale(ref Unsafe.Add(ref vs, bi * t * c + h * d), w, ref yi, d);
                    for (int j = 1; j < keys; j++) ShortRows.AddScaled(ref Unsafe.Add(ref vs, (bi * t + j) * c + h * d), Unsafe.Add(ref w, j), ref yi, d);
                }
        if (Tape<T>.RecorderFor(q, k, v) is { } tape)
        {
            ref var e = ref tape.Push(&MultiHeadAttentionBackward<T>, y);
            (e.A, e.B, e.C, e.D, e.I0, e.I1) = (q, k, v, p, heads, causal ? 1 : 0);
        }
        return y;
    }

    // Per head and query i, with P the saved weights and dO = dy:
    // dP_ij = dO_i·v_j, dv_j += P_ij dO_i, dS_ij = P_ij (dP_ij − Σ_j' P_ij' dP_ij'), dq_i += s Σ_j dS_ij k_j, dk_j += s dS_ij q_i.
    private static void MultiHeadAttentionBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> q = e.A!, k = e.B!, v = e.C!;
        int heads = e.I0, b = q.Shape[0], t = q.Shape[1], c = q.Shape[2], d = c / heads;
        bool causal = e.I1 == 1;
        T scale = T.One / T.Sqrt(T.CreateChecked(d));
        ref T qs = ref MemoryMarshal.GetReference(q.Span), ks = ref MemoryMarshal.GetReference(k.Span);
        ref T vs = ref MemoryMarshal.GetReference(v.Span), dy = ref MemoryMarshal.GetReference(e.Out.Grad!.Span);
        ref T ps = ref MemoryMarshal.GetReference(e.D!.Span);
        bool gq = q.RequiresGrad, gk = k.RequiresGrad, gv = v.RequiresGrad;
        ref T dq = ref gq ? ref MemoryMarshal.GetReference(tape.GradOf(q).Span) : ref Unsafe.NullRef<T>();
        ref T dk = ref gk ? ref MemoryMarshal.GetReference(tape.GradOf(k).Span) : ref Unsafe.NullRef<T>();
        ref T dv = ref gv ? ref MemoryMarshal.GetReference(tape.GradOf(v).Span) : ref Unsafe.NullRef<T>();
        // dP_ij = dO_i·v_j for every head first (batched across heads), then the per-row updates
        ref T dps = ref MemoryMarshal.GetReference(tape.Temp(new Shape(b, heads, t, t)).Span);
        for (int bi = 0; bi < b; bi++)
            for (int i = 0; i < t; i++)
                for (int j = 0, keys = causal ? i + 1 : t; j < keys; j++)
                    HeadDots(ref Unsafe.Add(ref dy, (bi * t + i) * c), ref Unsafe.Add(ref vs, (bi * t + j) * c), heads, d,
                        ref Unsafe.Add(ref dps, (bi * heads * t + i) * t + j), t * t);
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    int keys = causal ? i + 1 : t, row = (bi * t + i) * c + h * d;
                    ref T w = ref Unsafe.Add(ref ps, ((bi * heads + h) * t + i) * t);
                    ref T ds = ref Unsafe.Add(ref dps, ((bi * heads + h) * t + i) * t);
                    ref T doi = ref Unsafe.Add(ref dy, row);
                    T dot = T.Zero;
                    for (int j = 0; j < keys; j++)
                    {
                        int kj = (bi * t + j) * c + h * d;
                        dot += Unsafe.Add(ref w, j) * Unsafe.Add(ref ds, j);
                        if (gv) ShortRows.AddScaled(ref doi, Unsafe.Add(ref w, j), ref Unsafe.Add(ref dv, kj), d);
                    }
                    for (int j = 0; j < keys; j++)
                    {
                        int kj = (bi * t + j) * c + h * d;
                        T g = Unsafe.Add(ref w, j) * (Unsafe.Add(ref ds, j) - dot) * scale;
                        if (gq) ShortRows.AddScaled(ref Unsafe.Add(ref ks, kj), g, ref Unsafe.Add(ref dq, row), d);
                        if (gk) ShortRows.AddScaled(ref Unsafe.Add(ref qs, row), g, ref Unsafe.Add(ref dk, kj), d);
                    }
                }
    }

    /// <summary>
    /// dst[h·stride] = x[h·d..]·y[h·d..] for every head h. For float heads of 8 channels, four heads at a time:
    /// four products reduced together by one horizontal-add tree instead of four separate reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HeadDots<T>(ref T x, ref T y, int heads, int d, ref T dst, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = 0;
        if (typeof(T) == typeof(float) && d == 8 && Avx.IsSupported)
        {
            ref float xf = ref Unsafe.As<T, float>(ref x), yf = ref Unsafe.As<T, float>(ref y), df = ref Unsafe.As<T, float>(ref dst);
            for (; h + 4 <= heads; h += 4)
            {
                var v0 = Vector256.LoadUnsafe(ref xf, (nuint)(h * 8)) * Vector256.LoadUnsafe(ref yf, (nuint)(h * 8));
                var v1 = Vector256.LoadUnsafe(ref xf, (nuint)(h * 8 + 8)) * Vector256.LoadUnsafe(ref yf, (nuint)(h * 8 + 8));
                var v2 = Vector256.LoadUnsafe(ref xf, (nuint)(h * 8 + 16)) * Vector256.LoadUnsafe(ref yf, (nuint)(h * 8 + 16));
                var v3 = Vector256.LoadUnsafe(ref xf, (nuint)(h * 8 + 24)) * Vector256.LoadUnsafe(ref yf, (nuint)(h * 8 + 24));
                var s = Avx.HorizontalAdd(Avx.HorizontalAdd(v0, v1), Avx.HorizontalAdd(v2, v3)); // [4 heads' low halves | high halves]
                var r = s.GetLower() + s.GetUpper();
                Unsafe.Add(ref df, h * stride) = r.GetElement(0);
                Unsafe.Add(ref df, (h + 1) * stride) = r.GetElement(1);
                Unsafe.Add(ref df, (h + 2) * stride) = r.GetElement(2);
                Unsafe.Add(ref df, (h + 3) * stride) = r.GetElement(3);
            }
        }
        for (; h < heads; h++) Unsafe.Add(ref dst, h * stride) = ShortRows.Dot(ref Unsafe.Add(ref x, h * d), ref Unsafe.Add(ref y, h * d), d);
    }
}
