using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using Emergence.Contracts.Artifacts;
using Emergence.Contracts.Components;
using Emergence.Plugins.SparkNet.Model;

namespace Emergence.Plugins.SparkNet.Visualization;

/// <summary>Options of the grid heatmaps (<c>activations</c>, <c>memory</c>).</summary>
public sealed class GridHeatmapOptions
{
    /// <summary>Nearest-neighbour upscaling. Default 16; 1 to 64.</summary>
    [Description("Nearest-neighbour upscaling factor of the PNG. Default 16. Range 1..64.")]
    [Range(1, 64)]
    public int Scale { get; set; } = 16;
}

/// <summary>Options of the <c>weights</c> heatmap.</summary>
public sealed class WeightsVisualizerOptions
{
    /// <summary>Colour range ±range (bwr, saturating). Default 0.3 (the original's fixed range); &gt; 0.</summary>
    [Description("The bwr colour range is [-range, range], saturating. Default 0.3 (original). Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double Range { get; set; } = 0.3;

    /// <summary>Use ±max|W| instead of ±range, so learned edges (≈0.05) are visible (bug 4). Default false.</summary>
    [Description("Autoscale the colour range to +-max|W| (learned edges of ~0.05 are blank at +-0.3). Default false.")]
    public bool Autoscale { get; set; }

    /// <summary>Nearest-neighbour upscaling. Default 1 (one pixel per entry).</summary>
    [Description("Nearest-neighbour upscaling factor. Default 1 (one pixel per entry). Range 1..64.")]
    [Range(1, 64)]
    public int Scale { get; set; } = 1;
}

/// <summary>Activations s on the grid (neuron i at row ⌊i/grid_w⌋, column i mod grid_w), viridis over [0, 1], plus raw float32.</summary>
internal sealed class ActivationsVisualizer(GridHeatmapOptions options, SparkNetModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        context.Artifacts.Heatmap("activations", model.S, model.GridH, model.GridW, new HeatmapStyle(Colormap.Viridis, 0f, 1f, options.Scale));
        context.Artifacts.Binary("activations", "f32", MemoryMarshal.AsBytes(model.S.AsSpan()));
    }
}

/// <summary>Memory field M clamped to [0, 1] on the grid, plasma (the display clips at 1 although M is unbounded, bug 11).</summary>
internal sealed class MemoryVisualizer(GridHeatmapOptions options, SparkNetModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        var clamped = new float[model.N];
        for (int i = 0; i < clamped.Length; i++) clamped[i] = Math.Clamp(model.M[i], 0f, 1f);
        context.Artifacts.Heatmap("memory", clamped, model.GridH, model.GridW, new HeatmapStyle(Colormap.Plasma, 0f, 1f, options.Scale));
    }
}

/// <summary>W, one pixel per entry, row 0 at the top (rows = targets, columns = sources), bwr over ±0.3 or ±max|W|.</summary>
internal sealed class WeightsVisualizer(WeightsVisualizerOptions options, SparkNetModel model) : IVisualizer
{
    public void Render(in RenderContext context)
    {
        float range = (float)options.Range;
        if (options.Autoscale)
        {
            float max = 0f;
            foreach (float v in model.W) max = Math.Max(max, Math.Abs(v));
            range = max > 0 ? max : 1f;
        }
        context.Artifacts.Heatmap("weights", model.W, model.N, model.N, new HeatmapStyle(Colormap.Bwr, -range, range, options.Scale));
    }
}
