using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Fused bias add + activation for a dense layer's output, forward and backward side by side.
/// Matrices are row-major (rows × cols) with cols = bias length; the bias broadcasts over rows.
/// </summary>
public static class BiasActivation
{
    /// <summary>
    /// <c>dst[i, j] = f(x[i, j] + bias[j])</c>. <paramref name="dst"/> may be <paramref name="x"/> itself.
    /// NaN propagates (ReLU of NaN is NaN).
    /// </summary>
    /// <param name="x">Pre-activation without bias, rows × cols.</param>
    /// <param name="bias">Bias, length cols (≥ 1).</param>
    /// <param name="activation">The activation f.</param>
    /// <param name="dst">Output y, same length as x.</param>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Activation activation, Span<float> dst)
    {
        int cols = bias.Length;
        int rows = KernelChecks.Rows(x.Length, cols, nameof(x));
        KernelChecks.Length(dst.Length, x.Length, nameof(dst));
        KernelChecks.NoOverlap(x, dst, nameof(dst), allowSame: true);
        for (int i = 0; i < rows; i++)
        {
            var d = dst.Slice(i * cols, cols);
            TensorPrimitives.Add(x.Slice(i * cols, cols), bias, d);
            Apply(activation, d);
        }
    }

    /// <summary>
    /// From the forward output y and upstream gradient dy: <c>dx = dy ⊙ f'(y)</c> (dx may be dy itself)
    /// and <c>dbias[j] = Σ_i dx[i, j]</c> (overwritten, summed in row order).
    /// </summary>
    /// <param name="y">Forward output, rows × cols.</param>
    /// <param name="dy">Gradient with respect to y, same length.</param>
    /// <param name="activation">The activation used in the forward pass.</param>
    /// <param name="dx">Gradient with respect to the pre-activation, same length.</param>
    /// <param name="dbias">Gradient with respect to the bias, length cols (≥ 1).</param>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Activation activation,
        Span<float> dx, Span<float> dbias)
    {
        int cols = dbias.Length;
        int rows = KernelChecks.Rows(y.Length, cols, nameof(y));
        KernelChecks.Length(dy.Length, y.Length, nameof(dy));
        KernelChecks.Length(dx.Length, y.Length, nameof(dx));
        KernelChecks.NoOverlap(dy, dx, nameof(dx), allowSame: true);
        KernelChecks.NoOverlap(y, dx, nameof(dx), allowSame: true);
        dbias.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = dx.Slice(i * cols, cols);
            Derivative(activation, y.Slice(i * cols, cols), dy.Slice(i * cols, cols), row);
            TensorPrimitives.Add(dbias, row, dbias);
        }
    }

    private static void Apply(Activation activation, Span<float> d)
    {
        switch (activation)
        {
            case Activation.Identity: break;
            case Activation.Relu: Relu(d); break;
            case Activation.Tanh: TensorPrimitives.Tanh(d, d); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(d, d); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>max(z, 0) keeping NaN (z &lt; 0 is false for NaN).</summary>
    private static void Relu(Span<float> d)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= d.Length; j += 16)
            {
                var v = Vector512.Create(d.Slice(j, 16));
                Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), Vector512<float>.Zero, v).CopyTo(d.Slice(j, 16));
            }
        }
        for (; j < d.Length; j++) d[j] = d[j] < 0f ? 0f : d[j];
    }

    private static void Derivative(Activation activation, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        switch (activation)
        {
            case Activation.Identity:
                dy.CopyTo(dx);
                break;
            case Activation.Relu:
                for (int j = 0; j < dx.Length; j++) dx[j] = y[j] > 0f ? dy[j] : 0f;
                break;
            case Activation.Tanh:
                for (int j = 0; j < dx.Length; j++) dx[j] = dy[j] * (1f - y[j] * y[j]);
                break;
            case Activation.Sigmoid:
                for (int j = 0; j < dx.Length; j++) dx[j] = dy[j] * (y[j] * (1f - y[j]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }
}
