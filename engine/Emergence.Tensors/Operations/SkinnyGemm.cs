using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Emergence.Tensors.Operations;

/// <summary>
/// <c>C = A·Bᵀ + beta·C</c> for few output columns (n ≤ 8), e.g. a 256→8 layer on a batch: every output is
/// a dot product of a row of A with a row of B, kept in Vector512 accumulators (one per column) and reduced
/// once. Fixed summation order, so deterministic. The general GEMM's packing costs more than the work here.
/// </summary>
internal static class SkinnyGemm
{
    public const int MaxN = 8;

    public static bool Applies(bool ta, bool tb, int n, int k) => !ta && tb && n <= MaxN && Vector512.IsHardwareAccelerated;

    public static void Run(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        Span<float> sums = stackalloc float[MaxN];
        int kv = k & ~15, k8 = k - kv >= 8 ? kv + 8 : kv; // [0, kv) Vector512, [kv, k8) one Vector256, then scalar
        for (int i = 0; i < m; i++)
        {
            ref float ai = ref Unsafe.Add(ref a0, i * lda);
            if (kv > 0) Row(ref ai, ref b0, ldb, n, kv, sums);
            else sums.Clear();
            for (int j = 0; j < n; j++)
            {
                float s = sums[j];
                if (k8 > kv)
                    s += Vector256.Sum(Vector256.LoadUnsafe(ref ai, (nuint)kv) * Vector256.LoadUnsafe(ref b0, (nuint)(j * ldb + kv)));
                for (int p = k8; p < k; p++) s += Unsafe.Add(ref ai, p) * Unsafe.Add(ref b0, j * ldb + p);
                ref float dst = ref c[i * ldc + j];
                dst = beta == 0f ? s : beta * dst + s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(ref float ai, ref float b0, int ldb, int n, int kv, Span<float> sums)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int p = 0; p < kv; p += 16)
        {
            var x = Vector512.LoadUnsafe(ref ai, (nuint)p);
            s0 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)p), s0);
            if (n > 1) s1 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(ldb + p)), s1);
            if (n > 2) s2 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(2 * ldb + p)), s2);
            if (n > 3) s3 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(3 * ldb + p)), s3);
            if (n > 4) s4 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(4 * ldb + p)), s4);
            if (n > 5) s5 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(5 * ldb + p)), s5);
            if (n > 6) s6 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(6 * ldb + p)), s6);
            if (n > 7) s7 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b0, (nuint)(7 * ldb + p)), s7);
        }
        sums[0] = Vector512.Sum(s0);
        if (n > 1) sums[1] = Vector512.Sum(s1);
        if (n > 2) sums[2] = Vector512.Sum(s2);
        if (n > 3) sums[3] = Vector512.Sum(s3);
        if (n > 4) sums[4] = Vector512.Sum(s4);
        if (n > 5) sums[5] = Vector512.Sum(s5);
        if (n > 6) sums[6] = Vector512.Sum(s6);
        if (n > 7) sums[7] = Vector512.Sum(s7);
    }
}
