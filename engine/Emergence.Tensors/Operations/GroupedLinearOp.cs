using System.Numerics;
using System.Runtime.InteropServices;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// P independent affine layers applied side by side: <c>y[r, p] = x[r, p] · W[p]ᵀ + b[p]</c>, with x (R, P, in),
    /// W (P, out, in), b (P, out) or null; output (R, P, out). One batched product with strided operands, no
    /// transposes or copies: the layout keeps a population of small networks (evolution) in one op per layer.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match.</exception>
    public static Tensor<T> GroupedLinear<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 3 || weight.Rank != 3 || x.Shape[1] != weight.Shape[0] || x.Shape[2] != weight.Shape[2]
            || (bias is not null && bias.Length != weight.Shape[0] * weight.Shape[1]))
            throw new ArgumentException($"grouped linear: x {x.Shape} (R, P, in), weight {weight.Shape} (P, out, in), bias {bias?.Shape} (P, out) do not match");
        int rows = x.Shape[0], groups = x.Shape[1], inF = x.Shape[2], outF = weight.Shape[1];
        var y = Tape<T>.New(new Shape(rows, groups, outF));
        var ys = y.Span;
        T beta = T.Zero;
        if (bias is not null)
        {
            for (int r = 0; r < rows; r++) bias.Span.CopyTo(ys.Slice(r * groups * outF, groups * outF)); // (R, P·out) <- b
            beta = T.One;
        }
        // per group p: (R, in) rows of stride P·in · W[p]ᵀ -> (R, out) rows of stride P·out
        if (rows > 0 && outF == 1 && typeof(T) == typeof(float) && Kernels.GroupedDot.Applies(inF, groups))
        {
            fixed (T* px = x.Span, pw = weight.Span, py = ys)
                Kernels.GroupedDot.Run(rows, groups, inF, (float*)px, (float*)pw, float.CreateTruncating(beta), (float*)py);
        }
        else if (rows > 0)
            Grouped(false, true, rows, outF, inF, x.Span, groups * inF, inF, weight.Span, inF, outF * inF,
                beta, ys, groups * outF, outF, groups);
        if (Tape<T>.RecorderFor(x, weight, bias) is { } tape)
        {
            ref var e = ref tape.Push(&GroupedLinearBackward<T>, y);
            (e.A, e.B, e.C) = (x, weight, bias);
        }
        return y;
    }

    private static void GroupedLinearBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> x = e.A!, w = e.B!;
        int rows = x.Shape[0], groups = x.Shape[1], inF = x.Shape[2], outF = w.Shape[1];
        ReadOnlySpan<T> dy = e.Out.Grad!.Span;
        if (rows == 0) return;
        if (x.RequiresGrad) // dx[:, p] (R, in) += dy[:, p] (R, out) · W[p] (out, in)
            Grouped(false, false, rows, inF, outF, dy, groups * outF, outF, w.Span, inF, outF * inF,
                T.One, tape.GradOf(x).Span, groups * inF, inF, groups);
        if (w.RequiresGrad) // dW[p] (out, in) += dy[:, p]ᵀ · x[:, p]
            Grouped(true, false, outF, inF, rows, dy, groups * outF, outF, x.Span, groups * inF, inF,
                T.One, tape.GradOf(w).Span, inF, outF * inF, groups);
        if (e.C is { RequiresGrad: true } b) // db += Σ_rows dy, in row order
        {
            var db = tape.GradOf(b).Span;
            int width = groups * outF;
            if (typeof(T) == typeof(float))
                Kernels.ColumnSums.AddTo(MemoryMarshal.Cast<T, float>(dy)[..(rows * width)], rows, MemoryMarshal.Cast<T, float>(db));
            else
                for (int r = 0; r < rows; r++) TP.Add(db, dy.Slice(r * width, width), db);
        }
    }

    /// <summary>One product per group at element offsets g·sa, g·sb, g·sc (C blocks interleave, so not one batched call).</summary>
    private static void Grouped<T>(bool ta, bool tb, int m, int n, int k, ReadOnlySpan<T> a, int lda, int sa,
        ReadOnlySpan<T> b, int ldb, int sb, T beta, Span<T> c, int ldc, int sc, int groups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int g = 0; g < groups; g++)
            GemmT.Run(ta, tb, m, n, k, a[(g * sa)..], lda, 0, b[(g * sb)..], ldb, 0, beta, c[(g * sc)..], ldc, 0, 1);
    }
}
