using Emergence.Contracts.Artifacts;

namespace Emergence.Engine.Artifacts;

/// <summary>Turns a row-major grid of values into RGB pixels: colour map, then nearest-neighbour upscale.</summary>
internal static class HeatmapImage
{
    /// <summary>The largest image, in pixels, a heatmap may produce (about 200 MB of RGB).</summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>
    /// Returns (rows·scale)×(columns·scale) RGB pixels, top row first. Arguments are assumed valid
    /// (see <see cref="FolderArtifactSink"/>): values.Length = rows·columns and 1 ≤ scale.
    /// </summary>
    public static byte[] Render(ReadOnlySpan<float> values, int rows, int columns, HeatmapStyle style)
    {
        int scale = style.Scale;
        int width = columns * scale;
        int stride = width * 3;
        var pixels = new byte[(long)stride * rows * scale];
        byte[] rowColours = new byte[columns * 3];
        for (int r = 0; r < rows; r++)
        {
            Colormaps.Apply(values.Slice(r * columns, columns), style.Colormap, style.Min, style.Max, rowColours);
            Span<byte> first = pixels.AsSpan(r * scale * stride, stride);
            Upscale(rowColours, scale, first);
            for (int k = 1; k < scale; k++)
            {
                first.CopyTo(pixels.AsSpan((r * scale + k) * stride, stride));
            }
        }

        return pixels;
    }

    private static void Upscale(ReadOnlySpan<byte> colours, int scale, Span<byte> dst)
    {
        int o = 0;
        for (int c = 0; c < colours.Length; c += 3)
        {
            for (int k = 0; k < scale; k++, o += 3)
            {
                dst[o] = colours[c];
                dst[o + 1] = colours[c + 1];
                dst[o + 2] = colours[c + 2];
            }
        }
    }
}
