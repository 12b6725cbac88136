namespace Emergence.Contracts.Artifacts;

/// <summary>
/// Where a visualizer writes. The host decides file names and folders
/// (<c>artifacts/VISUALIZER/NAME_STEP.EXT</c>) and encodes heatmaps as PNG.
/// </summary>
public interface IArtifactSink
{
    /// <summary>
    /// A row-major grid of values drawn as a PNG with a colour map; values outside
    /// [<see cref="HeatmapStyle.Min"/>, <see cref="HeatmapStyle.Max"/>] saturate and NaN is drawn grey.
    /// </summary>
    void Heatmap(string name, ReadOnlySpan<float> values, int rows, int columns, HeatmapStyle style);

    /// <summary>A text artifact such as SVG, HTML, CSV or JSON; <paramref name="extension"/> has no dot.</summary>
    void Text(string name, string extension, string content);

    /// <summary>A binary artifact, for example raw little-endian float32 values.</summary>
    void Binary(string name, string extension, ReadOnlySpan<byte> content);
}

/// <summary>How a heatmap is drawn.</summary>
/// <param name="Colormap">The colour map.</param>
/// <param name="Min">Value drawn with the map's first colour.</param>
/// <param name="Max">Value drawn with the map's last colour; must exceed <paramref name="Min"/>.</param>
/// <param name="Scale">Nearest-neighbour upscaling factor, 1 to 64.</param>
public readonly record struct HeatmapStyle(Colormap Colormap, float Min, float Max, int Scale = 1);

/// <summary>Colour maps the host can draw (matplotlib's definitions).</summary>
public enum Colormap
{
    /// <summary>Perceptually uniform, dark blue to yellow.</summary>
    Viridis,

    /// <summary>Perceptually uniform, dark blue through magenta to yellow.</summary>
    Plasma,

    /// <summary>Perceptually uniform, black through red to white-yellow.</summary>
    Inferno,

    /// <summary>Perceptually uniform, black through purple to pale yellow.</summary>
    Magma,

    /// <summary>Diverging blue-white-red, for signed values.</summary>
    Bwr,

    /// <summary>Black to white.</summary>
    Gray,
}
