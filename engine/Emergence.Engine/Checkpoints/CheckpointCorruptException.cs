namespace Emergence.Engine.Checkpoints;

/// <summary>Why a checkpoint file could not be used.</summary>
public enum CheckpointDefect
{
    /// <summary>The file ends early (an interrupted write or a cut copy).</summary>
    Truncated,
    /// <summary>The CRC-32C trailer does not match the content (bit rot, partial overwrite).</summary>
    ChecksumMismatch,
    /// <summary>The file does not start like a checkpoint.</summary>
    NotACheckpoint,
    /// <summary>A checkpoint of a format version this engine does not read.</summary>
    UnsupportedVersion,
    /// <summary>The checksum matches but the content does not follow the layout.</summary>
    Malformed,
}

/// <summary>
/// Thrown when a checkpoint is truncated, fails its checksum, is not a checkpoint, has an unsupported
/// version, or does not follow the layout. The message names the file and the defect.
/// </summary>
public sealed class CheckpointCorruptException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a path or a description of in-memory bytes).</summary>
    public CheckpointCorruptException(string source, CheckpointDefect defect, string detail, Exception? inner = null)
        : base($"checkpoint '{source}' is {Describe(defect)}: {detail}", inner)
    {
        Origin = source;
        Defect = defect;
    }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointCorruptException(string message) : base(message) => Origin = "";

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public CheckpointCorruptException(string message, Exception inner) : base(message, inner) => Origin = "";

    /// <summary>Creates the exception with no message.</summary>
    public CheckpointCorruptException() => Origin = "";

    /// <summary>The file path (or in-memory description) of the checkpoint.</summary>
    public string Origin { get; }

    /// <summary>What is wrong with it.</summary>
    public CheckpointDefect Defect { get; }

    /// <summary>The defect in a few words, e.g. "checksum mismatch".</summary>
    public string Reason => Describe(Defect);

    private static string Describe(CheckpointDefect defect) => defect switch
    {
        CheckpointDefect.Truncated => "truncated",
        CheckpointDefect.ChecksumMismatch => "corrupt (checksum mismatch)",
        CheckpointDefect.NotACheckpoint => "not a checkpoint",
        CheckpointDefect.UnsupportedVersion => "of an unsupported format version",
        _ => "malformed",
    };
}
