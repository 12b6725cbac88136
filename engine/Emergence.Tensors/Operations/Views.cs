using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>Same data under new dimensions (one may be -1 = inferred). Zero-copy view.</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public static Tensor<T> Reshape<T>(Tensor<T> x, params ReadOnlySpan<int> dims) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> d = stackalloc int[dims.Length];
        dims.CopyTo(d);
        int known = 1, infer = -1;
        for (int i = 0; i < d.Length; i++)
        {
            if (d[i] == -1) infer = i;
            else known *= d[i];
        }
        if (infer >= 0) d[infer] = known == 0 ? 0 : x.Length / known;
        var shape = new Shape(d);
        if (shape.Length != x.Length) throw new ArgumentException($"cannot reshape {x.Shape} to {shape}", nameof(dims));
        var y = Tape<T>.NewView(x, shape);
        if (Tape<T>.RecorderFor(x) is { } tape) tape.Push(&ReshapeBackward<T>, y).A = x;
        return y;
    }

    private static void ReshapeBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gx = tape.GradOf(e.A!).Span;
        TP.Add(gx, e.Out.Grad!.Span, gx);
    }

    /// <summary>Reorders axes: output axis i is input axis <paramref name="perm"/>[i]. Copies.</summary>
    /// <example><c>Permute(x, 0, 2, 1, 3)</c>: (B, T, H, D) -> (B, H, T, D).</example>
    public static Tensor<T> Permute<T>(Tensor<T> x, params ReadOnlySpan<int> perm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (perm.Length != x.Rank) throw new ArgumentException($"permutation of {perm.Length} axes for shape {x.Shape}", nameof(perm));
        Span<int> d = stackalloc int[x.Rank];
        int seen = 0;
        for (int i = 0; i < perm.Length; i++)
        {
            d[i] = x.Shape[perm[i]];
            seen |= 1 << perm[i];
        }
        if (seen != (1 << x.Rank) - 1) throw new ArgumentException("not a permutation", nameof(perm));
        var y = Tape<T>.New(new Shape(d));
        PermuteKernel(x.Span, x.Shape, perm, y.Span, accumulate: false);
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&PermuteBackward<T>, y);
            e.A = x;
            Span<int> inv = [0, 0, 0, 0];
            for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
            (e.I0, e.I1, e.I2, e.I3) = (inv[0], inv[1], inv[2], inv[3]);
        }
        return y;
    }

    /// <summary>Swaps two axes (a copying <see cref="Permute{T}"/>).</summary>
    public static Tensor<T> Transpose<T>(Tensor<T> x, int axis0 = -2, int axis1 = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> perm = stackalloc int[x.Rank];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        int a = x.Shape.Normalize(axis0), b = x.Shape.Normalize(axis1);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    private static void PermuteBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = e.Out;
        ReadOnlySpan<int> inv = [e.I0, e.I1, e.I2, e.I3];
        PermuteKernel(y.Grad!.Span, y.Shape, inv[..y.Rank], tape.GradOf(e.A!).Span, accumulate: true);
    }

    /// <summary>dst (contiguous, permuted shape) = or += src permuted.</summary>
    private static void PermuteKernel<T>(ReadOnlySpan<T> src, Shape shape, ReadOnlySpan<int> perm, Span<T> dst, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = shape.Rank, pad = 4 - rank;
        Span<int> dims = [1, 1, 1, 1], strides = [0, 0, 0, 0];
        for (int i = 0; i < rank; i++)
        {
            dims[pad + i] = shape[perm[i]];
            strides[pad + i] = shape.Inner(perm[i]);
        }
        int o = 0, n3 = dims[3], s3 = strides[3];
        for (int i0 = 0; i0 < dims[0]; i0++)
            for (int i1 = 0; i1 < dims[1]; i1++)
                for (int i2 = 0; i2 < dims[2]; i2++, o += n3)
                {
                    int s = i0 * strides[0] + i1 * strides[1] + i2 * strides[2];
                    var row = dst.Slice(o, n3);
                    if (s3 == 1)
                    {
                        if (accumulate) TP.Add(row, src.Slice(s, n3), row);
                        else src.Slice(s, n3).CopyTo(row);
                    }
                    else if (accumulate) for (int j = 0; j < n3; j++) row[j] += src[s + j * s3];
                    else for (int j = 0; j < n3; j++) row[j] = src[s + j * s3];
                }
    }

    /// <summary>Elements <c>[start, start + length)</c> along <paramref name="axis"/>. Copies.</summary>
    public static Tensor<T> Narrow<T>(Tensor<T> x, int axis, int start, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = x.Shape.Normalize(axis), n = x.Shape[a];
        if (start < 0 || length < 0 || start + length > n)
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start + length}) outside axis {a} of {x.Shape}");
        var y = Tape<T>.New(x.Shape.With(a, length));
        int outer = x.Shape.Outer(a), inner = x.Shape.Inner(a);
        for (int o = 0; o < outer; o++)
            x.Span.Slice((o * n + start) * inner, length * inner).CopyTo(y.Span.Slice(o * length * inner));
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&NarrowBackward<T>, y);
            (e.A, e.I0, e.I1, e.I2) = (x, a, start, length);
        }
        return y;
    }

    private static void NarrowBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = e.A!;
        int a = e.I0, start = e.I1, length = e.I2, n = x.Shape[a];
        int outer = x.Shape.Outer(a), inner = x.Shape.Inner(a), block = length * inner;
        var gx = tape.GradOf(x).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        for (int o = 0; o < outer; o++)
        {
            var dst = gx.Slice((o * n + start) * inner, block);
            TP.Add(dst, g.Slice(o * block, block), dst);
        }
    }
}
