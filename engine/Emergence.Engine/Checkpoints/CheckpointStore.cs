using System.Globalization;
using Emergence.Contracts.Random;

namespace Emergence.Engine.Checkpoints;

/// <summary>One checkpoint file in a store.</summary>
/// <param name="Step">The step in its name.</param>
/// <param name="Path">Full path.</param>
/// <param name="Size">Size in bytes.</param>
internal sealed record CheckpointInfo(long Step, string Path, long Size);

/// <summary>
/// The checkpoints of one run: <c>ckpt-{step:D12}.msgpack</c> files in one directory, written
/// atomically (temp file, fsync, rename, fsync of the directory), the newest
/// <paramref name="keepLast"/> kept. Loading falls back past corrupt files with a warning and moves
/// them aside as <c>*.corrupt</c> so they are neither retried nor counted by retention.
/// </summary>
internal sealed class CheckpointStore(string directory, int keepLast)
{
    private const string Prefix = "ckpt-";
    private const string Extension = ".msgpack";
    private const string TempSuffix = ".tmp";
    private const string CorruptSuffix = ".corrupt";
    private Task? _retention;

    /// <summary>The directory holding the checkpoints (created on first save).</summary>
    public string Directory { get; } = System.IO.Path.GetFullPath(directory ?? throw new ArgumentNullException(nameof(directory)));

    /// <summary>How many checkpoints retention keeps (at least 1).</summary>
    public int KeepLast { get; } = keepLast >= 1 ? keepLast : throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "must be at least 1");

    /// <summary>The file name of the checkpoint for <paramref name="step"/>.</summary>
    public static string FileNameFor(long step) => $"{Prefix}{step.ToString("D12", CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>
    /// Writes the checkpoint atomically and applies retention; returns its path. A crash at any
    /// point leaves either the previous set of checkpoints or the new one, never a partial file
    /// under a checkpoint name.
    /// </summary>
    public string Save(CheckpointHeader header, IReadOnlyDictionary<string, RngStream> rngs, StateTreeWriter state)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentOutOfRangeException.ThrowIfNegative(header.Step);
        WaitForRetention();
        System.IO.Directory.CreateDirectory(Directory);
        string path = System.IO.Path.Combine(Directory, FileNameFor(header.Step));
        string temp = $"{path}.{Environment.ProcessId}{TempSuffix}";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                CheckpointFile.Write(file, header, rngs, state);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        DirectorySync.Flush(Directory);
        // Deleting a large old checkpoint costs tens of ms; the new one is already durable, so
        // retention runs off the training thread. List, Save and WaitForRetention wait for it.
        _retention = Task.Run(() => ApplyRetention(path));
        return path;
    }

    /// <summary>Waits until the retention started by the last <see cref="Save"/> has deleted the old checkpoints.</summary>
    public void WaitForRetention()
    {
        var pending = _retention;
        _retention = null;
        pending?.GetAwaiter().GetResult();
    }

    /// <summary>The checkpoint files present, sorted by step (temp and quarantined files excluded).</summary>
    public IReadOnlyList<CheckpointInfo> List()
    {
        WaitForRetention();
        return ListFiles();
    }

    private List<CheckpointInfo> ListFiles()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var result = new List<CheckpointInfo>();
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles(Prefix + "*" + Extension))
        {
            var stem = file.Name.AsSpan(Prefix.Length, file.Name.Length - Prefix.Length - Extension.Length);
            if (file.Name.EndsWith(Extension, StringComparison.Ordinal) &&
                long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                result.Add(new CheckpointInfo(step, file.FullName, file.Length));
        }
        result.Sort((a, b) => a.Step.CompareTo(b.Step));
        return result;
    }

    /// <summary>
    /// The newest checkpoint that verifies, or null when there is none. Each corrupt or truncated
    /// file passed over is reported through <paramref name="warn"/> (naming the fallback) and renamed
    /// to <c>*.corrupt</c>; leftover temp files from interrupted saves are deleted.
    /// </summary>
    public Checkpoint? LoadLatestValid(Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        CleanTempFiles(warn);
        var skipped = new List<(CheckpointInfo Info, CheckpointCorruptException Error)>();
        var all = List();
        for (int i = all.Count - 1; i >= 0; i--)
        {
            try
            {
                var checkpoint = CheckpointFile.ReadFile(all[i].Path);
                Quarantine(skipped, $"falling back to {System.IO.Path.GetFileName(all[i].Path)} (step {all[i].Step})", warn);
                return checkpoint;
            }
            catch (CheckpointCorruptException e)
            {
                skipped.Add((all[i], e));
            }
        }
        Quarantine(skipped, "no valid checkpoint remains", warn);
        return null;
    }

    private void Quarantine(List<(CheckpointInfo Info, CheckpointCorruptException Error)> skipped, string fallback, Action<string> warn)
    {
        foreach (var (info, error) in skipped)
        {
            string name = System.IO.Path.GetFileName(info.Path);
            // A newer engine's checkpoint is not damaged: leave it in place for that engine.
            bool keep = error.Defect == CheckpointDefect.UnsupportedVersion;
            string aside = keep ? "Left in place." : $"Moved aside as {name}{CorruptSuffix}.";
            warn($"checkpoint {name} is {error.Reason}; {fallback}. Detail: {error.Message}. {aside}");
            if (!keep) File.Move(info.Path, info.Path + CorruptSuffix, overwrite: true);
        }
    }

    private void CleanTempFiles(Action<string> warn)
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + TempSuffix))
        {
            warn($"deleting {System.IO.Path.GetFileName(temp)}, left over from an interrupted checkpoint save");
            File.Delete(temp);
        }
    }

    private void ApplyRetention(string justWritten)
    {
        var all = ListFiles();
        int excess = all.Count - KeepLast;
        for (int i = 0; i < all.Count && excess > 0; i++)
        {
            if (string.Equals(all[i].Path, justWritten, StringComparison.Ordinal)) continue;
            File.Delete(all[i].Path);
            excess--;
        }
    }
}
