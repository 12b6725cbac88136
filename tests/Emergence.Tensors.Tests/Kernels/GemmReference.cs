namespace Emergence.Tensors.Tests.Kernels;

/// <summary>Scalar double-accumulation GEMM oracle and helpers shared by the GEMM tests.</summary>
internal static class GemmReference
{
    public static double[] Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += av * bv;
                }
                double prior = beta == 0f ? 0 : (double)beta * c[i * ldc + j];
                r[i * n + j] = alpha * s + prior;
            }
        }
        return r;
    }

    /// <summary>Deterministic pseudo-random values in [-1, 1) from a small LCG (test data only).</summary>
    public static float[] Fill(int length, uint seed)
    {
        var x = new float[length];
        uint s = seed * 2654435761u + 12345u;
        for (int i = 0; i < x.Length; i++)
        {
            s = s * 1664525u + 1013904223u;
            x[i] = (s >> 8) / (float)(1 << 23) - 1f;
        }
        return x;
    }

    /// <summary>Asserts every C element matches the oracle within a k-scaled tolerance; padding is untouched.</summary>
    public static void AssertClose(double[] expected, float[] actual, float[] before, int m, int n, int k, int ldc,
        string label)
    {
        double tol = 1e-5 * (k + 4);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double e = expected[i * n + j], g = actual[i * ldc + j];
                if (!(Math.Abs(e - g) <= tol * Math.Max(1.0, Math.Abs(e))))
                {
                    throw new Xunit.Sdk.XunitException($"{label}: C[{i},{j}] = {g}, expected {e} (tol {tol})");
                }
            }
            for (int j = n; j < ldc && i * ldc + j < actual.Length; j++)
            {
                if (BitConverter.SingleToInt32Bits(actual[i * ldc + j]) != BitConverter.SingleToInt32Bits(before[i * ldc + j]))
                {
                    throw new Xunit.Sdk.XunitException($"{label}: padding C[{i},{j}] was written");
                }
            }
        }
    }
}
