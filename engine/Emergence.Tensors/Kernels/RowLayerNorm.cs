using System.Numerics.Tensors;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Layer normalisation over the last dimension of a row-major matrix (rows × cols), forward and
/// backward. Uses the biased variance (divide by cols), as PyTorch's LayerNorm does.
/// </summary>
public static class RowLayerNorm
{
    /// <summary>
    /// <c>y = (x − mean)·rstd·gamma + beta</c> per row, with <c>rstd = 1/√(var + eps)</c>; saves mean and rstd
    /// per row for the backward pass. dst may be x itself. NaN in a row makes that row NaN.
    /// </summary>
    /// <param name="x">Input, rows × cols.</param>
    /// <param name="gamma">Scale, length cols (≥ 1).</param>
    /// <param name="beta">Shift, length cols.</param>
    /// <param name="eps">Added to the variance (&gt; 0 recommended, e.g. 1e-5).</param>
    /// <param name="dst">Output, same length as x.</param>
    /// <param name="mean">Per-row mean, length rows.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, length rows.</param>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps,
        Span<float> dst, Span<float> mean, Span<float> rstd)
    {
        int cols = gamma.Length;
        int rows = KernelChecks.Rows(x.Length, cols, nameof(x));
        KernelChecks.Length(beta.Length, cols, nameof(beta));
        KernelChecks.Length(dst.Length, x.Length, nameof(dst));
        KernelChecks.Length(mean.Length, rows, nameof(mean));
        KernelChecks.Length(rstd.Length, rows, nameof(rstd));
        KernelChecks.NoOverlap(x, dst, nameof(dst), allowSame: true);
        for (int i = 0; i < rows; i++)
        {
            var row = x.Slice(i * cols, cols);
            var d = dst.Slice(i * cols, cols);
            float mu = TensorPrimitives.Sum(row) / cols;
            TensorPrimitives.Subtract(row, mu, d);
            float variance = TensorPrimitives.SumOfSquares(d) / cols;
            float r = 1f / MathF.Sqrt(variance + eps);
            TensorPrimitives.Multiply(d, r, d);
            TensorPrimitives.FusedMultiplyAdd(d, gamma, beta, d);
            mean[i] = mu;
            rstd[i] = r;
        }
    }

    /// <summary>
    /// Backward pass. With x̂ = (x − mean)·rstd and g = dy·gamma:
    /// <c>dx = rstd·(g − mean_j(g) − x̂·mean_j(g·x̂))</c>; <c>dgamma = Σ_rows dy·x̂</c>; <c>dbeta = Σ_rows dy</c>.
    /// dgamma and dbeta are overwritten (summed in row order). dx must not overlap x or dy.
    /// </summary>
    /// <param name="x">Forward input, rows × cols.</param>
    /// <param name="dy">Gradient with respect to the output.</param>
    /// <param name="gamma">Scale used in the forward pass, length cols (≥ 1).</param>
    /// <param name="mean">Per-row mean saved by <see cref="Forward"/>.</param>
    /// <param name="rstd">Per-row rstd saved by <see cref="Forward"/>.</param>
    /// <param name="dx">Gradient with respect to x.</param>
    /// <param name="dgamma">Gradient with respect to gamma, length cols.</param>
    /// <param name="dbeta">Gradient with respect to beta, length cols.</param>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta)
    {
        int cols = gamma.Length;
        int rows = KernelChecks.Rows(x.Length, cols, nameof(x));
        KernelChecks.Length(dy.Length, x.Length, nameof(dy));
        KernelChecks.Length(dx.Length, x.Length, nameof(dx));
        KernelChecks.Length(mean.Length, rows, nameof(mean));
        KernelChecks.Length(rstd.Length, rows, nameof(rstd));
        KernelChecks.Length(dgamma.Length, cols, nameof(dgamma));
        KernelChecks.Length(dbeta.Length, cols, nameof(dbeta));
        KernelChecks.NoOverlap(x, dx, nameof(dx), allowSame: false);
        KernelChecks.NoOverlap(dy, dx, nameof(dx), allowSame: false);
        dgamma.Clear();
        dbeta.Clear();
        float invCols = 1f / cols;
        for (int i = 0; i < rows; i++)
        {
            var xr = x.Slice(i * cols, cols);
            var dyr = dy.Slice(i * cols, cols);
            var d = dx.Slice(i * cols, cols);
            float mu = mean[i], r = rstd[i];
            float sumG = 0f, sumGx = 0f;
            for (int j = 0; j < cols; j++)
            {
                float xhat = (xr[j] - mu) * r;
                float g = dyr[j] * gamma[j];
                sumG += g;
                sumGx += g * xhat;
                dgamma[j] += dyr[j] * xhat;
            }
            TensorPrimitives.Add(dbeta, dyr, dbeta);
            float meanG = sumG * invCols, meanGx = sumGx * invCols;
            for (int j = 0; j < cols; j++)
            {
                float xhat = (xr[j] - mu) * r;
                d[j] = r * (dyr[j] * gamma[j] - meanG - xhat * meanGx);
            }
        }
    }
}
