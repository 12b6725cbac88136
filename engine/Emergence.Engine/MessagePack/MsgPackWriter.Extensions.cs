using System.Buffers.Binary;

namespace Emergence.Engine.MessagePack;

/// <summary>Extension types, timestamps and whole <see cref="MsgPackValue"/> trees.</summary>
internal sealed partial class MsgPackWriter
{
    /// <summary>Writes an extension value in the smallest format (fixext 1/2/4/8/16 or ext 8/16/32).</summary>
    public void WriteExt(sbyte type, ReadOnlySpan<byte> data)
    {
        WriteExtHeader(type, data.Length);
        WriteRaw(data);
    }

    /// <summary>Writes an extension header for <paramref name="length"/> data bytes; follow with <see cref="WriteRaw"/>.</summary>
    public void WriteExtHeader(sbyte type, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var span = GetSpan(6);
        int n;
        byte fix = length switch
        {
            1 => MsgPackCode.FixExt1,
            2 => MsgPackCode.FixExt2,
            4 => MsgPackCode.FixExt4,
            8 => MsgPackCode.FixExt8,
            16 => MsgPackCode.FixExt16,
            _ => 0,
        };
        if (fix != 0) { span[0] = fix; span[1] = (byte)type; n = 2; }
        else if (length <= byte.MaxValue) { span[0] = MsgPackCode.Ext8; span[1] = (byte)length; span[2] = (byte)type; n = 3; }
        else if (length <= ushort.MaxValue)
        {
            span[0] = MsgPackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            span[3] = (byte)type;
            n = 4;
        }
        else
        {
            span[0] = MsgPackCode.Ext32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            span[5] = (byte)type;
            n = 6;
        }
        Advance(n);
    }

    /// <summary>
    /// Writes a timestamp (extension type -1) in the smallest of its three layouts:
    /// timestamp 32 (seconds in [0, 2^32), no nanoseconds), timestamp 64 (seconds in [0, 2^34)),
    /// otherwise timestamp 96.
    /// </summary>
    public void WriteTimestamp(long seconds, uint nanoseconds)
    {
        if (nanoseconds > MsgPackCode.MaxNanoseconds)
            throw new ArgumentOutOfRangeException(nameof(nanoseconds), nanoseconds, "must be at most 999999999");
        Span<byte> data = stackalloc byte[12];
        if (((ulong)seconds >> 34) == 0)
        {
            if (nanoseconds == 0 && seconds <= uint.MaxValue)
            {
                BinaryPrimitives.WriteUInt32BigEndian(data, (uint)seconds);
                WriteExt(MsgPackCode.TimestampExtType, data[..4]);
                return;
            }
            BinaryPrimitives.WriteUInt64BigEndian(data, ((ulong)nanoseconds << 34) | (ulong)seconds);
            WriteExt(MsgPackCode.TimestampExtType, data[..8]);
            return;
        }
        BinaryPrimitives.WriteUInt32BigEndian(data, nanoseconds);
        BinaryPrimitives.WriteInt64BigEndian(data[4..], seconds);
        WriteExt(MsgPackCode.TimestampExtType, data);
    }

    /// <summary>Writes a point in time as a timestamp (100 ns resolution).</summary>
    public void WriteTimestamp(DateTimeOffset time)
    {
        var ts = MsgPackValue.FromTimestamp(time);
        WriteTimestamp(ts.TimestampSeconds, ts.TimestampNanoseconds);
    }

    /// <summary>Writes a whole value tree (depth at most 1000).</summary>
    public void Write(in MsgPackValue value) => Write(value, 0);

    private void Write(in MsgPackValue value, int depth)
    {
        if (depth > MaxValueDepth) throw new InvalidOperationException($"value nesting exceeds {MaxValueDepth} levels");
        switch (value.Kind)
        {
            case MsgPackKind.Nil: WriteNil(); break;
            case MsgPackKind.Bool: WriteBool(value.AsBool()); break;
            case MsgPackKind.Int:
                if (value.IsLargeUnsigned) WriteUInt64(value.AsUInt64());
                else WriteInt64(value.AsInt64());
                break;
            case MsgPackKind.Float32: WriteFloat32(value.AsFloat32()); break;
            case MsgPackKind.Float64: WriteFloat64(value.AsDouble()); break;
            case MsgPackKind.Str: WriteString(value.AsString()); break;
            case MsgPackKind.Bin: WriteBin(value.AsBin()); break;
            case MsgPackKind.Ext: WriteExt(value.ExtType, value.ExtData.Span); break;
            case MsgPackKind.Timestamp: WriteTimestamp(value.TimestampSeconds, value.TimestampNanoseconds); break;
            case MsgPackKind.Array:
                var items = value.AsArray();
                WriteArrayHeader(items.Count);
                foreach (var item in items) Write(item, depth + 1);
                break;
            case MsgPackKind.Map:
                var pairs = value.AsMap();
                WriteMapHeader(pairs.Count);
                foreach (var pair in pairs)
                {
                    Write(pair.Key, depth + 1);
                    Write(pair.Value, depth + 1);
                }
                break;
            default: throw new InvalidOperationException($"unknown kind {value.Kind}");
        }
    }
}
