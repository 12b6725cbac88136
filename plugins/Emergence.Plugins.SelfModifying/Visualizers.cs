using System.Globalization;
using System.Text;
using Emergence.Contracts.Components;

namespace Emergence.Plugins.SelfModifying;

/// <summary>Options of the visualizers (none yet beyond the schedule).</summary>
public sealed class VisualizerOptions
{
}

internal static class Svg
{
    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
}

/// <summary>The structure timeline: neurons per layer (stacked) over samples, from every structural change; SVG and CSV.</summary>
internal sealed class StructureTimeline(Network net) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var history = net.Trainer?.StructureHistory ?? [];
        if (history.Count == 0) return;
        long lastAge = Math.Max(net.Trainer!.Age, history[^1].Age);
        var csv = new StringBuilder("sample,layer,neurons\n");
        foreach (var (age, shape) in history)
            for (int l = 0; l < shape.Length; l++) csv.Append(CultureInfo.InvariantCulture, $"{age},{l},{shape[l]}\n");
        context.Artifacts.Text("structure", "csv", csv.ToString());
        const int W = 800, H = 320, L = 50, T = 20, R = 20, B = 40;
        int maxTotal = Math.Max(1, history.Max(h => h.Shape.Sum()));
        double X(long age) => L + (W - L - R) * (lastAge == 0 ? 0 : (double)age / lastAge);
        double Y(double v) => H - B - (H - T - B) * v / maxTotal;
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"14\">neurons per layer (stacked) over samples; {history.Count - 1} structural changes</text>");
        for (int i = 0; i < history.Count; i++)
        {
            var (age, shape) = history[i];
            long end = i + 1 < history.Count ? history[i + 1].Age : lastAge;
            double bottom = 0;
            for (int l = 0; l < shape.Length; l++)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{Svg.F(X(age))}\" y=\"{Svg.F(Y(bottom + shape[l]))}\" width=\"{Svg.F(Math.Max(0.5, X(end) - X(age)))}\" height=\"{Svg.F(Y(bottom) - Y(bottom + shape[l]))}\" fill=\"{Svg.Palette[l % Svg.Palette.Length]}\"><title>layer {l}: {shape[l]} neurons from sample {age}</title></rect>");
                bottom += shape[l];
            }
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"#333\"/><text x=\"{L}\" y=\"{H - 20}\">0</text><text x=\"{W - R - 60}\" y=\"{H - 20}\">{lastAge:N0}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"5\" y=\"{Svg.F(Y(maxTotal) + 4)}\">{maxTotal}</text></svg>");
        context.Artifacts.Text("structure", "svg", svg.ToString());
    }
}

/// <summary>The network graph now: layers as columns, neurons coloured by mean reward, routing as edges; SVG and a self-contained HTML page.</summary>
internal sealed class NetworkGraph(Network net) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        const int W = 900, H = 520;
        int layers = net.Layers.Count;
        var pos = new List<(double X, double Y)[]>();
        for (int l = 0; l < layers; l++)
        {
            int n = net.Layers[l].Neurons.Count;
            pos.Add(Enumerable.Range(0, n).Select(i => (80 + (W - 160) * (layers == 1 ? 0.5 : (double)l / (layers - 1)), 40 + (H - 80) * (n == 1 ? 0.5 : (double)i / (n - 1)))).ToArray());
        }
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"16\">step {context.Step:N0}, shape {net.Shape}; colour = mean reward of the last 100 samples (red -1 … green +1); gold ring = broadcast</text>");
        for (int l = 0; l + 1 < layers; l++)
            for (int i = 0; i < net.Layers[l].Neurons.Count; i++)
                foreach (var j in net.Layers[l].Neurons[i].Targets)
                    if (j < pos[l + 1].Length)
                        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.F(pos[l][i].X)}\" y1=\"{Svg.F(pos[l][i].Y)}\" x2=\"{Svg.F(pos[l + 1][j].X)}\" y2=\"{Svg.F(pos[l + 1][j].Y)}\" stroke=\"#999\" stroke-opacity=\"0.35\"/>");
        for (int l = 0; l < layers; l++)
            for (int i = 0; i < net.Layers[l].Neurons.Count; i++)
            {
                var n = net.Layers[l].Neurons[i];
                double perf = Math.Clamp(net.Performance(n), -1, 1);
                int red = (int)(255 * (1 - perf) / 2), green = (int)(200 * (1 + perf) / 2);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{Svg.F(pos[l][i].X)}\" cy=\"{Svg.F(pos[l][i].Y)}\" r=\"8\" fill=\"rgb({red},{green},80)\" stroke=\"{(n.IsBroadcast ? "#d4a017" : "#333")}\" stroke-width=\"{(n.IsBroadcast ? 3 : 1)}\"><title>layer {l} neuron {i}{(n.IsOutput ? " (output)" : "")}: mean reward {Svg.F(net.Performance(n))}, {n.ActivationCount:N0} activations, {n.Targets.Length} targets</title></circle>");
            }
        svg.Append("</svg>");
        var text = svg.ToString();
        context.Artifacts.Text("graph", "svg", text);
        context.Artifacts.Text("graph", "html",
            $"<!doctype html><html><head><meta charset=\"utf-8\"><title>network at step {context.Step}</title></head><body>{text}" +
            $"<p>Hover a neuron for its statistics. Layers: {Svg.Escape(net.Shape)}.</p></body></html>");
    }
}

/// <summary>
/// Modification outcomes per strategy (applied, kept, rolled back, failed, successes) and the meta-learner's predicted
/// versus realised success (one row per finished record); CSV and SVG.
/// </summary>
internal sealed class Outcomes(Network net) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var records = net.Trainer?.Records ?? [];
        var csv = new StringBuilder("applied_at,strategy,explored,meta_score,outcome,success,reward_before,reward_after\n");
        foreach (var r in records.Where(r => r.Completed))
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Step},{Trainer.Snake(r.Type)},{r.Explored},{r.Score.ToString("R", CultureInfo.InvariantCulture)},{r.Outcome},{r.Success},{r.PreReward.ToString("R", CultureInfo.InvariantCulture)},{(r.Rewards.Count == 0 ? "" : r.Rewards.Average().ToString("R", CultureInfo.InvariantCulture))}\n");
        context.Artifacts.Text("outcomes", "csv", csv.ToString());
        var types = Enum.GetValues<ModificationType>().Where(t => t != ModificationType.None).ToList();
        const int W = 820, H = 300, L = 40, B = 50;
        int max = Math.Max(1, types.Max(t => records.Count(r => r.Type == t)));
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append("<text x=\"40\" y=\"14\">modifications per strategy: kept (green), rolled back (orange), failed (grey); dot = successes</text>");
        for (int k = 0; k < types.Count; k++)
        {
            var of = records.Where(r => r.Type == types[k]).ToList();
            double x = L + k * 125, bottom = H - B;
            foreach (var (count, colour) in new[] { (of.Count(r => r.Outcome == "kept"), "#2ca02c"), (of.Count(r => r.Outcome == "rolled_back"), "#ff7f0e"), (of.Count(r => r.Outcome == "failed"), "#999") })
            {
                double h = (H - B - 30) * count / (double)max;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Svg.F(x)}\" y=\"{Svg.F(bottom - h)}\" width=\"60\" height=\"{Svg.F(h)}\" fill=\"{colour}\"/>");
                bottom -= h;
            }
            int successes = of.Count(r => r.Success);
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Svg.F(x + 80)}\" cy=\"{Svg.F(H - B - (H - B - 30) * successes / (double)max)}\" r=\"4\" fill=\"#1f77b4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.F(x)}\" y=\"{H - B + 15}\">{Trainer.Snake(types[k])}</text><text x=\"{Svg.F(x)}\" y=\"{H - B + 28}\">{of.Count} ({successes} ok)</text>");
        }
        svg.Append("</svg>");
        context.Artifacts.Text("outcomes", "svg", svg.ToString());
        context.Artifacts.Text("calibration", "svg", Calibration(records.Where(r => r.Completed && !double.IsNaN(r.Score)).ToList()));
    }

    /// <summary>The meta-learner's predicted success (binned score) against the realised success rate of those records.</summary>
    private static string Calibration(List<ModificationRecord> records)
    {
        const int W = 420, H = 420, M = 50, Bins = 10;
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{M}\" y=\"20\">meta-learner: predicted vs realised success ({records.Count} records)</text>");
        double S(double v) => M + (W - 2 * M) * v;
        double T(double v) => H - M - (H - 2 * M) * v;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{M}\" y=\"{M}\" width=\"{W - 2 * M}\" height=\"{H - 2 * M}\" fill=\"none\" stroke=\"#333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.F(S(0))}\" y1=\"{Svg.F(T(0))}\" x2=\"{Svg.F(S(1))}\" y2=\"{Svg.F(T(1))}\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{W / 2 - 40}\" y=\"{H - 15}\">predicted (score)</text><text x=\"5\" y=\"{M - 8}\">realised rate</text>");
        for (int b = 0; b < Bins; b++)
        {
            var bin = records.Where(r => Math.Min(Bins - 1, (int)(r.Score * Bins)) == b).ToList();
            if (bin.Count == 0) continue;
            double rate = bin.Count(r => r.Success) / (double)bin.Count;
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle cx=\"{Svg.F(S((b + 0.5) / Bins))}\" cy=\"{Svg.F(T(rate))}\" r=\"{Svg.F(3 + Math.Sqrt(bin.Count))}\" fill=\"#1f77b4\" fill-opacity=\"0.6\"><title>scores {b / (double)Bins:0.0}-{(b + 1) / (double)Bins:0.0}: {bin.Count} records, {rate:P0} succeeded</title></circle>");
        }
        return svg.Append("</svg>").ToString();
    }
}
