using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Emergence.Engine.MessagePack;

/// <summary>
/// Streaming MessagePack writer: big-endian per the spec, always the smallest encoding.
/// Writes to an <see cref="IBufferWriter{T}"/> or to a <see cref="Stream"/> through an internal
/// buffer; large raw payloads (bin, long strings) go straight to the stream without a copy.
/// Call <see cref="Flush"/> (or dispose) before using the stream's contents.
/// </summary>
internal sealed partial class MsgPackWriter : IDisposable
{
    private const int MaxValueDepth = 1000;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte>? _target;
    private readonly Stream? _stream;
    private byte[]? _buffer;
    private int _used;

    /// <summary>Writes into <paramref name="target"/>.</summary>
    public MsgPackWriter(IBufferWriter<byte> target) => _target = target ?? throw new ArgumentNullException(nameof(target));

    /// <summary>Writes into <paramref name="stream"/> through a pooled buffer of <paramref name="bufferSize"/> bytes.</summary>
    public MsgPackWriter(Stream stream, int bufferSize = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 64);
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Total bytes written so far (including bytes still buffered).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes nil.</summary>
    public void WriteNil() => WriteByte(MsgPackCode.Nil);

    /// <summary>Writes true or false.</summary>
    public void WriteBool(bool value) => WriteByte(value ? MsgPackCode.True : MsgPackCode.False);

    /// <summary>Writes a signed integer in the smallest format (positive values use the unsigned families).</summary>
    public void WriteInt64(long value)
    {
        if (value >= 0) { WriteUInt64((ulong)value); return; }
        var span = GetSpan(9);
        int n;
        if (value >= -32) { span[0] = (byte)(sbyte)value; n = 1; }
        else if (value >= sbyte.MinValue) { span[0] = MsgPackCode.Int8; span[1] = (byte)(sbyte)value; n = 2; }
        else if (value >= short.MinValue) { span[0] = MsgPackCode.Int16; BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value); n = 3; }
        else if (value >= int.MinValue) { span[0] = MsgPackCode.Int32; BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value); n = 5; }
        else { span[0] = MsgPackCode.Int64; BinaryPrimitives.WriteInt64BigEndian(span[1..], value); n = 9; }
        Advance(n);
    }

    /// <summary>Writes an unsigned integer in the smallest format.</summary>
    public void WriteUInt64(ulong value)
    {
        var span = GetSpan(9);
        int n;
        if (value <= MsgPackCode.MaxPositiveFixInt) { span[0] = (byte)value; n = 1; }
        else if (value <= byte.MaxValue) { span[0] = MsgPackCode.UInt8; span[1] = (byte)value; n = 2; }
        else if (value <= ushort.MaxValue) { span[0] = MsgPackCode.UInt16; BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value); n = 3; }
        else if (value <= uint.MaxValue) { span[0] = MsgPackCode.UInt32; BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value); n = 5; }
        else { span[0] = MsgPackCode.UInt64; BinaryPrimitives.WriteUInt64BigEndian(span[1..], value); n = 9; }
        Advance(n);
    }

    /// <summary>Writes a float32.</summary>
    public void WriteFloat32(float value)
    {
        var span = GetSpan(5);
        span[0] = MsgPackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
        Advance(5);
    }

    /// <summary>Writes a float64.</summary>
    public void WriteFloat64(double value)
    {
        var span = GetSpan(9);
        span[0] = MsgPackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        Advance(9);
    }

    /// <summary>Writes a string as UTF-8; a lone surrogate is an <see cref="ArgumentException"/>.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("string is not valid UTF-16 (lone surrogate); it cannot be encoded as UTF-8", nameof(value), ex);
        }
        WriteStringHeader(byteCount);
        if (byteCount <= 4096)
        {
            StrictUtf8.GetBytes(value, GetSpan(byteCount));
            Advance(byteCount);
            return;
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            StrictUtf8.GetBytes(value, rented);
            WriteRaw(rented.AsSpan(0, byteCount));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes a string whose UTF-8 bytes the caller already has (not validated).</summary>
    public void WriteStringUtf8(ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes a str header for <paramref name="byteCount"/> UTF-8 bytes; follow with <see cref="WriteRaw"/>.</summary>
    public void WriteStringHeader(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (byteCount <= 31) WriteByte((byte)(MsgPackCode.MinFixStr | byteCount));
        else if (byteCount <= byte.MaxValue) WriteHeader8(MsgPackCode.Str8, (byte)byteCount);
        else if (byteCount <= ushort.MaxValue) WriteHeader16(MsgPackCode.Str16, (ushort)byteCount);
        else WriteHeader32(MsgPackCode.Str32, (uint)byteCount);
    }

    /// <summary>Writes a bin value; the payload is copied once into the target (or written straight to the stream).</summary>
    public void WriteBin(ReadOnlySpan<byte> data)
    {
        WriteBinHeader(data.Length);
        WriteRaw(data);
    }

    /// <summary>
    /// Writes a bin value from memory. Large payloads bypass the buffer; a stream implementing
    /// <see cref="IMemoryWriteTarget"/> receives them whole (e.g. to hash and write in parallel).
    /// </summary>
    public void WriteBin(ReadOnlyMemory<byte> data)
    {
        WriteBinHeader(data.Length);
        if (_stream is IMemoryWriteTarget target && data.Length >= _buffer!.Length / 2)
        {
            FlushBuffer();
            target.WriteMemory(data);
            BytesWritten += data.Length;
            return;
        }
        WriteRaw(data.Span);
    }

    /// <summary>Writes a bin header for <paramref name="length"/> bytes; follow with <see cref="WriteRaw"/>.</summary>
    public void WriteBinHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= byte.MaxValue) WriteHeader8(MsgPackCode.Bin8, (byte)length);
        else if (length <= ushort.MaxValue) WriteHeader16(MsgPackCode.Bin16, (ushort)length);
        else WriteHeader32(MsgPackCode.Bin32, (uint)length);
    }

    /// <summary>Writes an array header; follow with <paramref name="count"/> values.</summary>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= 15) WriteByte((byte)(MsgPackCode.MinFixArray | count));
        else if (count <= ushort.MaxValue) WriteHeader16(MsgPackCode.Array16, (ushort)count);
        else WriteHeader32(MsgPackCode.Array32, (uint)count);
    }

    /// <summary>Writes a map header; follow with <paramref name="count"/> key/value pairs.</summary>
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= 15) WriteByte((byte)(MsgPackCode.MinFixMap | count));
        else if (count <= ushort.MaxValue) WriteHeader16(MsgPackCode.Map16, (ushort)count);
        else WriteHeader32(MsgPackCode.Map32, (uint)count);
    }

    /// <summary>Writes bytes verbatim (the payload after a str/bin/ext header).</summary>
    public void WriteRaw(ReadOnlySpan<byte> data)
    {
        if (_stream is not null)
        {
            if (data.Length > _buffer!.Length - _used)
            {
                FlushBuffer();
                if (data.Length >= _buffer.Length / 2)
                {
                    _stream.Write(data);
                    BytesWritten += data.Length;
                    return;
                }
            }
            data.CopyTo(_buffer.AsSpan(_used));
            _used += data.Length;
            BytesWritten += data.Length;
            return;
        }
        while (!data.IsEmpty)
        {
            int chunk = Math.Min(data.Length, 1 << 20);
            data[..chunk].CopyTo(_target!.GetSpan(chunk));
            _target.Advance(chunk);
            BytesWritten += chunk;
            data = data[chunk..];
        }
    }

    /// <summary>Writes buffered bytes to the stream and flushes it (no-op for buffer writers).</summary>
    public void Flush()
    {
        if (_stream is null) return;
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>Flushes and returns the pooled buffer; the stream itself is not disposed.</summary>
    public void Dispose()
    {
        if (_buffer is null) return;
        FlushBuffer();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    private void FlushBuffer()
    {
        if (_used == 0) return;
        _stream!.Write(_buffer!, 0, _used);
        _used = 0;
    }

    private Span<byte> GetSpan(int size)
    {
        if (_stream is null) return _target!.GetSpan(size);
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        if (_buffer.Length - _used < size) FlushBuffer();
        return _buffer.AsSpan(_used);
    }

    private void Advance(int count)
    {
        if (_stream is null) _target!.Advance(count);
        else _used += count;
        BytesWritten += count;
    }

    private void WriteByte(byte code)
    {
        GetSpan(1)[0] = code;
        Advance(1);
    }

    private void WriteHeader8(byte code, byte length)
    {
        var span = GetSpan(2);
        span[0] = code;
        span[1] = length;
        Advance(2);
    }

    private void WriteHeader16(byte code, ushort length)
    {
        var span = GetSpan(3);
        span[0] = code;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], length);
        Advance(3);
    }

    private void WriteHeader32(byte code, uint length)
    {
        var span = GetSpan(5);
        span[0] = code;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], length);
        Advance(5);
    }
}
