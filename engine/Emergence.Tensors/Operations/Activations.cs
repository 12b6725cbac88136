using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

/// <summary>Elementwise unary functions.</summary>
internal enum UnaryKind
{
    Tanh,
    Sigmoid,
    Relu,
    Gelu,
    Exp,
    Log,
}

public static unsafe partial class Ops
{
    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor<T> Tanh<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(UnaryKind.Tanh, x);

    /// <summary>Logistic sigmoid <c>1 / (1 + e^-x)</c>.</summary>
    public static Tensor<T> Sigmoid<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(UnaryKind.Sigmoid, x);

    /// <summary><c>max(x, 0)</c>; the gradient at 0 is 0 (as PyTorch). NaN propagates.</summary>
    public static Tensor<T> Relu<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(UnaryKind.Relu, x);

    /// <summary>GELU, tanh approximation: <c>0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))</c> (PyTorch <c>approximate='tanh'</c>).</summary>
    public static Tensor<T> Gelu<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(UnaryKind.Gelu, x);

    /// <summary>Natural exponential.</summary>
    public static Tensor<T> Exp<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(UnaryKind.Exp, x);

    /// <summary>Natural logarithm (NaN for negative inputs, -∞ at 0).</summary>
    public static Tensor<T> Log<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(UnaryKind.Log, x);

    private static Tensor<T> Unary<T>(UnaryKind kind, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Tape<T>.New(x.Shape);
        ReadOnlySpan<T> xs = x.Span;
        var ys = y.Span;
        switch (kind)
        {
            case UnaryKind.Tanh: FastMath.Tanh(xs, ys); break;
            case UnaryKind.Sigmoid: TP.Sigmoid(xs, ys); break;
            case UnaryKind.Relu: TP.Max(xs, T.Zero, ys); break;
            case UnaryKind.Exp: TP.Exp(xs, ys); break;
            case UnaryKind.Log: TP.Log(xs, ys); break;
            default: GeluForward(xs, ys); break;
        }
        if (Tape<T>.RecorderFor(x) is { } tape)
        {
            ref var e = ref tape.Push(&UnaryBackward<T>, y);
            (e.A, e.I0) = (x, (int)kind);
        }
        return y;
    }

    private static void UnaryBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = e.A!;
        var gx = tape.GradOf(x, out bool fresh).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span, y = e.Out.Span, xs = x.Span;
        if ((UnaryKind)e.I0 == UnaryKind.Gelu)
        {
            GeluBackward(xs, g, gx, fresh);
            return;
        }
        var d = tape.Temp(x.Shape).Span; // local derivative dy/dx
        switch ((UnaryKind)e.I0)
        {
            case UnaryKind.Tanh: TP.Multiply(y, y, d); TP.Subtract(T.One, d, d); break; // 1 - y²
            case UnaryKind.Sigmoid: TP.Subtract(T.One, y, d); TP.Multiply(d, y, d); break; // y(1 - y)
            case UnaryKind.Exp: y.CopyTo(d); break;
            case UnaryKind.Log: TP.Reciprocal(xs, d); break;
            case UnaryKind.Relu:
                for (int i = 0; i < d.Length; i++) d[i] = xs[i] > T.Zero ? T.One : T.Zero;
                break;
            default: throw new InvalidOperationException($"unary kind {e.I0}");
        }
        if (fresh) TP.Multiply(g, d, gx);
        else TP.MultiplyAdd(g, d, gx, gx);
    }

    private static readonly double GeluC = Math.Sqrt(2.0 / Math.PI);

    /// <summary>Elements per chunk of the GELU passes (the exponentials stay in L1 between passes).</summary>
    private const int GeluChunk = 1024;

    // 0.5(1 + tanh(u)) = σ(2u) = 1 / (1 + e^(−2u)), u = √(2/π)(x + 0.044715x³): one vectorised exp per chunk,
    // the rest in fused vector passes. Into e: e^(−2u).
    private static void GeluExp<T>(ReadOnlySpan<T> x, Span<T> e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateChecked(-2 * GeluC), ck = T.CreateChecked(-2 * GeluC * 0.044715);
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T e0 = ref MemoryMarshal.GetReference(e);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<T> vc = Vector256.Create(c), vk = Vector256.Create(ck);
            for (; i + Vector256<T>.Count <= x.Length; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref x0, (nuint)i);
                (v * (vc + vk * v * v)).StoreUnsafe(ref e0, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            T v = Unsafe.Add(ref x0, i);
            Unsafe.Add(ref e0, i) = v * (c + ck * v * v);
        }
        FastMath.Exp<T>(e, e);
    }

    private static void GeluForward<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[GeluChunk];
        for (int o = 0; o < x.Length; o += GeluChunk)
        {
            int n = Math.Min(GeluChunk, x.Length - o);
            GeluExp(x.Slice(o, n), e[..n]);
            ref T x0 = ref MemoryMarshal.GetReference(x[o..]);
            ref T y0 = ref MemoryMarshal.GetReference(y[o..]);
            ref T e0 = ref MemoryMarshal.GetReference(e);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) // x·σ(2u)
                    (Vector256.LoadUnsafe(ref x0, (nuint)i) / (Vector256<T>.One + Vector256.LoadUnsafe(ref e0, (nuint)i))).StoreUnsafe(ref y0, (nuint)i);
            }
            for (; i < n; i++) Unsafe.Add(ref y0, i) = Unsafe.Add(ref x0, i) / (T.One + Unsafe.Add(ref e0, i));
        }
    }

    /// <summary>gx (+)= g · gelu'(x), with gelu'(x) = s + 2x·s(1 − s)·√(2/π)(1 + 3·0.044715x²), s = σ(2u).</summary>
    private static void GeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gx, bool fresh) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c2 = T.CreateChecked(2 * GeluC), c2k = T.CreateChecked(2 * GeluC * 3 * 0.044715);
        Span<T> e = stackalloc T[GeluChunk];
        for (int o = 0; o < x.Length; o += GeluChunk)
        {
            int n = Math.Min(GeluChunk, x.Length - o);
            GeluExp(x.Slice(o, n), e[..n]);
            ref T x0 = ref MemoryMarshal.GetReference(x[o..]);
            ref T g0 = ref MemoryMarshal.GetReference(g[o..]);
            ref T d0 = ref MemoryMarshal.GetReference(gx[o..]);
            ref T e0 = ref MemoryMarshal.GetReference(e);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<T> vc = Vector256.Create(c2), vk = Vector256.Create(c2k), one = Vector256<T>.One;
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref x0, (nuint)i);
                    var sg = one / (one + Vector256.LoadUnsafe(ref e0, (nuint)i));
                    var d = sg + v * sg * (one - sg) * (vc + vk * v * v);
                    d *= Vector256.LoadUnsafe(ref g0, (nuint)i);
                    (fresh ? d : Vector256.LoadUnsafe(ref d0, (nuint)i) + d).StoreUnsafe(ref d0, (nuint)i);
                }
            }
            for (; i < n; i++)
            {
                T v = Unsafe.Add(ref x0, i), sg = T.One / (T.One + Unsafe.Add(ref e0, i));
                T d = Unsafe.Add(ref g0, i) * (sg + v * sg * (T.One - sg) * (c2 + c2k * v * v));
                Unsafe.Add(ref d0, i) = fresh ? d : Unsafe.Add(ref d0, i) + d;
            }
        }
    }
}
