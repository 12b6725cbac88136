using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Single-precision exp and tanh over spans, Vector512 at a time. Exp after Cephes' <c>expf</c> (Moshier): range
/// reduction x = n·ln2 + r with a split ln2, a degree-6 polynomial for e^r, 2^n through the exponent bits; tanh
/// as Eigen's float rational approximation. A few ulp (the tests hold them to 4), against
/// the ~1 ulp of <see cref="TP"/>'s float versions, which evaluate in double and cost several times more (the
/// exponentials of softmax, cross-entropy and GELU, the tanh of small MLPs). e^x is +∞ above 88.72, 0 below
/// −87.34 (no subnormal results); NaN in gives NaN out. Elementwise, so deterministic. Double, and machines
/// without Vector512, use <see cref="TP"/>.
/// </summary>
internal static class FastMath
{
    private const float ExpHi = 88.7228391f, ExpLo = -87.3365448f, Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;

    /// <summary>y = e^x elementwise (y may be x).</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Vector512.IsHardwareAccelerated)
        {
            TP.Exp(x, y);
            return;
        }
        var xs = MemoryMarshal.Cast<T, float>(x);
        var ys = MemoryMarshal.Cast<T, float>(y);
        if (ys.Length < xs.Length) throw new ArgumentException("destination too short", nameof(y));
        ref float x0 = ref MemoryMarshal.GetReference(xs);
        ref float y0 = ref MemoryMarshal.GetReference(ys);
        int i = 0;
        for (; i + 16 <= xs.Length; i += 16) Exp(Vector512.LoadUnsafe(ref x0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
        if (i < xs.Length) Tail(xs[i..], ys[i..], tanh: false);
    }

    /// <summary>y = tanh(x) elementwise (y may be x).</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Vector512.IsHardwareAccelerated)
        {
            TP.Tanh(x, y);
            return;
        }
        var xs = MemoryMarshal.Cast<T, float>(x);
        var ys = MemoryMarshal.Cast<T, float>(y);
        int i = 0;
        for (; i + 16 <= xs.Length; i += 16) Tanh(Vector512.Create(xs.Slice(i, 16))).CopyTo(ys.Slice(i, 16));
        if (i < xs.Length) Tail(xs[i..], ys[i..], tanh: true);
    }

    /// <summary>The last 1..15 elements through a zero-padded vector, so they get exactly the vector arithmetic.</summary>
    private static void Tail(ReadOnlySpan<float> x, Span<float> y, bool tanh)
    {
        Span<float> buf = stackalloc float[16];
        buf.Clear();
        x.CopyTo(buf);
        var v = Vector512.Create(buf);
        (tanh ? Tanh(v) : Exp(v)).CopyTo(buf);
        buf[..x.Length].CopyTo(y);
    }

    /// <summary>e^x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var c = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpLo)), Vector512.Create(ExpHi));
        // n = round(c·log2 e) by the 1.5·2²³ trick: the sum's low mantissa bits hold n as an integer
        var shifted = Vector512.FusedMultiplyAdd(c, Vector512.Create(Log2E), Vector512.Create(12582912f));
        var n = shifted - Vector512.Create(12582912f);
        var ni = shifted.AsInt32() - Vector512.Create(0x4B400000);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), c);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        // 2^n via the exponent field; n ∈ [−126, 128] after clamping, so in two halves to stay normal
        var half = ni >> 1;
        var s1 = (half + Vector512.Create(127)) << 23;
        var s2 = (ni - half + Vector512.Create(127)) << 23;
        p = p * s1.AsSingle() * s2.AsSingle();
        p = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpHi)), Vector512.Create(float.PositiveInfinity), p);
        p = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpLo)), Vector512<float>.Zero, p);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), p, x); // NaN stays NaN
    }

    /// <summary>
    /// tanh(x) per lane: the [13/6] odd/even rational approximation on [−7.9053, 7.9053] that Eigen uses for
    /// float (a few ulp), ±1 beyond 9 (where float tanh rounds to ±1), sign of x kept (tanh(−0) = −0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var cx = Vector512.Min(Vector512.Max(x, Vector512.Create(-7.90531110763549805f)), Vector512.Create(7.90531110763549805f));
        var x2 = cx * cx;
        var p = Vector512.FusedMultiplyAdd(x2, Vector512.Create(-2.76076847742355e-16f), Vector512.Create(2.00018790482477e-13f));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(-8.60467152213735e-11f));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(5.12229709037114e-08f));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(1.48572235717979e-05f));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(6.37261928875436e-04f));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(4.89352455891786e-03f));
        p *= cx;
        var q = Vector512.FusedMultiplyAdd(x2, Vector512.Create(1.19825839466702e-06f), Vector512.Create(1.18534705686654e-04f));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(2.26843463243900e-03f));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(4.89352518554385e-03f));
        var result = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Abs(x), Vector512.Create(9f)), Vector512<float>.One, Vector512.Abs(p / q));
        result = Vector512.ConditionalSelect(Vector512.Create(-0f), x, result); // sign of x
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x); // NaN stays NaN
    }
}
