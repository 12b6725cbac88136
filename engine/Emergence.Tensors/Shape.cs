using System.Runtime.CompilerServices;

namespace Emergence.Tensors;

/// <summary>
/// The dimensions of a tensor, rank 0 to 4, stored inline (no allocation). Row-major: the last
/// axis is contiguous.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    /// <summary>The highest supported rank.</summary>
    public const int MaxRank = 4;

    private readonly int _d0, _d1, _d2, _d3;

    /// <summary>Creates a shape from its dimensions (0 to 4 of them, each ≥ 0).</summary>
    /// <exception cref="ArgumentException">More than 4 dimensions or a negative one.</exception>
    public Shape(params ReadOnlySpan<int> dims)
    {
        if (dims.Length > MaxRank) throw new ArgumentException($"rank {dims.Length} > {MaxRank}", nameof(dims));
        Span<int> d = [1, 1, 1, 1];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0) throw new ArgumentException($"negative dimension {dims[i]} at axis {i}", nameof(dims));
            d[i] = dims[i];
        }
        (_d0, _d1, _d2, _d3, Rank) = (d[0], d[1], d[2], d[3], dims.Length);
    }

    /// <summary>Number of axes (0 for a scalar).</summary>
    public int Rank { get; }

    /// <summary>Size of axis <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int a = Normalize(axis);
            return a switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 };
        }
    }

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Length => Rank == 0 ? 1 : _d0 * (Rank > 1 ? _d1 : 1) * (Rank > 2 ? _d2 : 1) * (Rank > 3 ? _d3 : 1);

    /// <summary>Maps a possibly negative axis to 0..Rank-1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis does not exist.</exception>
    public int Normalize(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} out of range for shape {this}");
        return a;
    }

    /// <summary>Product of the dimensions before <paramref name="axis"/>.</summary>
    public int Outer(int axis)
    {
        int p = 1;
        for (int i = 0; i < axis; i++) p *= this[i];
        return p;
    }

    /// <summary>Product of the dimensions after <paramref name="axis"/> (the stride of that axis).</summary>
    public int Inner(int axis)
    {
        int p = 1;
        for (int i = axis + 1; i < Rank; i++) p *= this[i];
        return p;
    }

    /// <summary>The same shape with axis <paramref name="axis"/> set to <paramref name="size"/>.</summary>
    public Shape With(int axis, int size)
    {
        Span<int> d = stackalloc int[MaxRank];
        CopyTo(d);
        d[Normalize(axis)] = size;
        return new Shape(d[..Rank]);
    }

    /// <summary>The shape without axis <paramref name="axis"/>.</summary>
    public Shape Without(int axis)
    {
        int a = Normalize(axis);
        Span<int> d = stackalloc int[MaxRank];
        int r = 0;
        for (int i = 0; i < Rank; i++) if (i != a) d[r++] = this[i];
        return new Shape(d[..r]);
    }

    /// <summary>Copies the dimensions into <paramref name="destination"/> (length ≥ Rank).</summary>
    public void CopyTo(Span<int> destination)
    {
        for (int i = 0; i < Rank; i++) destination[i] = this[i];
    }

    /// <summary>The dimensions as a new array (for serialisation).</summary>
    public int[] ToArray()
    {
        var d = new int[Rank];
        CopyTo(d);
        return d;
    }

    /// <inheritdoc />
    public bool Equals(Shape other) =>
        Rank == other.Rank && (Rank < 1 || _d0 == other._d0) && (Rank < 2 || _d1 == other._d1)
        && (Rank < 3 || _d2 == other._d2) && (Rank < 4 || _d3 == other._d3);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rank, Rank > 0 ? _d0 : 0, Rank > 1 ? _d1 : 0, Rank > 2 ? _d2 : 0, Rank > 3 ? _d3 : 0);

    /// <summary>Equality of dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Inequality of dimensions.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats as <c>(2, 3)</c>.</summary>
    public override string ToString()
    {
        var parts = new string[Rank];
        for (int i = 0; i < Rank; i++) parts[i] = this[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "(" + string.Join(", ", parts) + ")";
    }
}
