using System.Numerics;

namespace Emergence.Tensors.Autograd;

/// <summary>
/// One recorded op: its backward function, output, inputs and the few values backward needs.
/// A struct in a reused array, so recording allocates nothing.
/// </summary>
internal unsafe struct TapeEntry<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Adds this op's input gradients given <c>Out.Grad</c>.</summary>
    public delegate*<ref TapeEntry<T>, Tape<T>, void> Backward;

    /// <summary>The op's output.</summary>
    public Tensor<T> Out;

    /// <summary>Inputs or saved tensors, meaning defined by the op.</summary>
    public Tensor<T>? A, B, C, D;

    /// <summary>Integer parameters (axes, sizes), meaning defined by the op.</summary>
    public int I0, I1, I2, I3;

    /// <summary>Scalar parameters, meaning defined by the op.</summary>
    public double S0, S1;

    /// <summary>Other saved data (index arrays, masks), meaning defined by the op.</summary>
    public object? Extra;
}
