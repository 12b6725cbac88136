using System.Globalization;
using Emergence.Contracts.Artifacts;

namespace Emergence.Engine.Artifacts;

/// <summary>
/// The host's <see cref="IArtifactSink"/>: writes <c>ARTIFACTS/VISUALIZER/NAME_STEP.EXT</c> (step as
/// eight or more digits) atomically and appends each file to <c>ARTIFACTS/index.csv</c>. Heatmaps
/// become PNG files. Construction only checks and stores its arguments, so a new instance per render
/// is cheap; alternatively keep one per visualizer and call <see cref="SetStep"/> before each render.
/// </summary>
internal sealed class FolderArtifactSink : IArtifactSink
{
    private const int MaxNameLength = 100;
    private const int MaxScale = 64;

    private readonly string _artifactsDirectory;
    private readonly string _visualizer;

    /// <summary>Creates a sink for one visualizer of a run.</summary>
    /// <param name="artifactsDirectory">The run's <c>artifacts/</c> folder; created on the first write.</param>
    /// <param name="visualizer">The visualizer's name: letters, digits, '.', '_' or '-', starting with a letter or digit.</param>
    /// <param name="step">Steps completed so far, at least 0; used in file names.</param>
    public FolderArtifactSink(string artifactsDirectory, string visualizer, long step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactsDirectory);
        CheckName(visualizer, "visualizer", nameof(visualizer));
        _artifactsDirectory = artifactsDirectory;
        _visualizer = visualizer;
        SetStep(step);
    }

    /// <summary>The step used in the names of files written from now on.</summary>
    public long Step { get; private set; }

    /// <summary>Sets the step for the next render.</summary>
    public void SetStep(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        Step = step;
    }

    /// <inheritdoc />
    public void Heatmap(string name, ReadOnlySpan<float> values, int rows, int columns, HeatmapStyle style)
    {
        CheckName(name, "artifact", nameof(name));
        CheckHeatmap(name, values, rows, columns, style);
        byte[] pixels = HeatmapImage.Render(values, rows, columns, style);
        byte[] png = PngEncoder.Encode(pixels, columns * style.Scale, rows * style.Scale, PngPixelFormat.Rgb8);
        Write(name, "png", png);
    }

    /// <inheritdoc />
    public void Text(string name, string extension, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckName(name, "artifact", nameof(name));
        CheckExtension(name, extension);
        Write(name, extension, System.Text.Encoding.UTF8.GetBytes(content));
    }

    /// <inheritdoc />
    public void Binary(string name, string extension, ReadOnlySpan<byte> content)
    {
        CheckName(name, "artifact", nameof(name));
        CheckExtension(name, extension);
        Write(name, extension, content);
    }

    private void Write(string name, string extension, ReadOnlySpan<byte> content)
    {
        string fileName = string.Create(CultureInfo.InvariantCulture, $"{name}_{Step:D8}.{extension}");
        string relative = _visualizer + "/" + fileName;
        AtomicFile.Write(Path.Combine(_artifactsDirectory, _visualizer, fileName), content);
        ArtifactIndex.Append(_artifactsDirectory, Step, _visualizer, name, relative);
    }

    private void CheckHeatmap(string name, ReadOnlySpan<float> values, int rows, int columns, HeatmapStyle style)
    {
        string where = $"Visualizer '{_visualizer}', heatmap '{name}'";
        if (rows < 1 || columns < 1)
        {
            throw new ArgumentException($"{where}: rows ({rows}) and columns ({columns}) must both be at least 1.", nameof(rows));
        }

        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException(
                $"{where}: rows·columns = {rows}·{columns} = {(long)rows * columns} but {values.Length} values were given.", nameof(values));
        }

        if (!float.IsFinite(style.Min) || !float.IsFinite(style.Max) || !(style.Max > style.Min))
        {
            throw new ArgumentException(
                $"{where}: style needs finite Min < Max, got Min = {style.Min.ToString(CultureInfo.InvariantCulture)}, " +
                $"Max = {style.Max.ToString(CultureInfo.InvariantCulture)}.", nameof(style));
        }

        if (style.Scale < 1 || style.Scale > MaxScale)
        {
            throw new ArgumentException($"{where}: Scale must be 1 to {MaxScale}, got {style.Scale}.", nameof(style));
        }

        if (!Enum.IsDefined(style.Colormap))
        {
            throw new ArgumentException($"{where}: unknown colour map {(int)style.Colormap}.", nameof(style));
        }

        long pixels = (long)rows * columns * style.Scale * style.Scale;
        if (pixels > HeatmapImage.MaxPixels)
        {
            throw new ArgumentException(
                $"{where}: {rows}x{columns} at scale {style.Scale} is {pixels} pixels; the limit is {HeatmapImage.MaxPixels}. Lower Scale.",
                nameof(style));
        }
    }

    private void CheckExtension(string name, string extension)
    {
        if (string.IsNullOrEmpty(extension) || extension.Length > 16 || !extension.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException(
                $"Visualizer '{_visualizer}', artifact '{name}': extension '{extension}' must be 1 to 16 ASCII letters or digits, without a dot.",
                nameof(extension));
        }
    }

    private void CheckName(string? value, string what, string parameter)
    {
        bool ok = !string.IsNullOrEmpty(value) && value.Length <= MaxNameLength && char.IsAsciiLetterOrDigit(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!ok)
        {
            string owner = _visualizer is null ? string.Empty : $"Visualizer '{_visualizer}': ";
            throw new ArgumentException(
                $"{owner}{what} name '{value}' is not usable in a file name: use 1 to {MaxNameLength} ASCII letters, digits, '.', '_' or '-', starting with a letter or digit.",
                parameter);
        }
    }
}
