using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

public static unsafe partial class Ops
{
    /// <summary>
    /// Layer normalisation over the last axis: <c>(x - mean) / sqrt(var + eps) · weight + bias</c>, biased
    /// variance (as PyTorch). <paramref name="weight"/> and <paramref name="bias"/> are (C) or null.
    /// </summary>
    public static Tensor<T> LayerNorm<T>(Tensor<T> x, Tensor<T>? weight, Tensor<T>? bias, double eps = 1e-5)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = x.Shape[-1], rows = x.Length / Math.Max(1, c);
        var y = Tape<T>.New(x.Shape);
        var stats = Tape<T>.New(new Shape(rows, 2)); // (mean, 1/std) per row, saved for backward
        T n = T.CreateChecked(c), e0 = T.CreateChecked(eps);
        ref T x0 = ref MemoryMarshal.GetReference(x.Span), y0 = ref MemoryMarshal.GetReference(y.Span);
        ref T st = ref MemoryMarshal.GetReference(stats.Span);
        ref T w0 = ref weight is null ? ref Unsafe.NullRef<T>() : ref MemoryMarshal.GetReference(weight.Span);
        ref T b0 = ref bias is null ? ref Unsafe.NullRef<T>() : ref MemoryMarshal.GetReference(bias.Span);
        for (int r = 0; r < rows; r++)
        {
            ref T xr = ref Unsafe.Add(ref x0, r * c);
            ref T yr = ref Unsafe.Add(ref y0, r * c);
            T mean = ShortRows.Sum(ref xr, c) / n;
            T rstd = T.One / T.Sqrt(ShortRows.SumSquaredDeviations(ref xr, mean, c) / n + e0);
            Normalize(ref xr, mean, rstd, ref w0, ref b0, ref yr, c);
            (Unsafe.Add(ref st, 2 * r), Unsafe.Add(ref st, 2 * r + 1)) = (mean, rstd);
        }
        if (Tape<T>.RecorderFor(x, weight, bias) is { } tape)
        {
            ref var e = ref tape.Push(&LayerNormBackward<T>, y);
            (e.A, e.B, e.C, e.D, e.I0) = (x, weight, bias, stats, c);
        }
        return y;
    }

    private static void LayerNormBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> x = e.A!, stats = e.D!;
        Tensor<T>? w = e.B, b = e.C;
        int c = e.I0, rows = x.Length / Math.Max(1, c);
        T n = T.CreateChecked(c);
        ref T x0 = ref MemoryMarshal.GetReference(x.Span), g0 = ref MemoryMarshal.GetReference(e.Out.Grad!.Span);
        ref T st = ref MemoryMarshal.GetReference(stats.Span);
        ref T w0 = ref w is null ? ref Unsafe.NullRef<T>() : ref MemoryMarshal.GetReference(w.Span);
        ref T gw = ref w is { RequiresGrad: true } ? ref MemoryMarshal.GetReference(tape.GradOf(w).Span) : ref Unsafe.NullRef<T>();
        ref T gb = ref b is { RequiresGrad: true } ? ref MemoryMarshal.GetReference(tape.GradOf(b).Span) : ref Unsafe.NullRef<T>();
        bool fresh = false;
        ref T gx = ref x.RequiresGrad ? ref MemoryMarshal.GetReference(tape.GradOf(x, out fresh).Span) : ref Unsafe.NullRef<T>();
        ref T xhat = ref MemoryMarshal.GetReference(tape.Temp(new Shape(c)).Span);
        ref T dxhat = ref MemoryMarshal.GetReference(tape.Temp(new Shape(c)).Span);
        for (int r = 0; r < rows; r++)
        {
            ref T gr = ref Unsafe.Add(ref g0, r * c);
            T mean = Unsafe.Add(ref st, 2 * r), rstd = Unsafe.Add(ref st, 2 * r + 1);
            Normalize(ref Unsafe.Add(ref x0, r * c), mean, rstd, ref Unsafe.NullRef<T>(), ref Unsafe.NullRef<T>(), ref xhat, c);
            if (!Unsafe.IsNullRef(ref gw)) ShortRows.AddProduct(ref gr, ref xhat, ref gw, c);
            if (!Unsafe.IsNullRef(ref gb)) ShortRows.AddScaled(ref gr, T.One, ref gb, c);
            if (Unsafe.IsNullRef(ref gx)) continue;
            if (!Unsafe.IsNullRef(ref w0)) ShortRows.Product(ref gr, ref w0, ref dxhat, c);
            else ShortRows.Scale(ref gr, T.One, ref dxhat, c);
            // dx = rstd · (dxhat - mean(dxhat) - xhat · mean(dxhat ⊙ xhat))
            T m1 = ShortRows.Sum(ref dxhat, c) / n, m2 = ShortRows.Dot(ref dxhat, ref xhat, c) / n;
            LayerNormInputGrad(ref xhat, ref dxhat, m1, m2, rstd, ref Unsafe.Add(ref gx, r * c), c, accumulate: !fresh);
        }
    }

    /// <summary>y = (x − mean)·rstd (·w + b where given), vectorised over one row.</summary>
    private static void Normalize<T>(ref T x, T mean, T rstd, ref T w, ref T b, ref T y, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool hasW = !Unsafe.IsNullRef(ref w), hasB = !Unsafe.IsNullRef(ref b);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<T> vm = Vector256.Create(mean), vr = Vector256.Create(rstd);
            for (; i + Vector256<T>.Count <= c; i += Vector256<T>.Count)
            {
                var v = (Vector256.LoadUnsafe(ref x, (nuint)i) - vm) * vr;
                if (hasW) v *= Vector256.LoadUnsafe(ref w, (nuint)i);
                if (hasB) v += Vector256.LoadUnsafe(ref b, (nuint)i);
                v.StoreUnsafe(ref y, (nuint)i);
            }
        }
        for (; i < c; i++)
        {
            T v = (Unsafe.Add(ref x, i) - mean) * rstd;
            if (hasW) v *= Unsafe.Add(ref w, i);
            if (hasB) v += Unsafe.Add(ref b, i);
            Unsafe.Add(ref y, i) = v;
        }
    }

    /// <summary>gx (+)= rstd · (dxhat − m1 − xhat·m2) over one row.</summary>
    private static void LayerNormInputGrad<T>(ref T xhat, ref T dxhat, T m1, T m2, T rstd, ref T gx, int c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<T> v1 = Vector256.Create(m1), v2 = Vector256.Create(m2), vr = Vector256.Create(rstd);
            for (; i + Vector256<T>.Count <= c; i += Vector256<T>.Count)
            {
                var d = (Vector256.LoadUnsafe(ref dxhat, (nuint)i) - Vector256.LoadUnsafe(ref xhat, (nuint)i) * v2 - v1) * vr;
                (accumulate ? Vector256.LoadUnsafe(ref gx, (nuint)i) + d : d).StoreUnsafe(ref gx, (nuint)i);
            }
        }
        for (; i < c; i++)
        {
            T d = (Unsafe.Add(ref dxhat, i) - Unsafe.Add(ref xhat, i) * m2 - m1) * rstd;
            Unsafe.Add(ref gx, i) = accumulate ? Unsafe.Add(ref gx, i) + d : d;
        }
    }
}
