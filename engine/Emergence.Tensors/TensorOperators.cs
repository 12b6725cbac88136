using Emergence.Tensors.Operations;

namespace Emergence.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>Broadcasting sum (<see cref="Ops.Add{T}"/>).</summary>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => Ops.Add(a, b);

    /// <summary>Broadcasting difference.</summary>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => Ops.Sub(a, b);

    /// <summary>Broadcasting elementwise product.</summary>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => Ops.Mul(a, b);

    /// <summary>Broadcasting elementwise quotient.</summary>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => Ops.Div(a, b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor<T> operator +(Tensor<T> a, T s) => Ops.Affine(a, T.One, s);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor<T> operator -(Tensor<T> a, T s) => Ops.Affine(a, T.One, -s);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor<T> operator *(Tensor<T> a, T s) => Ops.Affine(a, s, T.Zero);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor<T> operator *(T s, Tensor<T> a) => Ops.Affine(a, s, T.Zero);

    /// <summary>Divides by a scalar.</summary>
    public static Tensor<T> operator /(Tensor<T> a, T s) => Ops.Affine(a, T.One / s, T.Zero);

    /// <summary>Negation.</summary>
    public static Tensor<T> operator -(Tensor<T> a) => Ops.Affine(a, -T.One, T.Zero);

    /// <summary>Zero-copy reshape (<see cref="Ops.Reshape{T}"/>).</summary>
    public Tensor<T> Reshape(params ReadOnlySpan<int> dims) => Ops.Reshape(this, dims);

    /// <summary>Matrix product over the last two axes (<see cref="Ops.MatMul{T}"/>).</summary>
    public Tensor<T> MatMul(Tensor<T> other) => Ops.MatMul(this, other);
}
