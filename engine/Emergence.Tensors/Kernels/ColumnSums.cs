using System.Numerics.Tensors;

namespace Emergence.Tensors.Kernels;

/// <summary>Column reductions of row-major matrices (bias gradients), summed in row order for determinism.</summary>
public static class ColumnSums
{
    /// <summary><c>dst[j] = Σ_i x[i, j]</c> over the rows of x (rows × cols, cols = dst length ≥ 1); dst is overwritten.</summary>
    /// <param name="x">Matrix, rows × cols.</param>
    /// <param name="dst">Column sums, length cols; must not overlap x.</param>
    public static void Sum(ReadOnlySpan<float> x, Span<float> dst)
    {
        int cols = dst.Length;
        int rows = KernelChecks.Rows(x.Length, cols, nameof(x));
        KernelChecks.NoOverlap(x, dst, nameof(dst), allowSame: false);
        dst.Clear();
        for (int i = 0; i < rows; i++) TensorPrimitives.Add(dst, x.Slice(i * cols, cols), dst);
    }
}
