using System.Numerics;
using System.Runtime.InteropServices;
using Emergence.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

/// <summary>Elementwise binary operators.</summary>
internal enum BinaryKind
{
    Add,
    Sub,
    Mul,
    Div,
}

/// <summary>
/// NumPy-style broadcasting of two shapes (right-aligned, size-1 axes stretch), padded to rank 4:
/// the output dimensions and, for each input, element strides that are 0 along stretched axes.
/// </summary>
internal readonly struct BroadcastPlan
{
    public readonly int D0, D1, D2, D3;
    public readonly int X0, X1, X2, X3;
    public readonly int Y0, Y1, Y2, Y3;
    public readonly Shape Out;

    public BroadcastPlan(Shape x, Shape y)
    {
        int rank = Math.Max(x.Rank, y.Rank);
        Span<int> d = [1, 1, 1, 1], sx = [0, 0, 0, 0], sy = [0, 0, 0, 0], outDims = stackalloc int[rank];
        int strideX = 1, strideY = 1;
        for (int k = 0; k < rank; k++)
        {
            int ax = x.Rank - 1 - k, ay = y.Rank - 1 - k, slot = 3 - k;
            int nx = ax >= 0 ? x[ax] : 1, ny = ay >= 0 ? y[ay] : 1;
            if (nx != ny && nx != 1 && ny != 1)
                throw new ArgumentException($"shapes {x} and {y} do not broadcast");
            int n = nx == 1 ? ny : nx;
            d[slot] = n;
            outDims[rank - 1 - k] = n;
            sx[slot] = nx == 1 ? 0 : strideX;
            sy[slot] = ny == 1 ? 0 : strideY;
            strideX *= nx;
            strideY *= ny;
        }
        (D0, D1, D2, D3) = (d[0], d[1], d[2], d[3]);
        (X0, X1, X2, X3) = (sx[0], sx[1], sx[2], sx[3]);
        (Y0, Y1, Y2, Y3) = (sy[0], sy[1], sy[2], sy[3]);
        Out = new Shape(outDims);
    }
}

/// <summary>Strided elementwise kernels over a <see cref="BroadcastPlan"/>.</summary>
internal static class BroadcastKernels
{
    /// <summary>Rows shorter than this use inlined loops (a TensorPrimitives call per short row costs more than its work).</summary>
    private const int ShortRowMax = 128;

    /// <summary><c>dst = x op y</c> with broadcasting; dst is contiguous in the plan's output shape.</summary>
    public static void Binary<T>(BinaryKind op, in BroadcastPlan p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == dst.Length && y.Length == dst.Length)
        {
            Inner(op, x, 1, y, 1, dst);
            return;
        }
        int o = 0;
        for (int i0 = 0; i0 < p.D0; i0++)
            for (int i1 = 0; i1 < p.D1; i1++)
                for (int i2 = 0; i2 < p.D2; i2++, o += p.D3)
                {
                    int ox = i0 * p.X0 + i1 * p.X1 + i2 * p.X2, oy = i0 * p.Y0 + i1 * p.Y1 + i2 * p.Y2;
                    if (op == BinaryKind.Add && p.X3 != 0 && p.Y3 != 0 && p.D3 < ShortRowMax) // e.g. + position embeddings
                    {
                        ShortRows.Add(ref MemoryMarshal.GetReference(x[ox..]), ref MemoryMarshal.GetReference(y[oy..]),
                            ref MemoryMarshal.GetReference(dst[o..]), p.D3);
                        continue;
                    }
                    var xs = p.X3 == 0 ? x.Slice(ox, 1) : x.Slice(ox, p.D3);
                    var ys = p.Y3 == 0 ? y.Slice(oy, 1) : y.Slice(oy, p.D3);
                    Inner(op, xs, p.X3, ys, p.Y3, dst.Slice(o, p.D3));
                }
    }

    /// <summary>
    /// <c>target += reduce(src)</c>: sums a full output-shaped <paramref name="src"/> over the axes
    /// that input stretched. <paramref name="forX"/> picks the input's strides. Fixed order.
    /// </summary>
    public static void ReduceInto<T>(in BroadcastPlan p, bool forX, ReadOnlySpan<T> src, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (target.Length == src.Length)
        {
            TP.Add(target, src, target);
            return;
        }
        int s0 = forX ? p.X0 : p.Y0, s1 = forX ? p.X1 : p.Y1, s2 = forX ? p.X2 : p.Y2, s3 = forX ? p.X3 : p.Y3;
        int o = 0;
        for (int i0 = 0; i0 < p.D0; i0++)
            for (int i1 = 0; i1 < p.D1; i1++)
                for (int i2 = 0; i2 < p.D2; i2++, o += p.D3)
                {
                    int ot = i0 * s0 + i1 * s1 + i2 * s2;
                    var row = src.Slice(o, p.D3);
                    if (s3 == 0) target[ot] += TP.Sum(row);
                    else if (p.D3 < ShortRowMax) ShortRows.AddScaled(ref MemoryMarshal.GetReference(row), T.One, ref target[ot], p.D3);
                    else TP.Add(target.Slice(ot, p.D3), row, target.Slice(ot, p.D3));
                }
    }

    private static void Inner<T>(BinaryKind op, ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sx != 0 && sy != 0)
        {
            switch (op)
            {
                case BinaryKind.Add: TP.Add(x, y, d); break;
                case BinaryKind.Sub: TP.Subtract(x, y, d); break;
                case BinaryKind.Mul: TP.Multiply(x, y, d); break;
                default: TP.Divide(x, y, d); break;
            }
        }
        else if (sx != 0)
        {
            T v = y[0];
            switch (op)
            {
                case BinaryKind.Add: TP.Add(x, v, d); break;
                case BinaryKind.Sub: TP.Subtract(x, v, d); break;
                case BinaryKind.Mul: TP.Multiply(x, v, d); break;
                default: TP.Divide(x, v, d); break;
            }
        }
        else if (sy != 0)
        {
            T u = x[0];
            switch (op)
            {
                case BinaryKind.Add: TP.Add(y, u, d); break;
                case BinaryKind.Sub: TP.Subtract(u, y, d); break;
                case BinaryKind.Mul: TP.Multiply(y, u, d); break;
                default: TP.Divide(u, y, d); break;
            }
        }
        else
        {
            T u = x[0], v = y[0];
            d.Fill(op switch { BinaryKind.Add => u + v, BinaryKind.Sub => u - v, BinaryKind.Mul => u * v, _ => u / v });
        }
    }
}
