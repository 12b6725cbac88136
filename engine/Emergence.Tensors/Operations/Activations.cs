using System.Numerics;
using Emergence.Tensors.Autograd;
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
            case UnaryKind.Tanh: TP.Tanh(xs, ys); break;
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
        var gx = tape.GradOf(x).Span;
        ReadOnlySpan<T> g = e.Out.Grad!.Span, y = e.Out.Span, xs = x.Span;
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
            default: GeluDerivative(xs, d); break;
        }
        TP.MultiplyAdd(g, d, gx, gx);
    }

    private static readonly double GeluC = Math.Sqrt(2.0 / Math.PI);

    /// <summary>Elements per chunk of the vectorised GELU passes (stays in L1 between passes).</summary>
    private const int GeluChunk = 256;

    // u = √(2/π)(x + 0.044715x³) = x·(c + ck·x²), into u; vectorised over a chunk.
    private static void GeluInner<T>(ReadOnlySpan<T> x, Span<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateChecked(GeluC), ck = T.CreateChecked(GeluC * 0.044715);
        TP.Multiply(x, x, u);
        TP.Multiply(u, ck, u);
        TP.Add(u, c, u);
        TP.Multiply(u, x, u);
    }

    private static void GeluForward<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateChecked(0.5);
        Span<T> t = stackalloc T[GeluChunk];
        for (int o = 0; o < x.Length; o += GeluChunk)
        {
            int n = Math.Min(GeluChunk, x.Length - o);
            ReadOnlySpan<T> xs = x.Slice(o, n);
            var tn = t[..n];
            GeluInner(xs, tn);
            TP.Tanh(tn, tn);
            TP.Multiply(tn, half, tn);
            TP.Add(tn, half, tn); // 0.5(1 + t)
            TP.Multiply(tn, xs, y.Slice(o, n));
        }
    }

    private static void GeluDerivative<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateChecked(0.5), c = T.CreateChecked(GeluC), c3k = T.CreateChecked(GeluC * 3 * 0.044715);
        Span<T> t = stackalloc T[GeluChunk], w = stackalloc T[GeluChunk];
        for (int o = 0; o < x.Length; o += GeluChunk)
        {
            int n = Math.Min(GeluChunk, x.Length - o);
            ReadOnlySpan<T> xs = x.Slice(o, n);
            Span<T> tn = t[..n], wn = w[..n], dn = d.Slice(o, n);
            GeluInner(xs, tn);
            TP.Tanh(tn, tn);
            // d/dv [0.5 v (1 + t)] = 0.5(1 + t) + 0.5 v (1 - t²) c (1 + 3k v²)
            TP.Multiply(xs, xs, wn);
            TP.Multiply(wn, c3k, wn);
            TP.Add(wn, c, wn);                     // c(1 + 3k v²)
            TP.Multiply(wn, xs, wn);
            TP.Multiply(wn, half, wn);             // 0.5 v c (1 + 3k v²)
            TP.Multiply(tn, tn, dn);
            TP.Subtract(T.One, dn, dn);            // 1 - t²
            TP.Multiply(dn, wn, dn);
            TP.MultiplyAdd(tn, half, dn, dn);      // + 0.5 t
            TP.Add(dn, half, dn);                  // + 0.5
        }
    }
}
