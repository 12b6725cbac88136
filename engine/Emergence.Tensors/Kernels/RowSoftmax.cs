using System.Numerics.Tensors;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Row-wise softmax and log-softmax over row-major matrices (rows × cols), forward and backward.
/// Both subtract the row maximum before exponentiating, so large logits do not overflow.
/// NaN behaviour: a row containing NaN, +∞, or only −∞ yields NaN in every element of that row.
/// </summary>
public static class RowSoftmax
{
    /// <summary><c>dst[i, j] = exp(x[i, j] − max_i) / Σ_j exp(x[i, j] − max_i)</c>. dst may be x itself.</summary>
    /// <param name="x">Logits, rows × cols.</param>
    /// <param name="cols">Row length (≥ 1).</param>
    /// <param name="dst">Probabilities, same length as x.</param>
    public static void Softmax(ReadOnlySpan<float> x, int cols, Span<float> dst)
    {
        int rows = KernelChecks.Rows(x.Length, cols, nameof(x));
        KernelChecks.Length(dst.Length, x.Length, nameof(dst));
        KernelChecks.NoOverlap(x, dst, nameof(dst), allowSame: true);
        for (int i = 0; i < rows; i++)
        {
            var row = x.Slice(i * cols, cols);
            var d = dst.Slice(i * cols, cols);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, d);
            TensorPrimitives.Exp(d, d);
            TensorPrimitives.Divide(d, TensorPrimitives.Sum(d), d);
        }
    }

    /// <summary>
    /// <c>dst[i, j] = (x[i, j] − max_i) − log Σ_j exp(x[i, j] − max_i)</c>.
    /// dst must not overlap x (the row is read twice).
    /// </summary>
    /// <param name="x">Logits, rows × cols.</param>
    /// <param name="cols">Row length (≥ 1).</param>
    /// <param name="dst">Log-probabilities, same length as x.</param>
    public static void LogSoftmax(ReadOnlySpan<float> x, int cols, Span<float> dst)
    {
        int rows = KernelChecks.Rows(x.Length, cols, nameof(x));
        KernelChecks.Length(dst.Length, x.Length, nameof(dst));
        KernelChecks.NoOverlap(x, dst, nameof(dst), allowSame: false);
        for (int i = 0; i < rows; i++)
        {
            var row = x.Slice(i * cols, cols);
            var d = dst.Slice(i * cols, cols);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, d);
            TensorPrimitives.Exp(d, d);
            float logSum = MathF.Log(TensorPrimitives.Sum(d));
            TensorPrimitives.Subtract(row, max, d);
            TensorPrimitives.Subtract(d, logSum, d);
        }
    }

    /// <summary>
    /// Softmax backward from its output y: <c>dx[i, j] = y[i, j]·(dy[i, j] − Σ_j dy[i, j]·y[i, j])</c>.
    /// dx may be dy itself.
    /// </summary>
    /// <param name="y">Softmax output, rows × cols.</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="cols">Row length (≥ 1).</param>
    /// <param name="dx">Gradient with respect to the logits.</param>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int cols, Span<float> dx)
    {
        int rows = KernelChecks.Rows(y.Length, cols, nameof(y));
        KernelChecks.Length(dy.Length, y.Length, nameof(dy));
        KernelChecks.Length(dx.Length, y.Length, nameof(dx));
        KernelChecks.NoOverlap(dy, dx, nameof(dx), allowSame: true);
        KernelChecks.NoOverlap(y, dx, nameof(dx), allowSame: false);
        for (int i = 0; i < rows; i++)
        {
            var yr = y.Slice(i * cols, cols);
            var d = dx.Slice(i * cols, cols);
            float dot = TensorPrimitives.Dot(dy.Slice(i * cols, cols), yr);
            TensorPrimitives.Subtract(dy.Slice(i * cols, cols), dot, d);
            TensorPrimitives.Multiply(d, yr, d);
        }
    }

    /// <summary>
    /// Log-softmax backward from its output y: <c>dx[i, j] = dy[i, j] − exp(y[i, j])·Σ_j dy[i, j]</c>.
    /// dx may be dy itself.
    /// </summary>
    /// <param name="y">Log-softmax output, rows × cols.</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="cols">Row length (≥ 1).</param>
    /// <param name="dx">Gradient with respect to the logits.</param>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int cols, Span<float> dx)
    {
        int rows = KernelChecks.Rows(y.Length, cols, nameof(y));
        KernelChecks.Length(dy.Length, y.Length, nameof(dy));
        KernelChecks.Length(dx.Length, y.Length, nameof(dx));
        KernelChecks.NoOverlap(dy, dx, nameof(dx), allowSame: true);
        KernelChecks.NoOverlap(y, dx, nameof(dx), allowSame: false);
        for (int i = 0; i < rows; i++)
        {
            var dyr = dy.Slice(i * cols, cols);
            var d = dx.Slice(i * cols, cols);
            float sum = TensorPrimitives.Sum(dyr);
            for (int j = 0; j < cols; j++) d[j] = dyr[j] - MathF.Exp(y[i * cols + j]) * sum;
        }
    }
}
