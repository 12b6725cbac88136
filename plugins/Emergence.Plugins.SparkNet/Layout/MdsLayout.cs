using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Kernels;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Strategies;

namespace Emergence.Plugins.SparkNet.Layout;

/// <summary>
/// Classical MDS (v23): distances D_ij = 1 − A_ij with A = (Wp + Wpᵀ)/2 (normalised positive weights),
/// D_ii = 0; B = −½ J D⁽²⁾ J; coordinates = the top two eigenvectors of B scaled by √λ, found by
/// shifted power iteration with deflation from a fixed start vector (deterministic, draws nothing).
/// </summary>
internal sealed class MdsLayout(MdsLayoutOptions options) : ILayoutRule
{
    private float[] _b = [], _v = [], _u = [], _first = [];

    public bool CarriesState => false;

    public void Begin(LayoutState layout, RngStream layoutRng)
    {
    }

    public void Compute(LayoutState layout, SparkNetModel model, RngStream layoutRng)
    {
        int n = model.N;
        layout.ShiftToPrevious();
        BuildB(model);
        float shift = RowAbsMax(n);
        float l1 = Eigen(n, shift, null, 0f, _first);
        float l2 = Eigen(n, shift, _first, l1, _v);
        float s1 = MathF.Sqrt(Math.Max(l1, 0f)), s2 = MathF.Sqrt(Math.Max(l2, 0f));
        for (int i = 0; i < n; i++)
        {
            layout.X[i] = s1 * _first[i];
            layout.Y[i] = s2 * _v[i];
        }
        layout.MarkComputed();
    }

    private void BuildB(SparkNetModel model)
    {
        int n = model.N;
        if (_b.Length != n * n) { _b = new float[n * n]; _v = new float[n]; _u = new float[n]; _first = new float[n]; }
        float scale = PositiveWeights.Scale(model.W);
        var w = model.W;
        var rowMean = new double[n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            float a = 0.5f * scale * (Math.Max(w[i * n + j], 0f) + Math.Max(w[j * n + i], 0f));
            float d = i == j ? 0f : 1f - a;
            _b[i * n + j] = d * d;
            rowMean[i] += d * d;
        }
        double grand = 0;
        for (int i = 0; i < n; i++) { rowMean[i] /= n; grand += rowMean[i]; }
        grand /= n;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            _b[i * n + j] = (float)(-0.5 * (_b[i * n + j] - rowMean[i] - rowMean[j] + grand));
    }

    private float RowAbsMax(int n)
    {
        float best = 0f;
        for (int i = 0; i < n; i++)
        {
            float sum = 0f;
            for (int j = 0; j < n; j++) sum += Math.Abs(_b[i * n + j]);
            best = Math.Max(best, sum);
        }
        return best;
    }

    /// <summary>Largest eigenpair of B (deflated by <paramref name="deflate"/>·λ₁), via power iteration on B + shift·I.</summary>
    private float Eigen(int n, float shift, float[]? deflate, float l1, float[] result)
    {
        for (int i = 0; i < n; i++) result[i] = 1f + (i % 7) * 0.1f + (deflate is null ? 0f : (i % 3) * 0.3f);
        Normalise(result);
        for (int it = 0; it < options.Iterations; it++)
        {
            Apply(n, result, deflate, l1, _u);
            for (int i = 0; i < n; i++) _u[i] += shift * result[i];
            if (!Normalise(_u)) break;
            _u.CopyTo(result, 0);
        }
        Apply(n, result, deflate, l1, _u);
        return SimdKernels.Dot(result, _u);
    }

    private void Apply(int n, float[] x, float[]? deflate, float l1, float[] dst)
    {
        SimdKernels.MatVec(_b, x, dst);
        if (deflate is null) return;
        float proj = l1 * SimdKernels.Dot(deflate, x);
        for (int i = 0; i < n; i++) dst[i] -= proj * deflate[i];
    }

    private static bool Normalise(float[] v)
    {
        double sum = 0;
        foreach (float x in v) sum += (double)x * x;
        if (!(sum > 0)) return false;
        float inv = (float)(1.0 / Math.Sqrt(sum));
        for (int i = 0; i < v.Length; i++) v[i] *= inv;
        return true;
    }
}
