using System.Security;
using System.Text;

namespace Emergence.Engine.Artifacts;

/// <summary>
/// Draws a run's metrics: one SVG line chart per metric (<c>OUTPUT/NAME.svg</c>) and
/// <c>OUTPUT/index.html</c>, a self-contained page embedding all of them. Output is deterministic.
/// </summary>
internal static class MetricsChart
{
    /// <summary>The page's file name inside the output folder.</summary>
    public const string IndexFileName = "index.html";

    /// <summary>
    /// Reads <paramref name="metricsCsvPath"/> (see <see cref="MetricsCsv"/>) and (re)writes the charts and page
    /// into <paramref name="outputDirectory"/>, usually <c>RUN/artifacts/metrics</c>. Files are replaced atomically.
    /// </summary>
    /// <returns>The files written: one SVG per metric in name order, then the page.</returns>
    /// <exception cref="FileNotFoundException">The metrics file does not exist.</exception>
    /// <exception cref="InvalidDataException">The metrics file is malformed; the message names the line.</exception>
    public static IReadOnlyList<string> RenderAll(string metricsCsvPath, string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricsCsvPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        IReadOnlyList<MetricSeries> metrics = MetricsCsv.Read(metricsCsvPath);
        var written = new List<string>();
        var charts = new List<(string Name, string FileName, string Svg)>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "index" };
        foreach (MetricSeries series in metrics)
        {
            string fileName = UniqueFileName(series.Name, used) + ".svg";
            string svg = SvgLineChart.Render(series);
            string path = Path.Combine(outputDirectory, fileName);
            AtomicFile.WriteText(path, svg);
            written.Add(path);
            charts.Add((series.Name, fileName, svg));
        }

        string page = Path.Combine(outputDirectory, IndexFileName);
        AtomicFile.WriteText(page, IndexPage(Path.GetFileName(metricsCsvPath), charts));
        written.Add(page);
        return written;
    }

    /// <summary>A file-system-safe stem for a metric name: letters, digits, '.', '_' and '-' kept, others become '_'.</summary>
    internal static string UniqueFileName(string metric, HashSet<string> used)
    {
        var stem = new StringBuilder(metric.Length);
        foreach (char c in metric) stem.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        if (stem.Length == 0 || stem[0] == '.') stem.Insert(0, '_');
        string candidate = stem.ToString();
        for (int k = 2; !used.Add(candidate); k++) candidate = $"{stem}_{k}";
        return candidate;
    }

    private static string IndexPage(string source, List<(string Name, string FileName, string Svg)> charts)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<title>Metrics</title>\n<style>\n");
        html.Append("body{font-family:sans-serif;margin:24px;color:#222;background:#fafafa}\n");
        html.Append("nav a{margin-right:12px}\nsection{margin:24px 0}\nsvg{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}\n");
        html.Append("</style>\n</head>\n<body>\n<h1>Metrics</h1>\n");
        html.Append($"<p>{charts.Count} metric(s) from <code>{Escape(source)}</code>. Every value is kept in the file; long lines are drawn as min/max per pixel column.</p>\n");
        if (charts.Count == 0) html.Append("<p>No metrics recorded yet.</p>\n");

        html.Append("<nav>\n");
        foreach (var (name, fileName, _) in charts)
        {
            html.Append($"<a href=\"#{Escape(Anchor(fileName))}\">{Escape(name)}</a>\n");
        }

        html.Append("</nav>\n");
        foreach (var (name, fileName, svg) in charts)
        {
            html.Append($"<section id=\"{Escape(Anchor(fileName))}\">\n<h2>{Escape(name)}</h2>\n").Append(svg).Append("</section>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string Anchor(string fileName) => "m-" + Path.GetFileNameWithoutExtension(fileName);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
