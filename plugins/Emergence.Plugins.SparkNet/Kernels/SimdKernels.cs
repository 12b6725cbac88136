using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Emergence.Plugins.SparkNet.Kernels;

/// <summary>
/// The step's dense kernels. Deterministic: every reduction runs in a fixed order (four Vector512
/// accumulators over 64-float chunks, then 16-float chunks into the first, then a scalar tail, then a
/// fixed horizontal sum); FMA is used everywhere in the dot product (vector and scalar tail) or nowhere.
/// No <c>Vector&lt;T&gt;</c>: its width depends on the machine.
/// </summary>
internal static class SimdKernels
{
    /// <summary>dst[i] = Σ_j a[i·n + j]·x[j] for a row-major (rows × n) matrix.</summary>
    public static void MatVec(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> dst)
    {
        int n = x.Length;
        if (a.Length != dst.Length * n) throw new ArgumentException($"matrix has {a.Length} entries, expected {dst.Length}x{n}");
        for (int i = 0; i < dst.Length; i++) dst[i] = Dot(a.Slice(i * n, n), x);
    }

    /// <summary>Σ a[j]·b[j] in the fixed order described on the class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, j = 0;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        var acc0 = Vector512<float>.Zero;
        var acc1 = Vector512<float>.Zero;
        var acc2 = Vector512<float>.Zero;
        var acc3 = Vector512<float>.Zero;
        for (; j <= n - 64; j += 64)
        {
            acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra, (nuint)j), Vector512.LoadUnsafe(ref rb, (nuint)j), acc0);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra, (nuint)(j + 16)), Vector512.LoadUnsafe(ref rb, (nuint)(j + 16)), acc1);
            acc2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra, (nuint)(j + 32)), Vector512.LoadUnsafe(ref rb, (nuint)(j + 32)), acc2);
            acc3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra, (nuint)(j + 48)), Vector512.LoadUnsafe(ref rb, (nuint)(j + 48)), acc3);
        }
        for (; j <= n - 16; j += 16)
            acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra, (nuint)j), Vector512.LoadUnsafe(ref rb, (nuint)j), acc0);
        float tail = 0f;
        for (; j < n; j++) tail = MathF.FusedMultiplyAdd(Unsafe.Add(ref ra, j), Unsafe.Add(ref rb, j), tail);
        return HorizontalSum((acc0 + acc1) + (acc2 + acc3)) + tail;
    }

    /// <summary>Sum of the 16 lanes in a fixed pairwise order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalSum(Vector512<float> v)
    {
        var h = v.GetLower() + v.GetUpper();
        var q = h.GetLower() + h.GetUpper();
        return (q.GetElement(0) + q.GetElement(2)) + (q.GetElement(1) + q.GetElement(3));
    }

    /// <summary>w = clip(factor·w, −clip, clip), elementwise, in place.</summary>
    public static void ScaleClip(Span<float> w, float factor, float clip)
    {
        ref float r = ref MemoryMarshal.GetReference(w);
        var f = Vector512.Create(factor);
        var hi = Vector512.Create(clip);
        var lo = Vector512.Create(-clip);
        int i = 0;
        for (; i <= w.Length - 16; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref r, (nuint)i) * f;
            // MinNative/MaxNative are single vminps/vmaxps; Min/Max add IEEE NaN and signed-zero handling (3x slower), irrelevant here since lo < 0 < hi and W is finite.
            Vector512.MinNative(Vector512.MaxNative(v, lo), hi).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < w.Length; i++) Unsafe.Add(ref r, i) = Math.Clamp(Unsafe.Add(ref r, i) * factor, -clip, clip);
    }

    /// <summary>The logistic function in float32, 1/(1+e^(−x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
