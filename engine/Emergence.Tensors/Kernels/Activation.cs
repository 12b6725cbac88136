namespace Emergence.Tensors.Kernels;

/// <summary>Pointwise activations the fused kernels support; each has a derivative expressible from its output.</summary>
public enum Activation
{
    /// <summary>f(z) = z.</summary>
    Identity = 0,

    /// <summary>f(z) = max(z, 0); f'(z) taken as 0 at z = 0. NaN stays NaN.</summary>
    Relu = 1,

    /// <summary>f(z) = tanh(z); f' = 1 − y².</summary>
    Tanh = 2,

    /// <summary>f(z) = 1 / (1 + e^−z); f' = y·(1 − y).</summary>
    Sigmoid = 3,
}
