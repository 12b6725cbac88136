using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>Joins tensors along an existing <paramref name="axis"/>; all other axes must match. Keeps the array for backward.</summary>
    /// <exception cref="ArgumentException">No inputs, or shapes differ off the axis.</exception>
    public static Tensor<T> Concat<T>(int axis, params Tensor<T>[] parts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parts.Length == 0) throw new ArgumentException("concat of nothing", nameof(parts));
        var first = parts[0].Shape;
        int a = first.Normalize(axis), total = 0;
        foreach (var p in parts)
        {
            if (p.Rank != first.Rank || p.Shape.With(a, first[a]) != first)
                throw new ArgumentException($"concat along {a}: {p.Shape} does not match {first}", nameof(parts));
            total += p.Shape[a];
        }
        var y = Tape<T>.New(first.With(a, total));
        int outer = first.Outer(a), inner = first.Inner(a), offset = 0;
        bool grad = false;
        foreach (var p in parts)
        {
            int block = p.Shape[a] * inner;
            for (int o = 0; o < outer; o++) p.Span.Slice(o * block, block).CopyTo(y.Span.Slice(o * total * inner + offset, block));
            offset += block;
            grad |= p.RequiresGrad;
        }
        if (grad && Tape<T>.IsRecording && Tape<T>.Current is { } tape)
        {
            ref var e = ref tape.Push(&ConcatBackward<T>, y);
            (e.Extra, e.I0) = (parts, a);
        }
        return y;
    }

    /// <summary>Stacks equally shaped tensors along a new <paramref name="axis"/>: n × (A, B) -> (A, n, B) for axis 1.</summary>
    public static Tensor<T> Stack<T>(int axis, params Tensor<T>[] parts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parts.Length == 0) throw new ArgumentException("stack of nothing", nameof(parts));
        var s = parts[0].Shape;
        int a = axis < 0 ? axis + s.Rank + 1 : axis;
        Span<int> dims = stackalloc int[s.Rank + 1];
        for (int i = 0, j = 0; i < dims.Length; i++) dims[i] = i == a ? 1 : s[j++];
        var expanded = new Tensor<T>[parts.Length];
        for (int i = 0; i < parts.Length; i++) expanded[i] = Reshape(parts[i], dims);
        return Concat(a, expanded);
    }

    private static void ConcatBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parts = (Tensor<T>[])e.Extra!;
        int a = e.I0, total = e.Out.Shape[a], inner = e.Out.Shape.Inner(a), outer = e.Out.Shape.Outer(a), offset = 0;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        foreach (var p in parts)
        {
            int block = p.Shape[a] * inner;
            if (p.RequiresGrad)
            {
                var gp = tape.GradOf(p).Span;
                for (int o = 0; o < outer; o++)
                {
                    var dst = gp.Slice(o * block, block);
                    TP.Add(dst, g.Slice(o * total * inner + offset, block), dst);
                }
            }
            offset += block;
        }
    }
}
