using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Layer normalisation over the last axis: <c>(x - mean) / sqrt(var + eps) · weight + bias</c>, biased
    /// variance (as PyTorch). <paramref name="weight"/> and <paramref name="bias"/> are (C) or null.
    /// </summary>
    public static Tensor<T> LayerNorm<T>(Tensor<T> x, Tensor<T>? weight, Tensor<T>? bias, double eps = 1e-5)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = x.Shape[-1], rows = x.Length / Math.Max(1, c);
        var y = Tape<T>.New(x.Shape);
        var stats = Tape<T>.New(new Shape(rows, 2)); // (mean, 1/std) per row, saved for backward
        T n = T.CreateChecked(c), e0 = T.CreateChecked(eps);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> xr = x.Span.Slice(r * c, c);
            var yr = y.Span.Slice(r * c, c);
            T mean = TP.Sum(xr) / n;
            TP.Subtract(xr, mean, yr);
            T rstd = T.One / T.Sqrt(TP.Dot(yr, yr) / n + e0);
            TP.Multiply(yr, rstd, yr);
            if (weight is not null) TP.Multiply(yr, weight.Span, yr);
            if (bias is not null) TP.Add(yr, bias.Span, yr);
            (stats.Span[2 * r], stats.Span[2 * r + 1]) = (mean, rstd);
        }
        if (Tape<T>.RecorderFor(x, weight, bias) is { } tape)
        {
            ref var e = ref tape.Push(&LayerNormBackward<T>, y);
            (e.A, e.B, e.C, e.D, e.I0) = (x, weight, bias, stats, c);
        }
        return y;
    }

    private static void LayerNormBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> x = e.A!, stats = e.D!;
        Tensor<T>? w = e.B, b = e.C;
        int c = e.I0, rows = x.Length / Math.Max(1, c);
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        var xhat = tape.Temp(new Shape(c)).Span;
        var dxhat = tape.Temp(new Shape(c)).Span;
        T n = T.CreateChecked(c);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> gr = g.Slice(r * c, c);
            T mean = stats.Span[2 * r], rstd = stats.Span[2 * r + 1];
            TP.Subtract(x.Span.Slice(r * c, c), mean, xhat);
            TP.Multiply(xhat, rstd, xhat);
            if (w is { RequiresGrad: true }) { var gw = tape.GradOf(w).Span; TP.MultiplyAdd(gr, xhat, gw, gw); }
            if (b is { RequiresGrad: true }) { var gb = tape.GradOf(b).Span; TP.Add(gb, gr, gb); }
            if (!x.RequiresGrad) continue;
            if (w is not null) TP.Multiply(gr, w.Span, dxhat);
            else gr.CopyTo(dxhat);
            // dx = rstd · (dxhat - mean(dxhat) - xhat · mean(dxhat ⊙ xhat))
            T m1 = TP.Sum(dxhat) / n, m2 = TP.Dot(dxhat, xhat) / n;
            var gx = tape.GradOf(x).Span.Slice(r * c, c);
            TP.Multiply(xhat, -m2, xhat);
            TP.Add(xhat, dxhat, xhat);
            TP.Subtract(xhat, m1, xhat);
            TP.MultiplyAdd(xhat, rstd, gx, gx);
        }
    }
}
