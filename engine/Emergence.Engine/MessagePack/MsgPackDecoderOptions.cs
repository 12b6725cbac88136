namespace Emergence.Engine.MessagePack;

/// <summary>
/// Limits that make decoding hostile input safe. Every declared length is checked against these
/// limits and against the bytes that actually remain before anything is allocated.
/// </summary>
internal sealed record MsgPackDecoderOptions
{
    /// <summary>Defaults for untrusted documents: depth 64, 1M items per collection, 64 MiB input, 16 MiB strings.</summary>
    public static MsgPackDecoderOptions Default { get; } = new();

    /// <summary>Limits for checkpoint files: depth 64, up to 2 GiB input, 64M items, 256 MiB strings.</summary>
    public static MsgPackDecoderOptions Checkpoint { get; } = new()
    {
        MaxTotalBytes = int.MaxValue,
        MaxCollectionLength = 1 << 26,
        MaxStringLength = 1 << 28,
    };

    /// <summary>Deepest nesting of arrays/maps; default 64, valid range 1..1000.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most items in one array, or pairs in one map; default 1,048,576.</summary>
    public int MaxCollectionLength { get; init; } = 1 << 20;

    /// <summary>Largest input accepted, in bytes; default 64 MiB.</summary>
    public long MaxTotalBytes { get; init; } = 64L << 20;

    /// <summary>Longest string, in UTF-8 bytes; default 16 MiB. (bin/ext payloads are slices, never copied.)</summary>
    public int MaxStringLength { get; init; } = 16 << 20;

    /// <summary>
    /// Whether bytes after the first complete value are allowed; default false, in which case they are
    /// a <see cref="MsgPackFormatException"/>. Use <see cref="MsgPackDecoder.DecodeOne"/> to read a sequence.
    /// </summary>
    public bool AllowTrailingBytes { get; init; }

    internal void Validate()
    {
        if (MaxDepth is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "must be in 1..1000");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxCollectionLength);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTotalBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxStringLength);
    }
}
