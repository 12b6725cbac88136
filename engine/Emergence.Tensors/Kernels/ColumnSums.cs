using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// <c>dst[j] += Σ_i x[i, j]</c>, adding row after row exactly as repeated row additions would (bit-identical), but
    /// with 64 columns held in registers across all rows: one pass, no per-row call. x is rows × cols, cols = dst length.
    /// </summary>
    internal static void AddTo(ReadOnlySpan<float> x, int rows, Span<float> dst)
    {
        int cols = dst.Length, j = 0;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 64 <= cols; j += 64)
            {
                var a0 = Vector512.LoadUnsafe(ref d0, (nuint)j);
                var a1 = Vector512.LoadUnsafe(ref d0, (nuint)j + 16);
                var a2 = Vector512.LoadUnsafe(ref d0, (nuint)j + 32);
                var a3 = Vector512.LoadUnsafe(ref d0, (nuint)j + 48);
                for (int i = 0; i < rows; i++)
                {
                    ref float r = ref Unsafe.Add(ref x0, i * cols + j);
                    a0 += Vector512.LoadUnsafe(ref r);
                    a1 += Vector512.LoadUnsafe(ref r, 16);
                    a2 += Vector512.LoadUnsafe(ref r, 32);
                    a3 += Vector512.LoadUnsafe(ref r, 48);
                }
                a0.StoreUnsafe(ref d0, (nuint)j);
                a1.StoreUnsafe(ref d0, (nuint)j + 16);
                a2.StoreUnsafe(ref d0, (nuint)j + 32);
                a3.StoreUnsafe(ref d0, (nuint)j + 48);
            }
            for (; j + 16 <= cols; j += 16)
            {
                var a = Vector512.LoadUnsafe(ref d0, (nuint)j);
                for (int i = 0; i < rows; i++) a += Vector512.LoadUnsafe(ref x0, (nuint)(i * cols + j));
                a.StoreUnsafe(ref d0, (nuint)j);
            }
        }
        for (; j < cols; j++)
        {
            float a = Unsafe.Add(ref d0, j);
            for (int i = 0; i < rows; i++) a += Unsafe.Add(ref x0, i * cols + j);
            Unsafe.Add(ref d0, j) = a;
        }
    }
}
