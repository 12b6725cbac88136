using Emergence.Contracts.Artifacts;
using Emergence.Contracts.Telemetry;

namespace Emergence.Testing.Fakes;

/// <summary>Keeps every metric value, in order.</summary>
public sealed class MetricRecorder : IMetricSink
{
    public List<(string Name, double Value)> Values { get; } = [];

    public void Record(string name, double value) => Values.Add((name, value));

    /// <summary>The newest value of a metric.</summary>
    public double Last(string name) => Values.Last(v => v.Name == name).Value;

    public IEnumerable<double> All(string name) => Values.Where(v => v.Name == name).Select(v => v.Value);
}

/// <summary>Keeps every event.</summary>
public sealed class EventRecorder : IEventSink
{
    public List<(string Type, IReadOnlyDictionary<string, object?> Fields)> Events { get; } = [];

    public void Emit(string type, IReadOnlyDictionary<string, object?> fields) => Events.Add((type, fields));
}

/// <summary>Keeps every artifact.</summary>
public sealed class ArtifactRecorder : IArtifactSink
{
    public List<(string Name, float[] Values, int Rows, int Columns, HeatmapStyle Style)> Heatmaps { get; } = [];
    public Dictionary<string, string> Texts { get; } = [];
    public Dictionary<string, byte[]> Binaries { get; } = [];

    public void Heatmap(string name, ReadOnlySpan<float> values, int rows, int columns, HeatmapStyle style) =>
        Heatmaps.Add((name, values.ToArray(), rows, columns, style));

    public void Text(string name, string extension, string content) => Texts[$"{name}.{extension}"] = content;

    public void Binary(string name, string extension, ReadOnlySpan<byte> content) => Binaries[$"{name}.{extension}"] = content.ToArray();
}
