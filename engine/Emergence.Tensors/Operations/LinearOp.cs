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
    /// Fused affine layer <c>y = x · Wᵀ + b</c>: x (..., in), W (out, in) as in PyTorch, b (out) or null;
    /// output (..., out). One op on the tape instead of matmul + broadcast add.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match.</exception>
    public static Tensor<T> Linear<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inF = x.Shape[-1], outF = weight.Shape[0], rows = x.Length / Math.Max(1, inF);
        if (weight.Rank != 2 || weight.Shape[1] != inF || (bias is not null && bias.Length != outF))
            throw new ArgumentException($"linear: x {x.Shape}, weight {weight.Shape}, bias {bias?.Shape} do not match");
        var y = Tape<T>.New(x.Shape.With(-1, outF));
        var ys = y.Span;
        T beta = T.Zero;
        if (bias is not null)
        {
            ref T b0 = ref MemoryMarshal.GetReference(bias.Span);
            ref T y0 = ref MemoryMarshal.GetReference(ys);
            for (int r = 0; r < rows; r++) ShortRows.Copy(ref b0, ref Unsafe.Add(ref y0, r * outF), outF); // (R, out) <- b
            beta = T.One;
        }
        GemmT.Run(false, true, rows, outF, inF, x.Span, inF, 0, weight.Span, inF, 0, beta, ys, outF, 0, 1);
        if (Tape<T>.RecorderFor(x, weight, bias) is { } tape)
        {
            ref var e = ref tape.Push(&LinearBackward<T>, y);
            (e.A, e.B, e.C, e.I0, e.I1, e.I2) = (x, weight, bias, rows, inF, outF);
        }
        return y;
    }

    private static void LinearBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> x = e.A!, w = e.B!;
        int rows = e.I0, inF = e.I1, outF = e.I2;
        ReadOnlySpan<T> dy = e.Out.Grad!.Span;
        if (x.RequiresGrad) // dx (R, in) += dy (R, out) · W (out, in); a fresh dx is overwritten (beta 0)
        {
            var gx = tape.GradOf(x, out bool fresh);
            GemmT.Run(false, false, rows, inF, outF, dy, outF, 0, w.Span, inF, 0, fresh ? T.Zero : T.One, gx.Span, inF, 0, 1);
        }
        if (w.RequiresGrad) // dW (out, in) += dyᵀ · x
            GemmT.Run(true, false, outF, inF, rows, dy, outF, 0, x.Span, inF, 0, T.One, tape.GradOf(w).Span, inF, 0, 1);
        if (e.C is { RequiresGrad: true } b) // db += Σ_rows dy, in row order
        {
            var db = tape.GradOf(b).Span;
            if (typeof(T) == typeof(float))
                Kernels.ColumnSums.AddTo(MemoryMarshal.Cast<T, float>(dy)[..(rows * outF)], rows, MemoryMarshal.Cast<T, float>(db));
            else
                for (int r = 0; r < rows; r++) TP.Add(db, dy.Slice(r * outF, outF), db);
        }
    }
}
