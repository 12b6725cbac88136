using Emergence.Contracts.Random;
using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class FastMathTests
{
    private static float[] Inputs(int n, double scale, ulong seed)
    {
        var x = new float[n];
        new RngStream(seed).FillNormal(x);
        for (int i = 0; i < n; i++) x[i] = (float)(x[i] * scale);
        return x;
    }

    private static void Check(float[] x, Func<double, double> reference, bool tanh, string label)
    {
        var y = new float[x.Length];
        if (tanh) FastMath.Tanh<float>(x, y);
        else FastMath.Exp<float>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double e = reference(x[i]);
            if (double.IsNaN(e)) { float.IsNaN(y[i]).Should().BeTrue($"{label} x={x[i]}"); continue; }
            if (double.IsInfinity(e) || e > float.MaxValue) { y[i].Should().Be(float.PositiveInfinity, $"{label} x={x[i]}"); continue; }
            double tol = e < 1.2e-38 && !tanh ? 1.2e-38 : 4e-7 * Math.Abs(e) + 1e-45;
            Math.Abs(y[i] - e).Should().BeLessThanOrEqualTo(tol, $"{label} x={x[i]}");
        }
    }

    [Fact]
    public void Exp_EveryLengthUpTo130AndWideRange_WithinFourUlpOfDouble()
    {
        for (int n = 0; n <= 130; n++) Check(Inputs(n, 3, (ulong)n), Math.Exp, false, $"n={n}");
        Check(Inputs(4000, 40, 7), Math.Exp, false, "wide");
    }

    [Fact]
    public void Exp_SpecialValues_InfinityZeroAndNaN()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 88.7f, 88.8f, -87.3f, -87.4f, -200f, 200f, 1e-30f];
        var y = new float[x.Length];
        FastMath.Exp<float>(x, y);
        float.IsNaN(y[0]).Should().BeTrue();
        y[1].Should().Be(float.PositiveInfinity);
        y[2].Should().Be(0f);
        (y[3], y[4]).Should().Be((1f, 1f));
        float.IsFinite(y[5]).Should().BeTrue();
        y[6].Should().Be(float.PositiveInfinity);
        y[7].Should().BeGreaterThan(0f);
        (y[8], y[9], y[10], y[11]).Should().Be((0f, 0f, float.PositiveInfinity, 1f));
    }

    [Fact]
    public void Tanh_EveryLengthUpTo130AndWideRange_WithinFourUlpOfDouble()
    {
        for (int n = 0; n <= 130; n++) Check(Inputs(n, 1, (ulong)n + 500), Math.Tanh, true, $"n={n}");
        Check(Inputs(4000, 0.3, 8), Math.Tanh, true, "small");
        Check(Inputs(4000, 20, 9), Math.Tanh, true, "wide");
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0.625f, -0.625f, 1e-20f];
        var y = new float[x.Length];
        FastMath.Tanh<float>(x, y);
        float.IsNaN(y[0]).Should().BeTrue();
        (y[1], y[2]).Should().Be((1f, -1f));
        ((double)y[6]).Should().BeApproximately(1e-20, 4e-27, "tanh x ≈ x for tiny x");
        float.IsNegative(y[3]).Should().BeTrue("tanh(-0) = -0");
        y[5].Should().Be(-y[4]);
    }
}
