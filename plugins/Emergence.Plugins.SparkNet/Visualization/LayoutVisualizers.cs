using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Emergence.Contracts.Components;
using Emergence.Plugins.SparkNet.Model;

namespace Emergence.Plugins.SparkNet.Visualization;

/// <summary>Options of the <c>layout</c> SVG.</summary>
public sealed class LayoutSvgOptions
{
    /// <summary>Draw the m strongest positive edges as lines. Default 0 (points only, as the original).</summary>
    [Description("Number of strongest positive edges drawn as lines. Default 0 (points only, as the original). Range 0..1000000.")]
    [Range(0, 1_000_000)]
    public int MaxEdges { get; set; }

    /// <summary>Half-width of the square view, extent [−e, e]². Default 3 (original).</summary>
    [Description("Half-width of the view: extent [-e, e] in x and y. Default 3 (original). Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double Extent { get; set; } = 3;
}

/// <summary>The force layout as SVG in the original's dark theme (background #1e1e1e, cyan points of 6 pt², alpha 0.7).</summary>
internal sealed class LayoutSvgVisualizer(LayoutSvgOptions options, SparkNetModel model) : IVisualizer
{
    private const int Size = 640;

    public void Render(in RenderContext context)
    {
        var layout = model.Layout;
        layout.EnsureCurrent();
        if (layout.ComputedCall == 0) return;
        var svg = new StringBuilder();
        double e = options.Extent, scale = Size / (2 * e);
        string Px(float v) => ((v + e) * scale).ToString("0.##", CultureInfo.InvariantCulture);
        string Py(float v) => ((e - v) * scale).ToString("0.##", CultureInfo.InvariantCulture);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size}\" height=\"{Size + 30}\" viewBox=\"0 -30 {Size} {Size + 30}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"-30\" width=\"{Size}\" height=\"{Size + 30}\" fill=\"#1e1e1e\"/>\n");
        string status = context.Final ? "finished" : "running";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"-10\" fill=\"#dddddd\" font-family=\"sans-serif\" font-size=\"14\">Force layout: step {layout.ComputedStep}/{context.Step} · {status} · K={model.Sparks.Count}</text>\n");
        if (options.MaxEdges > 0)
        {
            svg.Append("<g stroke=\"#ff9f40\" stroke-opacity=\"0.35\" stroke-width=\"0.6\">\n");
            foreach (var (i, j) in TopEdges(options.MaxEdges))
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Px(layout.X[j])}\" y1=\"{Py(layout.Y[j])}\" x2=\"{Px(layout.X[i])}\" y2=\"{Py(layout.Y[i])}\"/>\n");
            svg.Append("</g>\n");
        }
        svg.Append("<g fill=\"cyan\" fill-opacity=\"0.7\">\n");
        for (int i = 0; i < model.N; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Px(layout.X[i])}\" cy=\"{Py(layout.Y[i])}\" r=\"1.63\"/>\n");
        svg.Append("</g>\n</svg>\n");
        context.Artifacts.Text("layout", "svg", svg.ToString());
    }

    /// <summary>The m largest positive off-diagonal entries as (target, source), largest first.</summary>
    private IEnumerable<(int I, int J)> TopEdges(int m)
    {
        int n = model.N;
        return Enumerable.Range(0, n * n)
            .Where(idx => idx / n != idx % n && model.W[idx] > 0)
            .OrderByDescending(idx => model.W[idx]).ThenBy(idx => idx)
            .Take(m)
            .Select(idx => (idx / n, idx % n));
    }
}

/// <summary>The motion series Σ‖P^c − P^(c−1)‖ (post-seed "learning temperature"), the last 500 values, as CSV.</summary>
internal sealed class MotionVisualizer(SparkNetModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var csv = new StringBuilder("step,motion\n");
        foreach (var (step, motion) in model.Layout.Motion)
            csv.Append(CultureInfo.InvariantCulture, $"{step},{motion:R}\n");
        context.Artifacts.Text("motion", "csv", csv.ToString());
    }
}
