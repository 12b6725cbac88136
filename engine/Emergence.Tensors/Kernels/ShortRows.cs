using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Inlined loops over short rows (a head's 8 channels, a 32-wide layer-norm row), for float and double alike:
/// one Vector256 step per 8 floats (4 doubles), scalar tail. The ops call these once per row, thousands of times
/// per step, where a <c>TensorPrimitives</c> call's fixed cost outweighs its work. Summation order depends only
/// on the length, so results are deterministic.
/// </summary>
internal static class ShortRows
{
    /// <summary>Σ a[i]·b[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ref T a, ref T b, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T s = T.Zero;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var acc = Vector256.LoadUnsafe(ref a) * Vector256.LoadUnsafe(ref b);
            for (i = Vector256<T>.Count; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                acc += Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i);
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) s += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return s;
    }

    /// <summary>Σ x[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(ref T x, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T s = T.Zero;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var acc = Vector256.LoadUnsafe(ref x);
            for (i = Vector256<T>.Count; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) acc += Vector256.LoadUnsafe(ref x, (nuint)i);
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) s += Unsafe.Add(ref x, i);
        return s;
    }

    /// <summary>Σ (x[i] − mean)² over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumSquaredDeviations<T>(ref T x, T mean, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T s = T.Zero;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var m = Vector256.Create(mean);
            var d = Vector256.LoadUnsafe(ref x) - m;
            var acc = d * d;
            for (i = Vector256<T>.Count; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                d = Vector256.LoadUnsafe(ref x, (nuint)i) - m;
                acc += d * d;
            }
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            T d = Unsafe.Add(ref x, i) - mean;
            s += d * d;
        }
        return s;
    }

    /// <summary>y[i] += s·x[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled<T>(ref T x, T s, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref y, (nuint)i) + vs * Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) += s * Unsafe.Add(ref x, i);
    }

    /// <summary>y[i] = s·x[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale<T>(ref T x, T s, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (vs * Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = s * Unsafe.Add(ref x, i);
    }

    /// <summary>y[i] += a[i]·b[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct<T>(ref T a, ref T b, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref y, (nuint)i) + Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
    }

    /// <summary>y[i] = a[i]·b[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Product<T>(ref T a, ref T b, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
    }

    /// <summary>max x[i] over n ≥ 1 elements (a NaN may or may not win; callers let NaN reach a sum instead).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(ref T x, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T m = T.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var acc = Vector256.LoadUnsafe(ref x);
            for (i = Vector256<T>.Count; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref x, (nuint)i));
            for (int l = 0; l < Vector256<T>.Count; l++) m = T.Max(m, acc.GetElement(l));
        }
        for (; i < n; i++) m = T.Max(m, Unsafe.Add(ref x, i));
        return m;
    }

    /// <summary>y[i] = x[i] + s over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Shift<T>(ref T x, T s, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref x, (nuint)i) + vs).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i) + s;
    }

    /// <summary>y[i] = a[i] + b[i] over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(ref T a, ref T b, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref a, (nuint)i) + Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = Unsafe.Add(ref a, i) + Unsafe.Add(ref b, i);
    }

    /// <summary>y[i] = x[i] over n elements (a short row: no call into memmove).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(ref T x, ref T y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) Vector256.LoadUnsafe(ref x, (nuint)i).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i);
    }
}
