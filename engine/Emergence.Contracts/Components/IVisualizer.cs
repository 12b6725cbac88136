namespace Emergence.Contracts.Components;

/// <summary>
/// Turns the current state into artifacts (heatmaps, SVG, HTML, CSV) on the schedule the
/// manifest sets. A visualizer must not change the model or draw from the trainer's RNG streams;
/// a failing visualizer is logged and the run continues.
/// </summary>
public interface IVisualizer
{
    /// <summary>Renders the current state into <see cref="RenderContext.Artifacts"/>.</summary>
    void Render(in RenderContext context);
}
