using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emergence.Tensors.Kernels;

/// <summary>Register-blocked 8×8 float transpose (AVX) for packing transposed GEMM operands.</summary>
internal static unsafe class GemmTranspose
{
    /// <summary>
    /// dst[c·ldd + r] = src[r·lds + c] for c in 0..8 and r in 0..rows (rows ≤ 8; missing rows read as 0).
    /// Always stores 8 floats per destination row, so with rows &lt; 8 the tail of each store is zero padding.
    /// Callers check <see cref="Avx.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(float* src, nint lds, float* dst, nint ldd, int rows)
    {
        var z = Vector256<float>.Zero;
        var r0 = Avx.LoadVector256(src);
        var r1 = rows > 1 ? Avx.LoadVector256(src + lds) : z;
        var r2 = rows > 2 ? Avx.LoadVector256(src + 2 * lds) : z;
        var r3 = rows > 3 ? Avx.LoadVector256(src + 3 * lds) : z;
        var r4 = rows > 4 ? Avx.LoadVector256(src + 4 * lds) : z;
        var r5 = rows > 5 ? Avx.LoadVector256(src + 5 * lds) : z;
        var r6 = rows > 6 ? Avx.LoadVector256(src + 6 * lds) : z;
        var r7 = rows > 7 ? Avx.LoadVector256(src + 7 * lds) : z;
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
