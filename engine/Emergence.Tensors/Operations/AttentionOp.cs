using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

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
        var p = Tape<T>.New(new Shape(b, heads, t, t), clear: true); // weights; masked entries stay 0
        T scale = T.One / T.Sqrt(T.CreateChecked(d));
        ReadOnlySpan<T> qs = q.Span, ks = k.Span, vs = v.Span;
        Span<T> ys = y.Span, ps = p.Span;
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    int keys = causal ? i + 1 : t, row = (bi * t + i) * c + h * d;
                    var w = ps.Slice(((bi * heads + h) * t + i) * t, keys);
                    var qi = qs.Slice(row, d);
                    for (int j = 0; j < keys; j++) w[j] = TP.Dot(qi, ks.Slice((bi * t + j) * c + h * d, d)) * scale;
                    SoftmaxRow<T>(w, w, log: false);
                    var yi = ys.Slice(row, d);
                    yi.Clear();
                    for (int j = 0; j < keys; j++) TP.MultiplyAdd(vs.Slice((bi * t + j) * c + h * d, d), w[j], yi, yi);
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
        ReadOnlySpan<T> qs = q.Span, ks = k.Span, vs = v.Span, dy = e.Out.Grad!.Span, ps = e.D!.Span;
        Span<T> dq = q.RequiresGrad ? tape.GradOf(q).Span : default;
        Span<T> dk = k.RequiresGrad ? tape.GradOf(k).Span : default;
        Span<T> dv = v.RequiresGrad ? tape.GradOf(v).Span : default;
        Span<T> ds = tape.Temp(new Shape(Math.Max(t, 1))).Span;
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    int keys = causal ? i + 1 : t, row = (bi * t + i) * c + h * d;
                    ReadOnlySpan<T> w = ps.Slice(((bi * heads + h) * t + i) * t, keys), doi = dy.Slice(row, d);
                    T dot = T.Zero;
                    for (int j = 0; j < keys; j++)
                    {
                        int kj = (bi * t + j) * c + h * d;
                        ds[j] = TP.Dot(doi, vs.Slice(kj, d));
                        dot += w[j] * ds[j];
                        if (!dv.IsEmpty) TP.MultiplyAdd(doi, w[j], dv.Slice(kj, d), dv.Slice(kj, d));
                    }
                    for (int j = 0; j < keys; j++)
                    {
                        int kj = (bi * t + j) * c + h * d;
                        T g = w[j] * (ds[j] - dot) * scale;
                        if (!dq.IsEmpty) TP.MultiplyAdd(ks.Slice(kj, d), g, dq.Slice(row, d), dq.Slice(row, d));
                        if (!dk.IsEmpty) TP.MultiplyAdd(qs.Slice(row, d), g, dk.Slice(kj, d), dk.Slice(kj, d));
                    }
                }
    }
}
