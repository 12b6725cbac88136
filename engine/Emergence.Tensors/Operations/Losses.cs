using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> (..., C) against integer class
    /// <paramref name="targets"/> (one per row, in [0, C)). Fused log-softmax; rank-0 result.
    /// Keep <paramref name="targets"/> unchanged until backward has run.
    /// </summary>
    /// <exception cref="ArgumentException">The target count differs from the row count or a target is out of range.</exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, int[] targets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = logits.Shape[-1], rows = logits.Length / Math.Max(1, c);
        if (targets.Length != rows) throw new ArgumentException($"{targets.Length} targets for {rows} rows of {logits.Shape}", nameof(targets));
        var logp = Tape<T>.New(logits.Shape); // saved for backward
        T total = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            if ((uint)t >= (uint)c) throw new ArgumentException($"target {t} at row {r} outside [0, {c})", nameof(targets));
            var lr = logp.Span.Slice(r * c, c);
            SoftmaxRow(logits.Span.Slice(r * c, c), lr, log: true);
            total -= lr[t];
        }
        var y = Tape<T>.New(default);
        y.Span[0] = total / T.CreateChecked(rows);
        if (Tape<T>.RecorderFor(logits) is { } tape)
        {
            ref var e = ref tape.Push(&CrossEntropyBackward<T>, y);
            (e.A, e.B, e.Extra, e.I0) = (logits, logp, targets, c);
        }
        return y;
    }

    private static void CrossEntropyBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = e.I0;
        var targets = (int[])e.Extra!;
        var gx = tape.GradOf(e.A!).Span;
        ReadOnlySpan<T> logp = e.B!.Span;
        T scale = e.Out.Grad!.Span[0] / T.CreateChecked(targets.Length);
        var p = tape.Temp(new Shape(c)).Span;
        for (int r = 0; r < targets.Length; r++)
        {
            // d/dlogits = (softmax - onehot) · g / rows
            TP.Exp(logp.Slice(r * c, c), p);
            p[targets[r]] -= T.One;
            var dst = gx.Slice(r * c, c);
            TP.MultiplyAdd(p, scale, dst, dst);
        }
    }

    /// <summary>Mean squared error <c>mean((prediction - target)²)</c>, rank-0 result; gradients flow to both.</summary>
    public static Tensor<T> Mse<T>(Tensor<T> prediction, Tensor<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (prediction.Shape != target.Shape) throw new ArgumentException($"mse shapes differ: {prediction.Shape} vs {target.Shape}", nameof(target));
        var diff = Tape<T>.New(prediction.Shape);
        TP.Subtract(prediction.Span, target.Span, diff.Span);
        var y = Tape<T>.New(default);
        y.Span[0] = TP.Dot(diff.Span, diff.Span) / T.CreateChecked(Math.Max(1, diff.Length));
        if (Tape<T>.RecorderFor(prediction, target) is { } tape)
        {
            ref var e = ref tape.Push(&MseBackward<T>, y);
            (e.A, e.B, e.C) = (prediction, target, diff);
        }
        return y;
    }

    private static void MseBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> diff = e.C!.Span;
        T scale = T.CreateChecked(2) * e.Out.Grad!.Span[0] / T.CreateChecked(Math.Max(1, diff.Length));
        if (e.A!.RequiresGrad)
        {
            var gp = tape.GradOf(e.A).Span;
            TP.MultiplyAdd(diff, scale, gp, gp);
        }
        if (e.B!.RequiresGrad)
        {
            var gt = tape.GradOf(e.B).Span;
            TP.MultiplyAdd(diff, -scale, gt, gt);
        }
    }
}
