using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

/// <summary>Reductions over one axis.</summary>
internal enum ReduceKind
{
    Sum,
    Mean,
    Max,
}

public static unsafe partial class Ops
{
    /// <summary>Sum of all elements (rank-0 result).</summary>
    public static Tensor<T> Sum<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        ReduceAll(x, ReduceKind.Sum);

    /// <summary>Mean of all elements (rank-0 result).</summary>
    public static Tensor<T> Mean<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        ReduceAll(x, ReduceKind.Mean);

    /// <summary>Sum over <paramref name="axis"/>; the axis is kept with size 1 when <paramref name="keepDim"/>.</summary>
    public static Tensor<T> Sum<T>(Tensor<T> x, int axis, bool keepDim = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        Reduce(x, axis, keepDim, ReduceKind.Sum);

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public static Tensor<T> Mean<T>(Tensor<T> x, int axis, bool keepDim = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        Reduce(x, axis, keepDim, ReduceKind.Mean);

    /// <summary>Maximum over <paramref name="axis"/>; the gradient goes to the first maximal element. NaN compares false.</summary>
    public static Tensor<T> Max<T>(Tensor<T> x, int axis, bool keepDim = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        Reduce(x, axis, keepDim, ReduceKind.Max);

    private static Tensor<T> ReduceAll<T>(Tensor<T> x, ReduceKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = Reshape(x, 1, x.Length); // (...) -> (1, N)
        return Reshape(Reduce(rows, rows, 1, false, kind), ReadOnlySpan<int>.Empty); // (1) -> ()
    }

    private static Tensor<T> Reduce<T>(Tensor<T> x, int axis, bool keepDim, ReduceKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = x.Shape.Normalize(axis);
        return Reduce(x, x, a, keepDim, kind);
    }

    // view: x seen with the reduced axis `a`; gradients flow to `source` (same buffer and length).
    private static Tensor<T> Reduce<T>(Tensor<T> source, Tensor<T> view, int a, bool keepDim, ReduceKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = view.Shape;
        int outer = shape.Outer(a), n = shape[a], inner = shape.Inner(a);
        var y = Tape<T>.New(keepDim ? shape.With(a, 1) : shape.Without(a));
        ReadOnlySpan<T> xs = view.Span;
        var ys = y.Span;
        if (n == 0)
        {
            if (kind == ReduceKind.Max) throw new ArgumentException($"max over empty axis {a} of {shape}");
            ys.Fill(kind == ReduceKind.Sum ? T.Zero : T.NaN); // as PyTorch: empty sum 0, empty mean NaN
            return y;
        }
        Tensor<T>? argmax = kind == ReduceKind.Max ? Tape<T>.New(y.Shape) : null;
        for (int o = 0; o < outer; o++)
        {
            var dst = ys.Slice(o * inner, inner);
            xs.Slice(o * n * inner, inner).CopyTo(dst);
            argmax?.Span.Slice(o * inner, inner).Clear();
            for (int d = 1; d < n; d++)
            {
                var row = xs.Slice((o * n + d) * inner, inner);
                if (kind != ReduceKind.Max) TP.Add(dst, row, dst);
                else
                {
                    var am = argmax!.Span.Slice(o * inner, inner);
                    for (int i = 0; i < inner; i++)
                        if (row[i] > dst[i]) (dst[i], am[i]) = (row[i], T.CreateChecked(d));
                }
            }
        }
        if (kind == ReduceKind.Mean) TP.Divide(ys, T.CreateChecked(n), ys);
        if (Tape<T>.RecorderFor(source) is { } tape)
        {
            ref var e = ref tape.Push(&ReduceBackward<T>, y);
            (e.A, e.B, e.I0, e.I1, e.I2, e.I3) = (source, argmax, (int)kind, outer, n, inner);
        }
        return y;
    }

    private static void ReduceBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var kind = (ReduceKind)e.I0;
        int outer = e.I1, n = e.I2, inner = e.I3;
        var gx = tape.GradOf(e.A!).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        T scale = kind == ReduceKind.Mean ? T.One / T.CreateChecked(n) : T.One;
        for (int o = 0; o < outer; o++)
        {
            var go = g.Slice(o * inner, inner);
            if (kind == ReduceKind.Max)
            {
                ReadOnlySpan<T> am = e.B!.Span.Slice(o * inner, inner);
                for (int i = 0; i < inner; i++) gx[(o * n + int.CreateTruncating(am[i])) * inner + i] += go[i];
                continue;
            }
            for (int d = 0; d < n; d++)
            {
                var row = gx.Slice((o * n + d) * inner, inner);
                TP.MultiplyAdd(go, scale, row, row);
            }
        }
    }
}
