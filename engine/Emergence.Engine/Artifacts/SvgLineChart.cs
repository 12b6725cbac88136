using System.Globalization;
using System.Security;
using System.Text;

namespace Emergence.Engine.Artifacts;

/// <summary>
/// Draws one metric as a self-contained SVG line chart: title, summary line, gridded axes with
/// 1-2-5 ticks, and the series as polylines broken at NaN/±∞. Same input, same bytes.
/// </summary>
internal static class SvgLineChart
{
    private const int Width = 720, Height = 360;
    private const int Left = 78, Right = 24, Top = 54, Bottom = 50;
    private const int PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    private const string LineColour = "#1f77b4";

    /// <summary>Renders <paramref name="series"/> as an SVG document (no XML declaration, so it can be inlined in HTML).</summary>
    public static string Render(MetricSeries series)
    {
        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        string title = Escape(series.Name);
        svg.Append($"<title>{title}</title>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{title}</text>\n");

        var (finiteMin, finiteMax, nonFinite) = Summarise(series.Values);
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Width / 2}\" y=\"40\" text-anchor=\"middle\" fill=\"#555555\">{Escape(Subtitle(series, nonFinite))}</text>\n");
        if (series.Steps.Length == 0 || nonFinite == series.Values.Length)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left + PlotWidth / 2}\" y=\"{Top + PlotHeight / 2}\" text-anchor=\"middle\" fill=\"#999999\">no finite values to draw</text>\n");
            return svg.Append("</svg>\n").ToString();
        }

        var xs = NiceScale.For(series.Steps[0], series.Steps[^1], targetTicks: 6, minimumStep: 1);
        var ys = NiceScale.For(finiteMin, finiteMax, targetTicks: 5);
        AppendAxes(svg, xs, ys);
        AppendLine(svg, series, xs, ys);
        return svg.Append("</svg>\n").ToString();
    }

    private static void AppendAxes(StringBuilder svg, NiceScale xs, NiceScale ys)
    {
        var grid = new StringBuilder();
        var labels = new StringBuilder();
        for (int i = 0; i < xs.TickCount; i++)
        {
            string x = Num(Left + (xs.Tick(i) - xs.Low) / (xs.High - xs.Low) * PlotWidth);
            grid.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{Top + PlotHeight}\"/>\n");
            labels.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x}\" y=\"{Top + PlotHeight + 18}\" text-anchor=\"middle\">{xs.Format(xs.Tick(i))}</text>\n");
        }

        for (int i = 0; i < ys.TickCount; i++)
        {
            string y = Num(Top + PlotHeight - (ys.Tick(i) - ys.Low) / (ys.High - ys.Low) * PlotHeight);
            grid.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + PlotWidth}\" y2=\"{y}\"/>\n");
            labels.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left - 8}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{ys.Format(ys.Tick(i))}</text>\n");
        }

        svg.Append("<g stroke=\"#e6e6e6\" stroke-width=\"1\">\n").Append(grid).Append("</g>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"none\" stroke=\"#333333\"/>\n");
        svg.Append("<g fill=\"#333333\">\n").Append(labels).Append("</g>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Left + PlotWidth / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\" fill=\"#333333\">step</text>\n");
    }

    private static void AppendLine(StringBuilder svg, MetricSeries series, NiceScale xs, NiceScale ys)
    {
        int n = series.Steps.Length;
        var px = new double[n];
        var py = new double[n];
        for (int i = 0; i < n; i++)
        {
            px[i] = Left + (series.Steps[i] - xs.Low) / (xs.High - xs.Low) * PlotWidth;
            double v = series.Values[i];
            py[i] = double.IsFinite(v) ? Top + PlotHeight - (v - ys.Low) / (ys.High - ys.Low) * PlotHeight : double.NaN;
        }

        svg.Append(CultureInfo.InvariantCulture,
            $"<g fill=\"none\" stroke=\"{LineColour}\" stroke-width=\"1.5\" stroke-linejoin=\"round\">\n");
        var dots = new StringBuilder();
        foreach (List<int> piece in PolylineBuilder.Build(px, py))
        {
            if (piece.Count == 1)
            {
                // A lone point between gaps would be invisible as a polyline.
                dots.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Num(px[piece[0]])}\" cy=\"{Num(py[piece[0]])}\" r=\"2\"/>\n");
                continue;
            }

            svg.Append("<polyline points=\"");
            for (int k = 0; k < piece.Count; k++)
            {
                if (k > 0) svg.Append(' ');
                svg.Append(Num(px[piece[k]])).Append(',').Append(Num(py[piece[k]]));
            }

            svg.Append("\"/>\n");
        }

        svg.Append("</g>\n");
        if (dots.Length > 0) svg.Append(CultureInfo.InvariantCulture, $"<g fill=\"{LineColour}\">\n").Append(dots).Append("</g>\n");
    }

    private static (double Min, double Max, int NonFinite) Summarise(double[] values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        int nonFinite = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) { nonFinite++; continue; }
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max, nonFinite);
    }

    private static string Subtitle(MetricSeries s, int nonFinite)
    {
        if (s.Steps.Length == 0) return "no values";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{s.Steps.Length} values, steps {s.Steps[0]}–{s.Steps[^1]}, last {Value(s.Values[^1])}");
        if (nonFinite > 0) text.Append(CultureInfo.InvariantCulture, $"; {nonFinite} NaN/±∞ not drawn");
        if (s.Steps.Length > PolylineBuilder.DownsampleThreshold) text.Append("; line drawn as min/max per pixel column");
        return text.ToString();
    }

    private static string Value(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
