using Emergence.Contracts.Artifacts;

namespace Emergence.Engine.Artifacts;

/// <summary>One 8-bit RGB colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
internal readonly record struct Rgb(byte R, byte G, byte B);

/// <summary>
/// Maps values to colours with matplotlib's 256-entry tables (<see cref="ColormapTables"/>).
/// A value v in [min, max] takes entry round((v − min)/(max − min)·255); values outside the range
/// saturate at the first or last entry (±∞ included) and NaN is drawn mid grey (128, 128, 128).
/// </summary>
internal static class Colormaps
{
    /// <summary>The colour drawn for NaN.</summary>
    public static readonly Rgb NaNColour = new(128, 128, 128);

    /// <summary>The table of <paramref name="map"/>: 256 consecutive R, G, B byte triples.</summary>
    public static ReadOnlySpan<byte> Table(Colormap map) => map switch
    {
        Colormap.Viridis => ColormapTables.Viridis,
        Colormap.Plasma => ColormapTables.Plasma,
        Colormap.Inferno => ColormapTables.Inferno,
        Colormap.Magma => ColormapTables.Magma,
        Colormap.Bwr => ColormapTables.Bwr,
        Colormap.Gray => ColormapTables.Gray,
        _ => throw new ArgumentOutOfRangeException(nameof(map), map, "Unknown colour map."),
    };

    /// <summary>The table index of <paramref name="value"/> (0–255), or −1 for NaN. Requires max &gt; min.</summary>
    public static int Index(float value, float min, float max)
    {
        if (float.IsNaN(value)) return -1;

        // Double arithmetic: max − min can overflow float for extreme ranges.
        double t = ((double)value - min) / ((double)max - min) * 255.0;
        if (t <= 0) return 0;
        if (t >= 255) return 255;
        return (int)Math.Round(t, MidpointRounding.AwayFromZero);
    }

    /// <summary>The colour of <paramref name="value"/> on <paramref name="map"/> over [min, max].</summary>
    public static Rgb Lookup(Colormap map, float value, float min, float max)
    {
        int i = Index(value, min, max);
        if (i < 0) return NaNColour;
        ReadOnlySpan<byte> table = Table(map);
        return new Rgb(table[3 * i], table[3 * i + 1], table[3 * i + 2]);
    }

    /// <summary>Writes three bytes (R, G, B) per value of <paramref name="values"/> into <paramref name="rgb"/>.</summary>
    public static void Apply(ReadOnlySpan<float> values, Colormap map, float min, float max, Span<byte> rgb)
    {
        if (rgb.Length < 3 * values.Length)
        {
            throw new ArgumentException($"Destination holds {rgb.Length} bytes; {3 * values.Length} are needed.", nameof(rgb));
        }

        ReadOnlySpan<byte> table = Table(map);
        for (int k = 0; k < values.Length; k++)
        {
            int i = Index(values[k], min, max);
            Span<byte> px = rgb.Slice(3 * k, 3);
            if (i < 0)
            {
                px[0] = NaNColour.R;
                px[1] = NaNColour.G;
                px[2] = NaNColour.B;
            }
            else
            {
                table.Slice(3 * i, 3).CopyTo(px);
            }
        }
    }
}
