using System.Globalization;
using System.Text;
using Emergence.Contracts.Artifacts;
using Emergence.Contracts.Components;

namespace Emergence.Plugins.Genreg;

/// <summary>Options of the visualizers (none beyond the schedule).</summary>
public sealed class VisualizerOptions;

/// <summary>A small SVG line chart (several series, optional log y axis).</summary>
internal static class Chart
{
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    /// <summary>Series of (x, y) points; non-finite (and, on a log axis, non-positive) values are skipped.</summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dots)> series, bool logY = false)
    {
        const int W = 760, H = 340, L = 64, R = 130, T = 28, B = 44;
        bool Ok((double X, double Y) p) => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logY || p.Y > 0);
        var all = series.SelectMany(s => s.Points).Where(Ok).ToList();
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"16\" font-size=\"13\">{Escape(title)}</text>");
        if (all.Count == 0) return svg.Append("<text x=\"64\" y=\"60\">no data yet</text></svg>").ToString();
        double Ty(double y) => logY ? Math.Log10(y) : y;
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => Ty(p.Y)), y1 = all.Max(p => Ty(p.Y));
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
        double X(double x) => L + (W - L - R) * (x - x0) / (x1 - x0);
        double Y(double y) => H - B - (H - T - B) * (Ty(y) - y0) / (y1 - y0);
        string Label(double ty) => (logY ? Math.Pow(10, ty) : ty).ToString("G3", CultureInfo.InvariantCulture);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"#333\"/><line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"#333\"/>");
        for (int i = 0; i <= 4; i++)
        {
            double ty = y0 + (y1 - y0) * i / 4, py = H - B - (H - T - B) * i / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{F(py)}\" x2=\"{W - R}\" y2=\"{F(py)}\" stroke=\"#eee\"/><text x=\"4\" y=\"{F(py + 4)}\">{Label(ty)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"{H - B + 16}\">{x0.ToString("G4", CultureInfo.InvariantCulture)}</text><text x=\"{W - R - 40}\" y=\"{H - B + 16}\">{x1.ToString("G4", CultureInfo.InvariantCulture)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(W - R) / 2}\" y=\"{H - 8}\">{Escape(xLabel)}</text><text x=\"4\" y=\"{T - 8}\">{Escape(yLabel)}{(logY ? " (log)" : "")}</text>");
        for (int s = 0; s < series.Count; s++)
        {
            var (name, points, dots) = series[s];
            string colour = Palette[s % Palette.Length];
            var ok = points.Where(Ok).ToList();
            if (dots)
                foreach (var p in ok) svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"2.5\" fill=\"{colour}\"/>");
            else if (ok.Count > 0)
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(' ', ok.Select(p => F(X(p.X)) + "," + F(Y(p.Y))))}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{W - R + 10}\" y=\"{T + 16 * s}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{W - R + 24}\" y=\"{T + 16 * s + 9}\">{Escape(name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}

/// <summary>The champion's per-unit saturation s_j over generations (rows) as a PNG heatmap, with the values as CSV.</summary>
internal sealed class SaturationHeatmap(GenregModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var rows = model.Heatmap;
        if (rows.Count == 0) return;
        int h = model.Options.Hidden;
        var values = new float[rows.Count * h];
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(0, h).Select(j => $"n{j}_sat").Prepend("row"))).Append('\n');
        for (int r = 0; r < rows.Count; r++)
        {
            for (int j = 0; j < h; j++) values[r * h + j] = (float)rows[r][j];
            csv.Append(r).Append(',').Append(string.Join(',', rows[r].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        }
        context.Artifacts.Heatmap("saturation", values, rows.Count, h, new HeatmapStyle(Colormap.Viridis, 0, 1, Math.Clamp(256 / h, 1, 32)));
        context.Artifacts.Text("saturation", "csv", csv.ToString());
    }
}

/// <summary>MSE (best, median, of the fittest) and k trajectories as SVG, and the whole trajectory as CSV.</summary>
internal sealed class Trajectories(GenregModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var t = model.Trajectory;
        if (t.Rows.Count == 0) return;
        context.Artifacts.Text("trajectory", "csv", t.ToCsv());
        string axis = t.Columns[0];
        List<(double, double)> Series(string c) => t.Index(c) < 0 ? [] : t.Rows.Select(r => (r[0], r[t.Index(c)])).ToList();
        var mse = new[] { "mse_best", "mse_median", "mse_of_fittest", "mse_current" }.Where(c => t.Index(c) >= 0)
            .Select(c => (c, (IReadOnlyList<(double, double)>)Series(c), false)).ToList();
        context.Artifacts.Text("mse", "svg", Chart.Lines($"MSE over {axis}s", axis, "MSE", mse, logY: true));
        var k = new[] { "k_mlp", "k_proteins", "k_total" }.Where(c => t.Index(c) >= 0)
            .Select(c => (c, (IReadOnlyList<(double, double)>)Series(c), false)).ToList();
        context.Artifacts.Text("k", "svg", Chart.Lines($"saturated units over {axis}s (H = {model.Options.Hidden})", axis, "k", k));
    }
}

/// <summary>The champion's prediction against the target over x (SVG, CSV).</summary>
internal sealed class PredictionChart(GenregModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        if (model.Champion is null || model.Trainer is null) return;
        var e = model.Trainer.Inspect(model.Champion);
        var x = model.Task.X;
        var csv = new StringBuilder("x,target,prediction\n");
        for (int i = 0; i < x.Length; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{x[i]:R},{model.Task.Y[i]:R},{e.Predictions![i]:R}\n");
        context.Artifacts.Text("prediction", "csv", csv.ToString());
        context.Artifacts.Text("prediction", "svg", Chart.Lines($"prediction vs target (MSE {e.Mse:G4}, k {e.KMlp}/{model.Options.Hidden})", "x", "y",
        [
            ("target", x.Select((v, i) => (v, model.Task.Y[i])).ToList(), false),
            ("prediction", x.Select((v, i) => (v, e.Predictions![i])).ToList(), true),
        ]));
    }
}

/// <summary>
/// The inputs the champion reads: for a sparse genome each hidden unit's K indices (true or noise, with the column's
/// correlation with the target, so the leaky columns stand out); for a dense one the total |W1| per input. SVG and CSV.
/// </summary>
internal sealed class ChosenInputs(GenregModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var g = model.Champion;
        var f = model.Features;
        if (g is null || f is null) return;
        int t = model.Options.Features.TrueSize;
        var csv = new StringBuilder(g.Sparse ? "unit,slot,input,block,weight,target_correlation\n" : "input,block,sum_abs_weight,target_correlation\n");
        var weight = new double[g.D];
        if (g.Sparse)
            for (int j = 0; j < g.H; j++)
                for (int k = 0; k < g.K; k++)
                {
                    int i = g.Idx[j * g.K + k];
                    weight[i] += Math.Abs(g.W1[j * g.K + k]);
                    csv.Append(CultureInfo.InvariantCulture, $"{j},{k},{i},{(i < t ? "true" : "noise")},{g.W1[j * g.K + k]:R},{Correlation(f, i):F4}\n");
                }
        else
            for (int i = 0; i < g.D; i++)
            {
                for (int j = 0; j < g.H; j++) weight[i] += Math.Abs(g.W1[i * g.H + j]);
                csv.Append(CultureInfo.InvariantCulture, $"{i},{(i < t ? "true" : "noise")},{weight[i]:R},{Correlation(f, i):F4}\n");
            }
        context.Artifacts.Text("inputs", "csv", csv.ToString());
        const int W = 760, H = 260, L = 50, B = 40, T = 30;
        double max = Math.Max(1e-12, weight.Max());
        double bw = (W - L - 20) / (double)g.D;
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{L}\" y=\"16\" font-size=\"13\">{(g.Sparse ? $"inputs read by the sparse champion (K = {g.K})" : "Σ|W1| per input")}: true block blue, noise grey, |r| &gt; 0.5 with the target red</text>");
        for (int i = 0; i < g.D; i++)
        {
            if (weight[i] == 0) continue;
            double r = Math.Abs(Correlation(f, i));
            string colour = r > 0.5 ? "#d62728" : i < t ? "#1f77b4" : "#999";
            double hgt = (H - T - B) * weight[i] / max;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{L + i * bw:0.##}\" y=\"{H - B - hgt:0.##}\" width=\"{Math.Max(1, bw - 0.5):0.##}\" height=\"{hgt:0.##}\" fill=\"{colour}\"><title>input {i} ({(i < t ? "true" : "noise")}), weight {weight[i]:G4}, r = {Correlation(f, i):F3}</title></rect>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - 20}\" y2=\"{H - B}\" stroke=\"#333\"/><text x=\"{L}\" y=\"{H - B + 16}\">0</text><text x=\"{W - 50}\" y=\"{H - B + 16}\">{g.D - 1}</text><text x=\"{W / 2}\" y=\"{H - 8}\">input column</text></svg>");
        context.Artifacts.Text("inputs", "svg", svg.ToString());
    }

    private double Correlation(FeatureSet f, int column) => Expansion.Correlation(f, column, model.Task.Y);
}
