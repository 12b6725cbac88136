using System.Numerics;
using Emergence.Tensors.Autograd;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Matrix product over the last two axes: <c>op(a) · op(b)</c>, op = transpose when the flag is set.
    /// <paramref name="a"/> is (..., M, K) (or (..., K, M) transposed); <paramref name="b"/> is (K, N), shared by
    /// every batch, or has the same leading axes as a. Output (..., M, N).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not multiply.</exception>
    public static Tensor<T> MatMul<T>(Tensor<T> a, Tensor<T> b, bool transposeA = false, bool transposeB = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = MatMulGeometry.Of(a.Shape, b.Shape, transposeA, transposeB);
        var y = Tape<T>.New(g.OutShape(a.Shape));
        if (g.Fold) // (B, M, K)·(K, N) -> one (B·M, K)·(K, N) product
            GemmT.Run(false, transposeB, g.Batch * g.M, g.N, g.K, a.Span, g.Lda, 0, b.Span, g.Ldb, 0, T.Zero, y.Span, g.N, 0, 1);
        else
            GemmT.Run(transposeA, transposeB, g.M, g.N, g.K, a.Span, g.Lda, g.M * g.K, b.Span, g.Ldb, g.SharedB ? 0 : g.K * g.N,
                T.Zero, y.Span, g.N, g.M * g.N, g.Batch);
        if (Tape<T>.RecorderFor(a, b) is { } tape)
        {
            ref var e = ref tape.Push(&MatMulBackward<T>, y);
            (e.A, e.B, e.I0, e.I1) = (a, b, transposeA ? 1 : 0, transposeB ? 1 : 0);
        }
        return y;
    }

    private static void MatMulBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> a = e.A!, b = e.B!;
        bool ta = e.I0 == 1, tb = e.I1 == 1;
        var g = MatMulGeometry.Of(a.Shape, b.Shape, ta, tb);
        ReadOnlySpan<T> dy = e.Out.Grad!.Span;
        int m = g.M, n = g.N, k = g.K, batch = g.Batch;
        long sA = (long)m * k, sB = g.SharedB ? 0 : (long)k * n, sY = (long)m * n;
        if (a.RequiresGrad)
        {
            var da = tape.GradOf(a).Span;
            if (!ta) // dA (M×K) += dY (M×N) · op(B)ᵀ
            {
                if (g.Fold) GemmT.Run(false, !tb, batch * m, k, n, dy, n, 0, b.Span, g.Ldb, 0, T.One, da, k, 0, 1);
                else GemmT.Run(false, !tb, m, k, n, dy, n, sY, b.Span, g.Ldb, sB, T.One, da, k, sA, batch);
            }
            else // dA stored (K×M) += op(B) · dYᵀ
                GemmT.Run(tb, true, k, m, n, b.Span, g.Ldb, sB, dy, n, sY, T.One, da, m, sA, batch);
        }
        if (!b.RequiresGrad) return;
        var db = tape.GradOf(b).Span;
        if (g.SharedB)
        {
            if (g.Fold) // sum over the batch in one product
            {
                if (!tb) GemmT.Run(true, false, k, n, batch * m, a.Span, k, 0, dy, n, 0, T.One, db, n, 0, 1);
                else GemmT.Run(true, false, n, k, batch * m, dy, n, 0, a.Span, k, 0, T.One, db, k, 0, 1);
                return;
            }
            for (int p = 0; p < batch; p++) // fixed batch order: deterministic accumulation
                BackwardB(ta, tb, m, n, k, a.Span.Slice((int)(p * sA)), g.Lda, dy.Slice((int)(p * sY)), db, 1);
            return;
        }
        BackwardB(ta, tb, m, n, k, a.Span, g.Lda, dy, db, batch);
    }

    // dB (K×N) += op(A)ᵀ · dY, or dB stored (N×K) += dYᵀ · op(A)
    private static void BackwardB<T>(bool ta, bool tb, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> dy, Span<T> db, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long sA = (long)m * k, sY = (long)m * n, sB = (long)k * n;
        if (!tb) GemmT.Run(!ta, false, k, n, m, a, lda, sA, dy, n, sY, T.One, db, n, sB, batch);
        else GemmT.Run(true, ta, n, k, m, dy, n, sY, a, lda, sA, T.One, db, k, sB, batch);
    }
}

/// <summary>Sizes and strides of a (batched) matrix product.</summary>
internal readonly record struct MatMulGeometry(int Batch, int M, int N, int K, int Lda, int Ldb, bool SharedB, bool Fold)
{
    public static MatMulGeometry Of(Shape a, Shape b, bool ta, bool tb)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new ArgumentException($"matmul needs rank ≥ 2, got {a} and {b}");
        int ar = a[-2], ac = a[-1], br = b[-2], bc = b[-1];
        int m = ta ? ac : ar, k = ta ? ar : ac, kb = tb ? bc : br, n = tb ? br : bc;
        if (k != kb) throw new ArgumentException($"matmul inner sizes differ: {a}{(ta ? "ᵀ" : "")} · {b}{(tb ? "ᵀ" : "")}");
        int batch = a.Length / Math.Max(1, ar * ac);
        bool shared = b.Rank == 2;
        if (!shared)
        {
            if (b.Rank != a.Rank) throw new ArgumentException($"matmul batch axes differ: {a} · {b}");
            for (int i = 0; i < a.Rank - 2; i++)
                if (a[i] != b[i]) throw new ArgumentException($"matmul batch axes differ: {a} · {b}");
        }
        if (ar * ac == 0) batch = a.Outer(a.Rank - 2);
        return new MatMulGeometry(batch, m, n, k, ac, bc, shared, shared && !ta);
    }

    public Shape OutShape(Shape a) => a.With(-2, M).With(-1, N);
}
