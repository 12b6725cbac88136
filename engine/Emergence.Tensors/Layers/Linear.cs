using System.Numerics;
using Emergence.Contracts.Random;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Layers;

/// <summary>
/// <c>y = x · Wᵀ + b</c> over the last axis, W stored (out, in) as in PyTorch. Initialised like
/// <c>torch.nn.Linear</c>: W and b from U(±1/√in).
/// </summary>
public sealed class Linear<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer and registers <c>{name}.weight</c> and <c>{name}.bias</c>.</summary>
    public Linear(ParameterCollection<T> parameters, string name, int inFeatures, int outFeatures, RngStream rng, bool bias = true)
    {
        Weight = parameters.Add(name + ".weight", Tensor<T>.Zeros(outFeatures, inFeatures));
        double bound = 1 / Math.Sqrt(inFeatures);
        Init.Uniform(Weight, rng, -bound, bound);
        if (!bias) return;
        Bias = parameters.Add(name + ".bias", Tensor<T>.Zeros(outFeatures));
        Init.Uniform(Bias, rng, -bound, bound);
    }

    /// <summary>Weight (out, in).</summary>
    public Tensor<T> Weight { get; }

    /// <summary>Bias (out) or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>(..., in) -> (..., out).</summary>
    public Tensor<T> Forward(Tensor<T> x) => Ops.Linear(x, Weight, Bias);
}

/// <summary>Lookup table (V, D), initialised N(0, 1) as <c>torch.nn.Embedding</c>.</summary>
public sealed class Embedding<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the table and registers <c>{name}.weight</c>.</summary>
    public Embedding(ParameterCollection<T> parameters, string name, int count, int dim, RngStream rng)
    {
        Weight = parameters.Add(name + ".weight", Tensor<T>.Zeros(count, dim));
        Init.Normal(Weight, rng);
    }

    /// <summary>The table (V, D).</summary>
    public Tensor<T> Weight { get; }

    /// <summary>ids with shape <paramref name="indexShape"/> -> indexShape + (D).</summary>
    public Tensor<T> Forward(int[] ids, Shape indexShape) => Ops.Embedding(Weight, ids, indexShape);
}

/// <summary>Layer normalisation over the last axis with learnable scale (ones) and shift (zeros).</summary>
public sealed class LayerNorm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _eps;

    /// <summary>Creates the layer and registers <c>{name}.weight</c> and <c>{name}.bias</c>.</summary>
    public LayerNorm(ParameterCollection<T> parameters, string name, int dim, double eps = 1e-5)
    {
        Weight = parameters.Add(name + ".weight", Tensor<T>.Full(T.One, dim));
        Bias = parameters.Add(name + ".bias", Tensor<T>.Zeros(dim));
        _eps = eps;
    }

    /// <summary>Scale (D).</summary>
    public Tensor<T> Weight { get; }

    /// <summary>Shift (D).</summary>
    public Tensor<T> Bias { get; }

    /// <summary>(..., D) -> (..., D).</summary>
    public Tensor<T> Forward(Tensor<T> x) => Ops.LayerNorm(x, Weight, Bias, _eps);
}
