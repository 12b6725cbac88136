using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>Softmax over the last axis (max-subtracted; a row containing NaN yields NaN).</summary>
    public static Tensor<T> Softmax<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxCore(x, log: false);

    /// <summary>Log-softmax over the last axis: <c>x - max - log Σ exp(x - max)</c>.</summary>
    public static Tensor<T> LogSoftmax<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxCore(x, log: true);

    private static Tensor<T> SoftmaxCore<T>(Tensor<T> x, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = x.Shape[-1], rows = x.Length / Math.Max(1, c);
        var y = Tape<T>.New(x.Shape);
        for (int r = 0; r < rows; r++) SoftmaxRow(x.Span.Slice(r * c, c), y.Span.Slice(r * c, c), log);
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&SoftmaxBackward<T>, y);
            (e.A, e.I0, e.I1) = (x, c, log ? 1 : 0);
        }
        return y;
    }

    /// <summary>
    /// One row of (log-)softmax. For softmax <paramref name="y"/> may be <paramref name="x"/> itself; for
    /// log-softmax it must not overlap <paramref name="x"/> (x is read again after y holds exponentials).
    /// </summary>
    internal static void SoftmaxRow<T>(ReadOnlySpan<T> x, Span<T> y, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TP.Max(x);
        TP.Subtract(x, max, y);
        if (log)
        {
            // y = (x - max) - log Σ exp(x - max), the sum from vectorised exponentials held in y meanwhile
            TP.Exp(y, y);
            T sum = TP.Sum(y);
            TP.Subtract(x, max, y);
            TP.Subtract(y, T.Log(sum), y);
            return;
        }
        TP.Exp(y, y);
        TP.Divide(y, TP.Sum(y), y);
    }

    private static void SoftmaxBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = e.I0;
        bool log = e.I1 == 1;
        var gx = tape.GradOf(e.A!).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span, y = e.Out.Span;
        var tmp = tape.Temp(new Shape(c)).Span;
        for (int o = 0; o < g.Length; o += c)
        {
            ReadOnlySpan<T> gr = g.Slice(o, c), yr = y.Slice(o, c);
            var dst = gx.Slice(o, c);
            if (log)
            {
                // dx = g - softmax · Σg, softmax = exp(y)
                T s = TP.Sum(gr);
                TP.Exp(yr, tmp);
                TP.Multiply(tmp, -s, tmp);
            }
            else
            {
                // dx = y ⊙ (g - Σ g⊙y)
                T s = TP.Dot(gr, yr);
                TP.Subtract(gr, s, tmp);
                TP.Multiply(tmp, yr, tmp);
                TP.Subtract(tmp, gr, tmp);
            }
            TP.Add(dst, gr, dst);
            TP.Add(dst, tmp, dst);
        }
    }
}
