using System.Numerics;
using Emergence.Contracts.Random;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Layers;

/// <summary>Hidden-layer activations for <see cref="Mlp{T}"/>.</summary>
public enum Activation
{
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Rectified linear unit.</summary>
    Relu,

    /// <summary>GELU (tanh approximation).</summary>
    Gelu,

    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
}

/// <summary>Stack of <see cref="Linear{T}"/> layers with an activation between them (none after the last).</summary>
public sealed class Mlp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T>[] _layers;
    private readonly Activation _activation;

    /// <summary>Layers <c>{name}.0</c>, <c>{name}.1</c>, ... for sizes <paramref name="sizes"/> (e.g. 256, 8, 1).</summary>
    public Mlp(ParameterCollection<T> parameters, string name, int[] sizes, Activation activation, RngStream rng)
    {
        if (sizes.Length < 2) throw new ArgumentException("an MLP needs at least input and output sizes", nameof(sizes));
        _layers = new Linear<T>[sizes.Length - 1];
        for (int i = 0; i < _layers.Length; i++) _layers[i] = new Linear<T>(parameters, $"{name}.{i}", sizes[i], sizes[i + 1], rng);
        _activation = activation;
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Linear<T>> Layers => _layers;

    /// <summary>(..., in) -> (..., out).</summary>
    public Tensor<T> Forward(Tensor<T> x)
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            x = _layers[i].Forward(x);
            if (i < _layers.Length - 1) x = Apply(_activation, x);
        }
        return x;
    }

    /// <summary>Applies an activation.</summary>
    public static Tensor<T> Apply(Activation activation, Tensor<T> x) => activation switch
    {
        Activation.Tanh => Ops.Tanh(x),
        Activation.Relu => Ops.Relu(x),
        Activation.Gelu => Ops.Gelu(x),
        _ => Ops.Sigmoid(x),
    };
}
