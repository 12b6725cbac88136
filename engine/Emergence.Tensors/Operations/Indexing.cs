using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>Slices along <paramref name="axis"/> picked by <paramref name="indices"/> (repeats allowed; gradients add up).</summary>
    public static Tensor<T> IndexSelect<T>(Tensor<T> x, int axis, int[] indices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = x.Shape.Normalize(axis), n = x.Shape[a], outer = x.Shape.Outer(a), inner = x.Shape.Inner(a), m = indices.Length;
        var y = Tape<T>.New(x.Shape.With(a, m));
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
            {
                if ((uint)indices[j] >= (uint)n) throw new ArgumentException($"index {indices[j]} outside [0, {n})", nameof(indices));
                x.Span.Slice((o * n + indices[j]) * inner, inner).CopyTo(y.Span.Slice((o * m + j) * inner, inner));
            }
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&IndexSelectBackward<T>, y);
            (e.A, e.Extra, e.I0) = (x, indices, a);
        }
        return y;
    }

    private static void IndexSelectBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = e.A!;
        var indices = (int[])e.Extra!;
        int a = e.I0, n = x.Shape[a], outer = x.Shape.Outer(a), inner = x.Shape.Inner(a), m = indices.Length;
        var gx = tape.GradOf(x).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
            {
                var dst = gx.Slice((o * n + indices[j]) * inner, inner);
                TP.Add(dst, g.Slice((o * m + j) * inner, inner), dst);
            }
    }

    /// <summary>
    /// <c>torch.gather</c>: output has <paramref name="x"/>'s shape with <paramref name="axis"/> of size
    /// <paramref name="indexSize"/>; <c>out[o, j, i] = x[o, index[o, j, i], i]</c>. <paramref name="index"/> is row-major in the output shape.
    /// </summary>
    public static Tensor<T> Gather<T>(Tensor<T> x, int axis, int[] index, int indexSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = x.Shape.Normalize(axis), n = x.Shape[a], outer = x.Shape.Outer(a), inner = x.Shape.Inner(a);
        var y = Tape<T>.New(x.Shape.With(a, indexSize));
        if (index.Length != y.Length) throw new ArgumentException($"{index.Length} indices for output {y.Shape}", nameof(index));
        var ys = y.Span;
        ReadOnlySpan<T> xs = x.Span;
        for (int o = 0, p = 0; o < outer; o++)
            for (int j = 0; j < indexSize; j++)
                for (int i = 0; i < inner; i++, p++)
                {
                    int k = index[p];
                    if ((uint)k >= (uint)n) throw new ArgumentException($"index {k} outside [0, {n})", nameof(index));
                    ys[p] = xs[(o * n + k) * inner + i];
                }
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&GatherBackward<T>, y);
            (e.A, e.Extra, e.I0, e.I1) = (x, index, a, indexSize);
        }
        return y;
    }

    private static void GatherBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = e.A!;
        var index = (int[])e.Extra!;
        int a = e.I0, m = e.I1, n = x.Shape[a], outer = x.Shape.Outer(a), inner = x.Shape.Inner(a);
        var gx = tape.GradOf(x).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        for (int o = 0, p = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++, p++)
                    gx[(o * n + index[p]) * inner + i] += g[p];
    }
}
