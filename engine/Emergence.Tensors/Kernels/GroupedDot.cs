using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// The single-output grouped layer <c>y[r, g] = Σ_p x[r, g, p]·w[g, p] (+ beta·y[r, g])</c> for in a multiple of 8:
/// eight groups at a time as eight Vector256 dot-product accumulators, reduced together by horizontal adds
/// (9 shuffles/adds per eight dots instead of eight separate reductions). Fixed summation order: deterministic.
/// </summary>
internal static unsafe class GroupedDot
{
    /// <summary>True when <see cref="Run"/> handles the problem (AVX, in % 8 = 0, at least 8 groups).</summary>
    public static bool Applies(int inF, int groups) => Avx.IsSupported && inF % 8 == 0 && inF > 0 && groups >= 8;

    /// <summary>x (rows, groups, inF), w (groups, inF), y (rows, groups), all dense.</summary>
    public static void Run(int rows, int groups, int inF, float* x, float* w, float beta, float* y)
    {
        int g8 = groups & ~7;
        for (int r = 0; r < rows; r++)
        {
            float* xr = x + (nint)r * groups * inF;
            float* yr = y + (nint)r * groups;
            for (int g = 0; g < g8; g += 8)
            {
                var s = Block(xr + (nint)g * inF, w + (nint)g * inF, inF);
                if (beta != 0f) s = Avx.Add(s, Avx.Multiply(Vector256.Create(beta), Avx.LoadVector256(yr + g)));
                Avx.Store(yr + g, s);
            }
            for (int g = g8; g < groups; g++)
            {
                float acc = Vector256.Sum(Dot(xr + (nint)g * inF, w + (nint)g * inF, inF));
                yr[g] = beta != 0f ? acc + beta * yr[g] : acc;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Dot(float* x, float* w, int inF)
    {
        var acc = Avx.Multiply(Avx.LoadVector256(x), Avx.LoadVector256(w));
        for (int p = 8; p < inF; p += 8) acc = Avx.Add(acc, Avx.Multiply(Avx.LoadVector256(x + p), Avx.LoadVector256(w + p)));
        return acc;
    }

    /// <summary>The eight dot products of groups g..g+7 (rows of x and w are inF apart), lane q = group g+q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Block(float* x, float* w, int inF)
    {
        var h01 = Avx.HorizontalAdd(Dot(x, w, inF), Dot(x + inF, w + inF, inF));
        var h23 = Avx.HorizontalAdd(Dot(x + 2 * inF, w + 2 * inF, inF), Dot(x + 3 * inF, w + 3 * inF, inF));
        var h45 = Avx.HorizontalAdd(Dot(x + 4 * inF, w + 4 * inF, inF), Dot(x + 5 * inF, w + 5 * inF, inF));
        var h67 = Avx.HorizontalAdd(Dot(x + 6 * inF, w + 6 * inF, inF), Dot(x + 7 * inF, w + 7 * inF, inF));
        var h0123 = Avx.HorizontalAdd(h01, h23); // [0 1 2 3 | 0 1 2 3] low and high 128-bit halves of each sum
        var h4567 = Avx.HorizontalAdd(h45, h67);
        return Avx.Add(Avx.Permute2x128(h0123, h4567, 0x20), Avx.Permute2x128(h0123, h4567, 0x31));
    }
}
