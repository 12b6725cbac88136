using Emergence.Contracts.Random;
using Emergence.Tensors;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Tests.Support;

/// <summary>Compares tape gradients with central finite differences in float64.</summary>
internal static class GradCheck
{
    public static Tensor<double> Random(RngStream rng, params int[] dims)
    {
        var t = Tensor<double>.Zeros(dims);
        for (int i = 0; i < t.Length; i++) t[i] = rng.NextNormal();
        return t.WithGrad();
    }

    /// <summary>
    /// Checks d(Σ w ⊙ f(inputs))/d(input) for every input that requires grad; w is a fixed random weighting,
    /// so every output element matters with a different factor.
    /// </summary>
    public static void Check(Func<Tensor<double>[], Tensor<double>> f, params Tensor<double>[] inputs)
    {
        var rng = new RngStream(99);
        var tape = new Tape<double>();
        Tensor<double> weights;
        using (tape.Record())
        {
            var probe = f(inputs);
            weights = Tensor<double>.Zeros(probe.Shape.ToArray());
            for (int i = 0; i < weights.Length; i++) weights[i] = rng.NextNormal();
            foreach (var x in inputs) x.Grad = null;
            tape.Reset();
            var loss = Ops.Sum(Ops.Mul(f(inputs), weights));
            tape.Backward(loss);
        }
        foreach (var x in inputs)
        {
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad?.ToArray() ?? new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double numeric = Numeric(f, inputs, weights, x, i);
                analytic[i].Should().BeApproximately(numeric, 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"d/d{x.Name ?? "input"}[{i}] of shape {x.Shape}");
            }
        }
    }

    private static double Numeric(Func<Tensor<double>[], Tensor<double>> f, Tensor<double>[] inputs, Tensor<double> w, Tensor<double> x, int i)
    {
        const double eps = 1e-6;
        double keep = x[i];
        using var _ = GradMode.NoGrad();
        x[i] = keep + eps;
        double plus = Dot(f(inputs), w);
        x[i] = keep - eps;
        double minus = Dot(f(inputs), w);
        x[i] = keep;
        return (plus - minus) / (2 * eps);
    }

    private static double Dot(Tensor<double> y, Tensor<double> w)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += y[i] * w[i];
        return s;
    }
}
