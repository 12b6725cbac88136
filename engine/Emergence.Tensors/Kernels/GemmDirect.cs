using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Unpacked row-at-a-time GEMM for tiny problems (a handful of rows, or very little work): no packing,
/// no threads, no allocation. Each C element is the same FMA chain over p = 0..k-1 as in the blocked
/// path's micro-kernel, followed by the same <c>alpha·acc + beta·c</c> step, so for k ≤ Kc both paths
/// give bit-identical results.
/// </summary>
internal static unsafe class GemmDirect
{
    /// <summary>Runs a validated product with m, n, k &gt; 0.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        // op(A)(i, p) = ai[p·aStep] with ai = a + i·aRowStep.
        nint aRowStep = transA ? 1 : lda, aStep = transA ? lda : 1;
        for (int i = 0; i < m; i++)
        {
            float* ai = a + i * aRowStep;
            float* ci = c + i * ldc;
            if (transB) RowTimesBt(ai, aStep, k, b, ldb, n, ci, alpha, beta);
            else RowTimesB(ai, aStep, k, b, ldb, n, ci, alpha, beta);
        }
    }

    /// <summary>c[j] ← alpha·Σ_p ai[p]·B[p, j] + beta·c[j], 64 then 16 columns at a time in registers.</summary>
    private static void RowTimesB(float* ai, nint aStep, int k, float* b, nint ldb, int n, float* ci, float alpha, float beta)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 64 <= n; j += 64)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var av = Vector512.Create(ai[p * aStep]);
                    s0 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp), s0);
                    s1 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 16), s1);
                    s2 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 32), s2);
                    s3 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 48), s3);
                }
                Store(s0, ci + j, alpha, beta);
                Store(s1, ci + j + 16, alpha, beta);
                Store(s2, ci + j + 32, alpha, beta);
                Store(s3, ci + j + 48, alpha, beta);
            }
            for (; j + 16 <= n; j += 16)
            {
                Vector512<float> s0 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) s0 = Vector512.FusedMultiplyAdd(Vector512.Create(ai[p * aStep]), Vector512.Load(bp), s0);
                Store(s0, ci + j, alpha, beta);
            }
        }
        for (; j < n; j++)
        {
            float s = 0f;
            for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(ai[p * aStep], b[p * ldb + j], s);
            ci[j] = Finish(s, ci[j], alpha, beta);
        }
    }

    /// <summary>c[j] ← alpha·Σ_p ai[p]·B[j, p] + beta·c[j], four independent dot-product chains at a time.</summary>
    private static void RowTimesBt(float* ai, nint aStep, int k, float* b, nint ldb, int n, float* ci, float alpha, float beta)
    {
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            float* b0 = b + j * ldb;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int p = 0; p < k; p++)
            {
                float av = ai[p * aStep];
                s0 = MathF.FusedMultiplyAdd(av, b0[p], s0);
                s1 = MathF.FusedMultiplyAdd(av, b0[ldb + p], s1);
                s2 = MathF.FusedMultiplyAdd(av, b0[2 * ldb + p], s2);
                s3 = MathF.FusedMultiplyAdd(av, b0[3 * ldb + p], s3);
            }
            ci[j] = Finish(s0, ci[j], alpha, beta);
            ci[j + 1] = Finish(s1, ci[j + 1], alpha, beta);
            ci[j + 2] = Finish(s2, ci[j + 2], alpha, beta);
            ci[j + 3] = Finish(s3, ci[j + 3], alpha, beta);
        }
        for (; j < n; j++)
        {
            float* bj = b + j * ldb;
            float s = 0f;
            for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(ai[p * aStep], bj[p], s);
            ci[j] = Finish(s, ci[j], alpha, beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(float acc, float old, float alpha, float beta)
        => beta == 0f ? alpha * acc : MathF.FusedMultiplyAdd(alpha, acc, beta * old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> acc, float* c, float alpha, float beta)
    {
        var va = Vector512.Create(alpha);
        if (beta == 0f) Vector512.Store(va * acc, c);
        else Vector512.Store(Vector512.FusedMultiplyAdd(va, acc, Vector512.Create(beta) * Vector512.Load(c)), c);
    }
}
