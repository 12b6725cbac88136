using System.Buffers;
using System.Buffers.Binary;
using Emergence.Contracts.Random;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Checkpoints;

/// <summary>
/// Writes and reads checkpoint files: one MessagePack map whose last entry, <c>crc32c</c>, is the
/// CRC-32C (4 bytes, big-endian) of every byte before that key. See docs/checkpoint-format.md.
/// </summary>
internal static partial class CheckpointFile
{
    /// <summary>The <c>format</c> value.</summary>
    public const string FormatName = "emergence-checkpoint";

    /// <summary>The format version this engine writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Number of entries in the top-level map.</summary>
    public const int TopLevelKeys = 12;

    /// <summary>
    /// Size of the checksum trailer: fixstr header (1) + "crc32c" (6) + bin8 header (2) + checksum (4).
    /// The checksum covers bytes [0, length − 13).
    /// </summary>
    public const int TrailerLength = 1 + 6 + 2 + 4;

    /// <summary>The 9 bytes that precede the checksum: <c>a6 'c' 'r' 'c' '3' '2' 'c' c4 04</c>.</summary>
    private static readonly byte[] TrailerPrefix = [0xa6, (byte)'c', (byte)'r', (byte)'c', (byte)'3', (byte)'2', (byte)'c', MsgPackCode.Bin8, 4];

    /// <summary>Writes a checkpoint to <paramref name="destination"/>, hashing as it goes (one pass).</summary>
    public static void Write(Stream destination, CheckpointHeader header, IReadOnlyDictionary<string, RngStream> rngs, StateTreeWriter state)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rngs);
        ArgumentNullException.ThrowIfNull(state);
        uint checksum;
        using (var hashing = new HashingWriteStream(destination))
        {
            using (var writer = new MsgPackWriter(hashing, 1 << 17))
            {
                WriteBody(writer, header, rngs, state);
            }
            checksum = hashing.Checksum;
        }
        Span<byte> trailer = stackalloc byte[TrailerLength];
        TrailerPrefix.CopyTo(trailer);
        BinaryPrimitives.WriteUInt32BigEndian(trailer[TrailerPrefix.Length..], checksum);
        destination.Write(trailer);
        destination.Flush();
    }

    /// <summary>A checkpoint in memory (e.g. for hot reload).</summary>
    public static byte[] ToBytes(CheckpointHeader header, IReadOnlyDictionary<string, RngStream> rngs, StateTreeWriter state)
    {
        using var memory = new MemoryStream();
        Write(memory, header, rngs, state);
        return memory.ToArray();
    }

    /// <summary>Reads and verifies a checkpoint file; see <see cref="Read"/>.</summary>
    public static Checkpoint ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Verifies format marker, version and checksum, then decodes and checks the layout. Throws
    /// <see cref="CheckpointCorruptException"/> naming <paramref name="source"/> and the defect.
    /// The returned checkpoint's tensors are slices of <paramref name="bytes"/>.
    /// </summary>
    public static Checkpoint Read(ReadOnlyMemory<byte> bytes, string source = "(in-memory checkpoint)")
    {
        VerifyEnvelope(bytes.Span, source);
        MsgPackValue root;
        try
        {
            root = MsgPackDecoder.Decode(bytes, MsgPackDecoderOptions.Checkpoint);
        }
        catch (MsgPackFormatException e)
        {
            throw new CheckpointCorruptException(source, CheckpointDefect.Malformed, e.Message, e);
        }
        return Parse(root, source);
    }

    /// <summary>Checks the leading marker and version and the CRC-32C trailer, without decoding the body.</summary>
    public static void VerifyEnvelope(ReadOnlySpan<byte> bytes, string source)
    {
        var prefix = Prefix.Value;
        int common = Math.Min(bytes.Length, prefix.Length);
        if (!bytes[..common].SequenceEqual(prefix.AsSpan(0, common)))
        {
            throw bytes.Length > 0 && bytes[0] is >= MsgPackCode.MinFixMap and <= MsgPackCode.MaxFixMap && bytes[1..common].SequenceEqual(prefix.AsSpan(1, common - 1))
                ? new CheckpointCorruptException(source, CheckpointDefect.Malformed, $"top-level map has {bytes[0] & 0x0f} entries, expected {TopLevelKeys}")
                : new CheckpointCorruptException(source, CheckpointDefect.NotACheckpoint, $"it does not start with the \"format\": \"{FormatName}\" marker");
        }
        if (bytes.Length <= prefix.Length)
            throw new CheckpointCorruptException(source, CheckpointDefect.Truncated, $"only {bytes.Length} bytes");
        byte version = bytes[prefix.Length];
        if (version != FormatVersion)
        {
            string found = version <= MsgPackCode.MaxPositiveFixInt ? version.ToString() : $"a value with format byte 0x{version:x2}";
            throw new CheckpointCorruptException(source, CheckpointDefect.UnsupportedVersion, $"format_version is {found}; this engine reads version {FormatVersion}");
        }
        if (bytes.Length < prefix.Length + 1 + TrailerLength || !bytes[^TrailerLength..][..TrailerPrefix.Length].SequenceEqual(TrailerPrefix))
            throw new CheckpointCorruptException(source, CheckpointDefect.Truncated, $"the crc32c trailer is missing at the end of its {bytes.Length} bytes");
        uint computed = Crc32C.Compute(bytes[..^TrailerLength]);
        uint recorded = BinaryPrimitives.ReadUInt32BigEndian(bytes[^4..]);
        if (computed != recorded)
            throw new CheckpointCorruptException(source, CheckpointDefect.ChecksumMismatch,
                $"CRC-32C of the first {bytes.Length - TrailerLength} bytes is {computed:x8}, the file records {recorded:x8}");
    }

    /// <summary>The fixed leading bytes: map header, format key and value, format_version key.</summary>
    private static readonly Lazy<byte[]> Prefix = new(() =>
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        writer.WriteMapHeader(TopLevelKeys);
        writer.WriteString("format");
        writer.WriteString(FormatName);
        writer.WriteString("format_version");
        return buffer.WrittenSpan.ToArray();
    });

    private static void WriteBody(MsgPackWriter writer, CheckpointHeader header, IReadOnlyDictionary<string, RngStream> rngs, StateTreeWriter state)
    {
        writer.WriteMapHeader(TopLevelKeys);
        writer.WriteString("format");
        writer.WriteString(FormatName);
        writer.WriteString("format_version");
        writer.WriteInt64(FormatVersion);
        writer.WriteString("engine_version");
        writer.WriteString(header.EngineVersion);
        writer.WriteString("plugin");
        writer.WriteMapHeader(3);
        writer.WriteString("name");
        writer.WriteString(header.PluginName);
        writer.WriteString("version");
        writer.WriteString(header.PluginVersion);
        writer.WriteString("assembly_sha256");
        writer.WriteString(header.AssemblySha256);
        writer.WriteString("experiment");
        writer.WriteString(header.Experiment);
        writer.WriteString("run_id");
        writer.WriteString(header.RunId);
        writer.WriteString("step");
        writer.WriteInt64(header.Step);
        writer.WriteString("created");
        writer.WriteTimestamp(header.Created);
        writer.WriteString("manifest");
        writer.WriteString(header.Manifest);
        writer.WriteString("rng");
        writer.WriteMapHeader(rngs.Count);
        foreach (var (purpose, rng) in rngs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(purpose);
            writer.Write(StateTreeWriter.RngToValue(rng.GetState()));
        }
        writer.WriteString("state");
        state.WriteTo(writer);
    }
}
