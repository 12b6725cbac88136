using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emergence.Engine.Runs;

/// <summary>
/// One applied live change, as <c>swaps.jsonl</c> records it: the boundary it took effect at (after
/// <see cref="Step"/> steps), where it came from, the resolved manifest in effect afterwards, and what changed.
/// </summary>
internal sealed record SwapRecord
{
    /// <summary>0, 1, 2, … in the order applied.</summary>
    public required int Seq { get; init; }

    /// <summary>Applied after this many steps (before step <c>Step + 1</c>).</summary>
    public required long Step { get; init; }

    /// <summary>manifest edit, swap command, fork, replay of …</summary>
    public required string Source { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The complete resolved manifest after the change; replaying it is deterministic.</summary>
    public required string Manifest { get; init; }

    public IReadOnlyList<KeyChange> Changes { get; init; } = [];

    /// <summary>For a plugin command instead of a manifest change: its name (replayed by running it again).</summary>
    public string? Command { get; init; }

    /// <summary>The command's <c>key=value</c> arguments.</summary>
    public IReadOnlyList<string>? Args { get; init; }
}

/// <summary>
/// <c>swaps.jsonl</c> in a run folder: every live change, appended and fsynced before it is applied.
/// Unlike metrics and events it is never cut off on resume: a change recorded after the last checkpoint
/// is a decision the user made, and resuming re-applies it at its step, so a run that crashed after a
/// swap continues exactly like one that did not. A checkpoint records how many swaps it already includes.
/// </summary>
internal sealed class SwapLog(string path)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = path;

    /// <summary>Every record, in order; a torn last line (a crash mid-append) is ignored.</summary>
    public List<SwapRecord> ReadAll()
    {
        var records = new List<SwapRecord>();
        if (!File.Exists(Path)) return records;
        foreach (var line in File.ReadLines(Path))
        {
            if (line.Length == 0) continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<SwapRecord>(line, Json) ?? throw new JsonException("null record"));
            }
            catch (JsonException)
            {
                break;
            }
        }
        return records;
    }

    /// <summary>Appends <paramref name="record"/> and forces it to disk.</summary>
    public void Append(SwapRecord record)
    {
        using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (file.Length > 0)
        {
            // A torn last line (a crash mid-append) must not swallow this record.
            file.Seek(-1, SeekOrigin.End);
            if (file.ReadByte() != '\n') file.WriteByte((byte)'\n');
        }
        file.Seek(0, SeekOrigin.End);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        file.Write(bytes);
        file.WriteByte((byte)'\n');
        file.Flush(flushToDisk: true);
    }

    /// <summary>Writes exactly <paramref name="records"/> (a fork's copy of its parent's history).</summary>
    public void WriteAll(IEnumerable<SwapRecord> records)
    {
        var text = string.Concat(records.Select(r => JsonSerializer.Serialize(r, Json) + "\n"));
        Artifacts.AtomicFile.WriteText(Path, text);
    }
}
