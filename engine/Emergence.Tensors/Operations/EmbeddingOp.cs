using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Rows of <paramref name="weight"/> (V, D) picked by <paramref name="ids"/>: output <c>indexShape + (D)</c>
    /// (rank ≤ 3 index shape). Gradients scatter-add back in index order. Keep ids unchanged until backward.
    /// </summary>
    /// <exception cref="ArgumentException">An id is outside [0, V) or the index shape does not match.</exception>
    public static Tensor<T> Embedding<T>(Tensor<T> weight, int[] ids, Shape indexShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = weight.Shape[0], d = weight.Shape[1];
        if (indexShape.Length != ids.Length) throw new ArgumentException($"{ids.Length} ids for index shape {indexShape}", nameof(ids));
        Span<int> dims = stackalloc int[indexShape.Rank + 1];
        indexShape.CopyTo(dims);
        dims[^1] = d;
        var y = Tape<T>.New(new Shape(dims));
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)v) throw new ArgumentException($"id {ids[i]} at {i} outside [0, {v})", nameof(ids));
            weight.Span.Slice(ids[i] * d, d).CopyTo(y.Span.Slice(i * d, d));
        }
        if (Tape<T>.RecorderFor(weight) is { } tape)
        {
            ref var e = ref tape.Push(&EmbeddingBackward<T>, y);
            (e.A, e.Extra, e.I0) = (weight, ids, d);
        }
        return y;
    }

    private static void EmbeddingBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ids = (int[])e.Extra!;
        int d = e.I0;
        var gw = tape.GradOf(e.A!).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        for (int i = 0; i < ids.Length; i++)
        {
            var row = gw.Slice(ids[i] * d, d);
            TP.Add(row, g.Slice(i * d, d), row);
        }
    }

    /// <summary>
    /// Inverted dropout: zeroes each element with probability <paramref name="p"/> (one uniform draw per
    /// element from <paramref name="rng"/>, in index order) and scales survivors by 1/(1-p).
    /// Identity when <paramref name="training"/> is false or p is 0.
    /// </summary>
    public static Tensor<T> Dropout<T>(Tensor<T> x, double p, Emergence.Contracts.Random.RngStream rng, bool training = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability {p} outside [0, 1)");
        if (!training || p == 0) return x;
        var mask = Tape<T>.New(x.Shape);
        T keep = T.CreateChecked(1 / (1 - p));
        var m = mask.Span;
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextDouble() < p ? T.Zero : keep;
        var y = Tape<T>.New(x.Shape);
        TP.Multiply(x.Span, m, y.Span);
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&DropoutBackward<T>, y);
            (e.A, e.B) = (x, mask);
        }
        return y;
    }

    private static void DropoutBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gx = tape.GradOf(e.A!).Span;
        TP.MultiplyAdd(e.Out.Grad!.Span, e.B!.Span, gx, gx);
    }
}
