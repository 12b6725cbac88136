using System.Globalization;
using System.Text;

namespace Emergence.Engine.Artifacts;

/// <summary>
/// The run's <c>artifacts/index.csv</c>: one line per written artifact,
/// <c>step,visualizer,name,path</c> (path relative to the artifacts folder, with '/' separators).
/// Append-only; an artifact rewritten for the same step (for example after a resume) appears again,
/// and the last line for a path wins.
/// </summary>
internal static class ArtifactIndex
{
    /// <summary>The index file's name inside the artifacts folder.</summary>
    public const string FileName = "index.csv";

    /// <summary>The header line.</summary>
    public const string Header = "step,visualizer,name,path";

    // One lock per process: sinks of several visualizers may append from different threads.
    private static readonly Lock Gate = new();

    /// <summary>Appends one line, writing the header first when the file is new or empty.</summary>
    public static void Append(string artifactsDirectory, long step, string visualizer, string name, string relativePath)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{step},{visualizer},{name},{relativePath}\n");
        string path = Path.Combine(artifactsDirectory, FileName);
        lock (Gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            if (stream.Position == 0)
            {
                stream.Write(Encoding.UTF8.GetBytes(Header + "\n"));
            }

            stream.Write(Encoding.UTF8.GetBytes(line));
        }
    }
}
