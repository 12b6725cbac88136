using Emergence.Contracts.Random;
using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class ShortRowsTests
{
    private static (float[] A, float[] B) Rows(int n, ulong seed)
    {
        var rng = new RngStream(seed);
        var a = new float[n + 3];
        var b = new float[n + 3];
        rng.FillNormal(a);
        rng.FillNormal(b);
        return (a, b);
    }

    private static void Close(double expected, double actual, int n, string what) =>
        Math.Abs(expected - actual).Should().BeLessThanOrEqualTo(1e-5 * (n + 1) * (1 + Math.Abs(expected)), $"{what}, n = {n}");

    [Fact]
    public void Reductions_EveryLengthUpTo130_MatchScalarReference()
    {
        for (int n = 0; n <= 130; n++)
        {
            var (a, b) = Rows(n, (ulong)n + 1);
            double dot = 0, sum = 0, max = double.NegativeInfinity, mean = 0.25, dev = 0;
            for (int i = 0; i < n; i++)
            {
                (dot, sum, max) = (dot + (double)a[i] * b[i], sum + a[i], Math.Max(max, a[i]));
                dev += (a[i] - mean) * (a[i] - mean);
            }
            Close(dot, ShortRows.Dot(ref a[0], ref b[0], n), n, "dot");
            Close(sum, ShortRows.Sum(ref a[0], n), n, "sum");
            Close(dev, ShortRows.SumSquaredDeviations(ref a[0], 0.25f, n), n, "squared deviations");
            if (n > 0) ShortRows.Max(ref a[0], n).Should().Be((float)max, $"max, n = {n}");
            var ad = Array.ConvertAll(a, v => (double)v);
            var bd = Array.ConvertAll(b, v => (double)v);
            Math.Abs(ShortRows.Dot(ref ad[0], ref bd[0], n) - dot).Should().BeLessThan(1e-12 * (n + 1), $"double dot, n = {n}");
        }
    }

    [Fact]
    public void Updates_EveryLengthUpTo130_MatchScalarReferenceAndLeaveTheTail()
    {
        for (int n = 0; n <= 130; n++)
        {
            var (a, b) = Rows(n, (ulong)n + 200);
            var y = new float[n + 3];
            new RngStream((ulong)n + 400).FillNormal(y);
            float[] copy = (float[])y.Clone(), add = (float[])y.Clone(), addScaled = (float[])y.Clone(), scale = (float[])y.Clone(), addProduct = (float[])y.Clone(), product = (float[])y.Clone(), shift = (float[])y.Clone();
            ShortRows.Copy(ref a[0], ref copy[0], n);
            ShortRows.Add(ref a[0], ref b[0], ref add[0], n);
            ShortRows.AddScaled(ref a[0], 1.5f, ref addScaled[0], n);
            ShortRows.Scale(ref a[0], -0.5f, ref scale[0], n);
            ShortRows.AddProduct(ref a[0], ref b[0], ref addProduct[0], n);
            ShortRows.Product(ref a[0], ref b[0], ref product[0], n);
            ShortRows.Shift(ref a[0], 2f, ref shift[0], n);
            for (int i = 0; i < n + 3; i++)
            {
                bool inside = i < n;
                copy[i].Should().Be(inside ? a[i] : y[i]);
                add[i].Should().Be(inside ? a[i] + b[i] : y[i]);
                addScaled[i].Should().BeApproximately(inside ? y[i] + 1.5f * a[i] : y[i], 1e-5f);
                scale[i].Should().Be(inside ? -0.5f * a[i] : y[i]);
                addProduct[i].Should().BeApproximately(inside ? y[i] + a[i] * b[i] : y[i], 1e-5f);
                product[i].Should().Be(inside ? a[i] * b[i] : y[i]);
                shift[i].Should().Be(inside ? a[i] + 2f : y[i]);
            }
        }
    }
}
