namespace Emergence.Tensors.Kernels;

/// <summary>Argument checks shared by the row-wise kernels (all run once, before any work).</summary>
internal static class KernelChecks
{
    /// <summary>Number of rows of a row-major matrix of <paramref name="cols"/> columns held in <paramref name="length"/> floats.</summary>
    public static int Rows(int length, int cols, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        if (length % cols != 0)
        {
            throw new ArgumentException($"Span '{name}' has {length} elements, not a whole number of rows of {cols}.", name);
        }
        return length / cols;
    }

    /// <summary>Throws unless <paramref name="length"/> equals <paramref name="expected"/>.</summary>
    public static void Length(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"Span '{name}' has {length} elements; expected {expected}.", name);
        }
    }

    /// <summary>Throws when two spans partially overlap (identical spans are allowed when <paramref name="allowSame"/>).</summary>
    public static void NoOverlap(ReadOnlySpan<float> x, ReadOnlySpan<float> dst, string name, bool allowSame)
    {
        if (!x.Overlaps(dst, out int offset)) return;
        if (allowSame && offset == 0 && x.Length == dst.Length) return;
        throw new ArgumentException(allowSame
            ? $"Span '{name}' must either be the input itself or not overlap it."
            : $"Span '{name}' must not overlap the input.", name);
    }
}
