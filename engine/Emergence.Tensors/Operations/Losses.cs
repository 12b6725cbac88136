using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Kernels;
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
        var prob = Tape<T>.New(logits.Shape); // softmax, saved for backward
        ref T x0 = ref MemoryMarshal.GetReference(logits.Span), p0 = ref MemoryMarshal.GetReference(prob.Span);
        // Row-max-shifted logits, one vectorised exp over all rows (per-row calls cost more than 98 exponentials),
        // then loss_r = log Σ exp(x - max) - (x_t - max) and the normalised probabilities.
        T total = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            if ((uint)t >= (uint)c) throw new ArgumentException($"target {t} at row {r} outside [0, {c})", nameof(targets));
            ref T xr = ref Unsafe.Add(ref x0, r * c);
            T max = ShortRows.Max(ref xr, c);
            ShortRows.Shift(ref xr, -max, ref Unsafe.Add(ref p0, r * c), c);
            total -= Unsafe.Add(ref p0, r * c + t);
        }
        FastMath.Exp<T>(prob.Span, prob.Span);
        var sums = Tape<T>.New(new Shape(rows)).Span;
        for (int r = 0; r < rows; r++)
        {
            ref T pr = ref Unsafe.Add(ref p0, r * c);
            T sum = ShortRows.Sum(ref pr, c);
            sums[r] = sum;
            ShortRows.Scale(ref pr, T.One / sum, ref pr, c);
        }
        TP.Log(sums, sums);
        for (int r = 0; r < rows; r++) total += sums[r];
        var y = Tape<T>.New(default);
        y.Span[0] = total / T.CreateChecked(rows);
        if (Tape<T>.RecorderFor(logits) is { } tape)
        {
            ref var e = ref tape.Push(&CrossEntropyBackward<T>, y);
            (e.A, e.B, e.Extra, e.I0) = (logits, prob, targets, c);
        }
        return y;
    }

    private static void CrossEntropyBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = e.I0;
        var targets = (int[])e.Extra!;
        ref T gx = ref MemoryMarshal.GetReference(tape.GradOf(e.A!, out bool fresh).Span);
        ref T p0 = ref MemoryMarshal.GetReference(e.B!.Span);
        T scale = e.Out.Grad!.Span[0] / T.CreateChecked(targets.Length);
        for (int r = 0; r < targets.Length; r++)
        {
            // d/dlogits = (softmax - onehot) · g / rows
            if (fresh) ShortRows.Scale(ref Unsafe.Add(ref p0, r * c), scale, ref Unsafe.Add(ref gx, r * c), c);
            else ShortRows.AddScaled(ref Unsafe.Add(ref p0, r * c), scale, ref Unsafe.Add(ref gx, r * c), c);
            Unsafe.Add(ref gx, r * c + targets[r]) -= scale;
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
