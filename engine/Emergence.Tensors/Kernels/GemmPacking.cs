using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the contiguous sliver layout the micro-kernel streams:
/// A as Mr-row slivers stored p-major (kc×Mr), B as Nr-column slivers stored p-major (kc×Nr),
/// zero-padded at the edges so the kernel always runs full tiles.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int Mr = GemmMicroKernel.Mr;
    private const int Nr = GemmMicroKernel.Nr;

    /// <summary>
    /// Packs op(A)[i0..i0+mb, p0..p0+kb) into <paramref name="dst"/> (ceil(mb/Mr)·kb·Mr floats, plus 16
    /// floats of slack that may be overwritten). <paramref name="aRowLength"/> is the number of valid
    /// columns in a stored row of A (m when transposed), so wide loads never leave the matrix.
    /// </summary>
    public static void PackA(bool transA, float* a, nint lda, int aRowLength, int i0, int p0, int mb, int kb, float* dst)
    {
        for (int ir = 0; ir < mb; ir += Mr)
        {
            int mr = Math.Min(Mr, mb - ir);
            float* d = dst + (nint)ir * kb;
            if (transA)
            {
                PackATransposed(a + (nint)p0 * lda + i0 + ir, lda, kb, mr, i0 + ir + 16 <= aRowLength, d);
            }
            else if (mr == Mr && Avx.IsSupported)
            {
                PackARowsAvx(a + (nint)(i0 + ir) * lda + p0, lda, kb, d);
            }
            else
            {
                for (int r = 0; r < Mr; r++)
                {
                    if (r < mr)
                    {
                        float* src = a + (nint)(i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kb; p++) d[p * Mr + r] = src[p];
                    }
                    else
                    {
                        for (int p = 0; p < kb; p++) d[p * Mr + r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A full Mr-row sliver from row-major A (op(A)(i, p) = a[i·lda + p]) via 8×8 transposes: rows 8..13 first
    /// (their 8-wide stores spill 2 floats into the next p's rows 0..1, or the slack), then rows 0..7 overwrite them.
    /// </summary>
    private static void PackARowsAvx(float* src, nint lda, int kb, float* d)
    {
        int pv = kb & ~7;
        for (int p = 0; p < pv; p += 8) GemmTranspose.Block8x8(src + 8 * lda + p, lda, d + p * Mr + 8, Mr, Mr - 8);
        for (int p = 0; p < pv; p += 8) GemmTranspose.Block8x8(src + p, lda, d + p * Mr, Mr, 8);
        for (int p = pv; p < kb; p++)
            for (int r = 0; r < Mr; r++) d[p * Mr + r] = src[r * lda + p];
    }

    /// <summary>op(A)(i, p) = a[p·lda + i]: each p is a contiguous run of mr values (16-wide copy when in bounds).</summary>
    private static void PackATransposed(float* src, nint lda, int kb, int mr, bool wideInBounds, float* d)
    {
        if (mr == Mr && wideInBounds && Vector512.IsHardwareAccelerated)
        {
            // Writes 16 floats per p; the 2 extra land in the next p's slot (or the slack) and are overwritten.
            for (int p = 0; p < kb; p++, src += lda, d += Mr) Vector512.Store(Vector512.Load(src), d);
            return;
        }
        for (int p = 0; p < kb; p++, src += lda, d += Mr)
        {
            int r = 0;
            for (; r < mr; r++) d[r] = src[r];
            for (; r < Mr; r++) d[r] = 0f;
        }
    }

    /// <summary>Packs op(B)[p0..p0+kb, j0..j0+nb) into <paramref name="dst"/> (ceil(nb/Nr)·kb·Nr floats).</summary>
    public static void PackB(bool transB, float* b, nint ldb, int p0, int j0, int kb, int nb, float* dst)
    {
        for (int jr = 0; jr < nb; jr += Nr)
        {
            int nr = Math.Min(Nr, nb - jr);
            float* d = dst + (nint)jr * kb;
            if (transB) PackBTransposed(b, ldb, p0, j0 + jr, kb, nr, d);
            else PackBRows(b, ldb, p0, j0 + jr, kb, nr, d);
        }
    }

    private static void PackBRows(float* b, nint ldb, int p0, int j0, int kb, int nr, float* d)
    {
        float* src = b + (nint)p0 * ldb + j0;
        if (nr == Nr && Vector512.IsHardwareAccelerated)
        {
            for (int p = 0; p < kb; p++, src += ldb, d += Nr)
            {
                Vector512.Store(Vector512.Load(src), d);
                Vector512.Store(Vector512.Load(src + 16), d + 16);
            }
            return;
        }
        for (int p = 0; p < kb; p++, src += ldb, d += Nr)
        {
            int j = 0;
            for (; j < nr; j++) d[j] = src[j];
            for (; j < Nr; j++) d[j] = 0f;
        }
    }

    private static void PackBTransposed(float* b, nint ldb, int p0, int j0, int kb, int nr, float* d)
    {
        if (nr == Nr && Avx.IsSupported)
        {
            // 8×8 register transposes: each reads 8 source rows (j) contiguously and writes 8 packed rows (p).
            float* src = b + (nint)j0 * ldb + p0;
            int pv = kb & ~7;
            for (int j = 0; j < Nr; j += 8)
            {
                for (int p = 0; p < pv; p += 8) GemmTranspose.Block8x8(src + j * ldb + p, ldb, d + p * Nr + j, Nr, 8);
                for (int p = pv; p < kb; p++)
                    for (int q = 0; q < 8; q++) d[p * Nr + j + q] = src[(j + q) * ldb + p];
            }
            return;
        }
        // op(B)(p, j) = b[j·ldb + p]: read each source row contiguously, scatter with stride Nr.
        for (int j = 0; j < Nr; j++)
        {
            if (j < nr)
            {
                float* src = b + (nint)(j0 + j) * ldb + p0;
                for (int p = 0; p < kb; p++) d[p * Nr + j] = src[p];
            }
            else
            {
                for (int p = 0; p < kb; p++) d[p * Nr + j] = 0f;
            }
        }
    }
}
