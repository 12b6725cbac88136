namespace Emergence.Tensors.Tests.Kernels;

/// <summary>Double-precision scalar oracles and comparison helpers for the row-wise kernels.</summary>
internal static class ElementwiseReference
{
    /// <summary>Column counts exercised: every length 1..130 is too slow for all kernels squared with rows, so rows vary too.</summary>
    public static IEnumerable<int> Lengths() => Enumerable.Range(0, 131);

    public static double Activate(Emergence.Tensors.Kernels.Activation act, double z) => act switch
    {
        Emergence.Tensors.Kernels.Activation.Identity => z,
        Emergence.Tensors.Kernels.Activation.Relu => Math.Max(z, 0),
        Emergence.Tensors.Kernels.Activation.Tanh => Math.Tanh(z),
        Emergence.Tensors.Kernels.Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tol, string label)
    {
        actual.Length.Should().Be(expected.Length, label);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], g = actual[i];
            if (double.IsNaN(e) && double.IsNaN(g)) continue;
            if (!(Math.Abs(e - g) <= tol * Math.Max(1.0, Math.Abs(e))))
            {
                throw new Xunit.Sdk.XunitException($"{label}: [{i}] = {g}, expected {e} (tol {tol})");
            }
        }
    }

    /// <summary>Shapes (rows, cols) covering total lengths 0..130 and every cols 1..130.</summary>
    public static IEnumerable<(int Rows, int Cols)> Shapes()
    {
        for (int cols = 1; cols <= 130; cols++) yield return (cols % 3 + 1, cols);
        for (int total = 0; total <= 130; total++) yield return (total, 1);
        yield return (0, 7);
        yield return (5, 26);
    }
}
