using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emergence.Engine.Runs;

/// <summary>What <c>run.json</c> says about a run: identity, provenance and status.</summary>
internal sealed record RunInfo
{
    public required string RunId { get; init; }
    public required string Experiment { get; init; }
    public required string Plugin { get; init; }
    public required string PluginVersion { get; init; }
    public required string PluginAssemblySha256 { get; init; }
    public required string EngineVersion { get; init; }
    public required ulong Seed { get; init; }
    public required string SourceManifest { get; init; }
    public IReadOnlyList<string> Overrides { get; init; } = [];
    public string? ParentRunId { get; init; }
    public long? ParentStep { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; init; }
    /// <summary>running, completed, stopped, failed.</summary>
    public string Status { get; init; } = "running";
    public string? Reason { get; init; }
    public long Step { get; init; }
    public int Starts { get; init; } = 1;
}

/// <summary>
/// One run's folder: <c>runs/EXPERIMENT/RUN_ID/</c> with the resolved manifest, metrics, events,
/// log, checkpoints and artifacts, readable without the engine.
/// </summary>
internal sealed class RunFolder
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    public string RunId => System.IO.Path.GetFileName(Path);
    public string ManifestPath => System.IO.Path.Combine(Path, "manifest.yaml");
    public string InfoPath => System.IO.Path.Combine(Path, "run.json");
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.csv");
    public string EventsPath => System.IO.Path.Combine(Path, "events.jsonl");
    public string SwapsPath => System.IO.Path.Combine(Path, "swaps.jsonl");
    public string LogPath => System.IO.Path.Combine(Path, "log.jsonl");
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");
    public string ArtifactsPath => System.IO.Path.Combine(Path, "artifacts");

    /// <summary>True when <paramref name="path"/> looks like a run folder.</summary>
    public static bool IsRunFolder(string path) => File.Exists(System.IO.Path.Combine(path, "run.json"));

    /// <summary>Opens an existing run folder.</summary>
    public static RunFolder Open(string path)
    {
        if (!IsRunFolder(path))
            throw new DirectoryNotFoundException($"'{path}' is not a run folder (no run.json); pass runs/EXPERIMENT/RUN_ID");
        return new RunFolder(path);
    }

    /// <summary>Creates <c>ROOT/EXPERIMENT/RUN_ID</c> with its subfolders.</summary>
    public static RunFolder Create(string root, string experiment, string runId)
    {
        var folder = new RunFolder(System.IO.Path.Combine(root, experiment, runId));
        if (Directory.Exists(folder.Path))
            throw new IOException($"run folder '{folder.Path}' already exists; choose another --run-id or resume it");
        Directory.CreateDirectory(folder.CheckpointsPath);
        Directory.CreateDirectory(folder.ArtifactsPath);
        return folder;
    }

    /// <summary>A new run id: UTC time plus 4 random hex digits, sortable by creation.</summary>
    public static string NewRunId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    public RunInfo ReadInfo() =>
        JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(InfoPath), Json)
        ?? throw new InvalidDataException($"{InfoPath} is empty");

    /// <summary>Writes <c>run.json</c> atomically.</summary>
    public void WriteInfo(RunInfo info) => Artifacts.AtomicFile.WriteText(InfoPath, JsonSerializer.Serialize(info, Json) + "\n");
}
