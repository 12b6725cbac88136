namespace Emergence.Engine.Artifacts;

/// <summary>
/// Writes files so that readers only ever see the old content or the complete new content:
/// write a hidden temp file in the same folder, flush it to disk, then rename over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Atomically replaces (or creates) <paramref name="path"/> with <paramref name="content"/>, creating its folder.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // Not silent: the original exception propagates; this only removes our own temp file.
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Atomically writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    private static void TryDelete(string temp)
    {
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }
    }
}
