using System.Numerics;
using Emergence.Tensors.Layers;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Optim;

/// <summary>Gradient clipping as <c>torch.nn.utils.clip_grad_norm_</c> / <c>clip_grad_value_</c>.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients by <c>maxNorm / (norm + 1e-6)</c> when the global L2 norm exceeds
    /// <paramref name="maxNorm"/>. Returns the norm before clipping (NaN if any gradient is NaN).
    /// </summary>
    public static double ByGlobalNorm<T>(ParameterCollection<T> parameters, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sq = 0;
        foreach (var t in parameters.Items)
            if (t.Grad is { } g) sq += double.CreateChecked(TP.Dot<T>(g.Span, g.Span));
        double norm = Math.Sqrt(sq), coef = maxNorm / (norm + 1e-6);
        if (coef < 1)
        {
            T c = T.CreateChecked(coef);
            foreach (var t in parameters.Items)
                if (t.Grad is { } g) TP.Multiply(g.Span, c, g.Span);
        }
        return norm;
    }

    /// <summary>Clamps every gradient element into [-<paramref name="clipValue"/>, <paramref name="clipValue"/>].</summary>
    public static void ByValue<T>(ParameterCollection<T> parameters, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T hi = T.CreateChecked(clipValue), lo = -hi;
        foreach (var t in parameters.Items)
        {
            if (t.Grad is not { } g) continue;
            TP.Min(g.Span, hi, g.Span);
            TP.Max(g.Span, lo, g.Span);
        }
    }
}
