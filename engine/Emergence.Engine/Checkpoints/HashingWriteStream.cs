using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Checkpoints;

/// <summary>
/// A write-only pass-through stream that feeds every byte written into a CRC-32C. Large payloads
/// given as memory are written by a pool thread while this thread checksums them, so a checkpoint
/// costs max(checksum, write) rather than their sum.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream, IMemoryWriteTarget
{
    private Crc32C _crc = new();
    private long _length;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => _length;

    /// <inheritdoc />
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <summary>CRC-32C of everything written so far.</summary>
    public uint Checksum => _crc.Value;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc.Append(buffer);
        inner.Write(buffer);
        _length += buffer.Length;
    }

    /// <inheritdoc />
    public void WriteMemory(ReadOnlyMemory<byte> data)
    {
        // The inner stream is touched only by the pool thread until Wait returns; the hash only here.
        var write = Task.Run(() => inner.Write(data.Span));
        _crc.Append(data.Span);
        write.GetAwaiter().GetResult();
        _length += data.Length;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

}
