using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Emergence.Contracts.Artifacts;
using Emergence.Contracts.Components;

namespace Emergence.Plugins.Sample;

/// <summary>Options of <see cref="PositionsVisualizer"/>.</summary>
public sealed class PositionsVisualizerOptions
{
    /// <summary>Positions drawn at the colour map's ends (±range). Default 10; &gt; 0.</summary>
    [Description("Positions at the colour map's ends (plus or minus this). Default 10.")]
    [Range(1e-9, 1e9)]
    public double Range { get; set; } = 10;
}

/// <summary>Writes the positions as CSV and as a one-row heatmap.</summary>
internal sealed class PositionsVisualizer(PositionsVisualizerOptions options, WalkModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var csv = new StringBuilder("walker,position\n");
        var values = new float[model.Positions.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)model.Positions[i];
            csv.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(model.Positions[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        context.Artifacts.Text("positions", "csv", csv.ToString());
        float r = (float)options.Range;
        context.Artifacts.Heatmap("positions", values, 1, values.Length, new HeatmapStyle(Colormap.Bwr, -r, r, 16));
    }
}
