using System.Numerics;
using Emergence.Tensors.Autograd;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Replaces elements where <paramref name="mask"/> is true by <paramref name="value"/>. The mask covers the
    /// trailing axes (its length divides x's and it repeats over leading axes, e.g. a causal (T, T) mask over
    /// (B, H, T, T) scores). Masked positions get no gradient.
    /// </summary>
    public static Tensor<T> MaskedFill<T>(Tensor<T> x, bool[] mask, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMask(x.Length, mask.Length);
        var y = Tape<T>.New(x.Shape);
        ReadOnlySpan<T> xs = x.Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = mask[i % mask.Length] ? value : xs[i];
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&WhereBackward<T>, y);
            (e.A, e.B, e.Extra) = (null, x, mask); // gradient to x where the mask is false
        }
        return y;
    }

    /// <summary><c>condition ? a : b</c> elementwise; a, b same shape; condition repeats over leading axes as in <see cref="MaskedFill{T}"/>.</summary>
    public static Tensor<T> Where<T>(bool[] condition, Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Shape != b.Shape) throw new ArgumentException($"where shapes differ: {a.Shape} vs {b.Shape}", nameof(b));
        CheckMask(a.Length, condition.Length);
        var y = Tape<T>.New(a.Shape);
        ReadOnlySpan<T> av = a.Span, bv = b.Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = condition[i % condition.Length] ? av[i] : bv[i];
        if (Tape<T>.RecorderFor(a, b) is { } tape)
        {
            ref var e = ref tape.Push(&WhereBackward<T>, y);
            (e.A, e.B, e.Extra) = (a, b, condition);
        }
        return y;
    }

    private static void WhereBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cond = (bool[])e.Extra!;
        ReadOnlySpan<T> g = e.Out.Grad!.Span;
        if (e.A is { RequiresGrad: true })
        {
            var ga = tape.GradOf(e.A).Span;
            for (int i = 0; i < g.Length; i++) if (cond[i % cond.Length]) ga[i] += g[i];
        }
        if (e.B is { RequiresGrad: true })
        {
            var gb = tape.GradOf(e.B).Span;
            for (int i = 0; i < g.Length; i++) if (!cond[i % cond.Length]) gb[i] += g[i];
        }
    }

    /// <summary>Clamps into [min, max]; gradient passes where min ≤ x ≤ max (as PyTorch). NaN stays NaN.</summary>
    public static Tensor<T> Clamp<T>(Tensor<T> x, T min, T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Tape<T>.New(x.Shape);
        ReadOnlySpan<T> xs = x.Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = T.IsNaN(xs[i]) ? xs[i] : T.Clamp(xs[i], min, max);
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&ClampBackward<T>, y);
            (e.A, e.S0, e.S1) = (x, double.CreateChecked(min), double.CreateChecked(max));
        }
        return y;
    }

    private static void ClampBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T min = T.CreateChecked(e.S0), max = T.CreateChecked(e.S1);
        ReadOnlySpan<T> g = e.Out.Grad!.Span, xs = e.A!.Span;
        var gx = tape.GradOf(e.A).Span;
        for (int i = 0; i < g.Length; i++) if (xs[i] >= min && xs[i] <= max) gx[i] += g[i];
    }

    private static void CheckMask(int length, int maskLength)
    {
        if (maskLength == 0 || length % maskLength != 0)
            throw new ArgumentException($"mask of {maskLength} does not tile {length} elements");
    }
}
