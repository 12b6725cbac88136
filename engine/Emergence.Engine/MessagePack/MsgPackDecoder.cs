using System.Buffers.Binary;
using System.Text;

namespace Emergence.Engine.MessagePack;

/// <summary>
/// Decodes MessagePack into <see cref="MsgPackValue"/> trees, treating the input as hostile:
/// lengths are checked against the remaining input and the limits in
/// <see cref="MsgPackDecoderOptions"/> before allocating, nesting is bounded, nothing is ever
/// instantiated from a type name, and every problem is a <see cref="MsgPackFormatException"/>
/// with the byte offset. bin and ext data are slices of <c>input</c> (no copies), so keep the
/// input alive and unmodified while the values are in use.
/// </summary>
internal static class MsgPackDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes exactly one value; trailing bytes are an error unless the options allow them.</summary>
    public static MsgPackValue Decode(ReadOnlyMemory<byte> input, MsgPackDecoderOptions? options = null)
    {
        options ??= MsgPackDecoderOptions.Default;
        var value = DecodeOne(input, out int consumed, options);
        if (consumed != input.Length && !options.AllowTrailingBytes)
            throw new MsgPackFormatException($"{input.Length - consumed} trailing byte(s) after the value", consumed);
        return value;
    }

    /// <summary>Decodes the first value of <paramref name="input"/> and reports how many bytes it used.</summary>
    public static MsgPackValue DecodeOne(ReadOnlyMemory<byte> input, out int consumed, MsgPackDecoderOptions? options = null)
    {
        options ??= MsgPackDecoderOptions.Default;
        options.Validate();
        if (input.Length > options.MaxTotalBytes)
            throw new MsgPackFormatException($"input of {input.Length} bytes exceeds the limit of {options.MaxTotalBytes} bytes", 0);
        var reader = new Reader(input, options);
        var value = reader.ReadValue(0);
        consumed = reader.Position;
        return value;
    }

    private struct Reader(ReadOnlyMemory<byte> input, MsgPackDecoderOptions options)
    {
        private readonly ReadOnlyMemory<byte> _input = input;
        private readonly MsgPackDecoderOptions _options = options;
        private int _pos;

        public readonly int Position => _pos;

        private readonly int Remaining => _input.Length - _pos;

        public MsgPackValue ReadValue(int depth)
        {
            int start = _pos;
            byte code = ReadByte("a format byte");
            if (code <= MsgPackCode.MaxPositiveFixInt) return MsgPackValue.FromInt(code);
            if (code >= MsgPackCode.MinNegativeFixInt) return MsgPackValue.FromInt((sbyte)code);
            if (code <= MsgPackCode.MaxFixMap) return ReadMap(code & 0x0f, depth, start);
            if (code <= MsgPackCode.MaxFixArray) return ReadArray(code & 0x0f, depth, start);
            if (code <= MsgPackCode.MaxFixStr) return ReadString(code & 0x1f, start);
            return code switch
            {
                MsgPackCode.Nil => MsgPackValue.Nil,
                MsgPackCode.False => MsgPackValue.FromBool(false),
                MsgPackCode.True => MsgPackValue.FromBool(true),
                MsgPackCode.Bin8 => MsgPackValue.FromBin(ReadSlice(ReadByte("a bin8 length"), "bin8", start)),
                MsgPackCode.Bin16 => MsgPackValue.FromBin(ReadSlice(ReadUInt16("a bin16 length"), "bin16", start)),
                MsgPackCode.Bin32 => MsgPackValue.FromBin(ReadSlice(ReadUInt32("a bin32 length"), "bin32", start)),
                MsgPackCode.Ext8 => ReadExt(ReadByte("an ext8 length"), start),
                MsgPackCode.Ext16 => ReadExt(ReadUInt16("an ext16 length"), start),
                MsgPackCode.Ext32 => ReadExt(ReadUInt32("an ext32 length"), start),
                MsgPackCode.Float32 => MsgPackValue.FromFloat32(BinaryPrimitives.ReadSingleBigEndian(Take(4, "float32", start))),
                MsgPackCode.Float64 => MsgPackValue.FromFloat64(BinaryPrimitives.ReadDoubleBigEndian(Take(8, "float64", start))),
                MsgPackCode.UInt8 => MsgPackValue.FromInt(ReadByte("a uint8")),
                MsgPackCode.UInt16 => MsgPackValue.FromInt(ReadUInt16("a uint16")),
                MsgPackCode.UInt32 => MsgPackValue.FromInt(ReadUInt32("a uint32")),
                MsgPackCode.UInt64 => MsgPackValue.FromUInt(BinaryPrimitives.ReadUInt64BigEndian(Take(8, "uint64", start))),
                MsgPackCode.Int8 => MsgPackValue.FromInt((sbyte)ReadByte("an int8")),
                MsgPackCode.Int16 => MsgPackValue.FromInt(BinaryPrimitives.ReadInt16BigEndian(Take(2, "int16", start))),
                MsgPackCode.Int32 => MsgPackValue.FromInt(BinaryPrimitives.ReadInt32BigEndian(Take(4, "int32", start))),
                MsgPackCode.Int64 => MsgPackValue.FromInt(BinaryPrimitives.ReadInt64BigEndian(Take(8, "int64", start))),
                MsgPackCode.FixExt1 => ReadExt(1, start),
                MsgPackCode.FixExt2 => ReadExt(2, start),
                MsgPackCode.FixExt4 => ReadExt(4, start),
                MsgPackCode.FixExt8 => ReadExt(8, start),
                MsgPackCode.FixExt16 => ReadExt(16, start),
                MsgPackCode.Str8 => ReadString(ReadByte("a str8 length"), start),
                MsgPackCode.Str16 => ReadString(ReadUInt16("a str16 length"), start),
                MsgPackCode.Str32 => ReadString(ReadUInt32("a str32 length"), start),
                MsgPackCode.Array16 => ReadArray(ReadUInt16("an array16 length"), depth, start),
                MsgPackCode.Array32 => ReadArray(ReadUInt32("an array32 length"), depth, start),
                MsgPackCode.Map16 => ReadMap(ReadUInt16("a map16 length"), depth, start),
                MsgPackCode.Map32 => ReadMap(ReadUInt32("a map32 length"), depth, start),
                _ => throw new MsgPackFormatException($"invalid format byte 0x{code:x2} (never used by the spec)", start),
            };
        }

        private MsgPackValue ReadArray(long count, int depth, int start)
        {
            CheckCollection(count, 1, "array", depth, start);
            var items = new MsgPackValue[count];
            for (int i = 0; i < items.Length; i++) items[i] = ReadValue(depth + 1);
            return MsgPackValue.FromArray(items);
        }

        private MsgPackValue ReadMap(long count, int depth, int start)
        {
            CheckCollection(count, 2, "map", depth, start);
            var pairs = new KeyValuePair<MsgPackValue, MsgPackValue>[count];
            for (int i = 0; i < pairs.Length; i++)
            {
                var key = ReadValue(depth + 1);
                pairs[i] = new(key, ReadValue(depth + 1));
            }
            return MsgPackValue.FromMap(pairs);
        }

        private readonly void CheckCollection(long count, int minBytesPerItem, string what, int depth, int start)
        {
            if (depth + 1 > _options.MaxDepth)
                throw new MsgPackFormatException($"{what} nesting exceeds the maximum depth of {_options.MaxDepth}", start);
            if (count > _options.MaxCollectionLength)
                throw new MsgPackFormatException($"{what} declares {count} items, over the limit of {_options.MaxCollectionLength}", start);
            // Every item takes at least one byte, so a count the remaining input cannot hold is a lie.
            if (count * minBytesPerItem > Remaining)
                throw new MsgPackFormatException($"{what} declares {count} items but only {Remaining} bytes remain (truncated or corrupt)", start);
        }

        private MsgPackValue ReadString(long length, int start)
        {
            if (length > _options.MaxStringLength)
                throw new MsgPackFormatException($"string declares {length} bytes, over the limit of {_options.MaxStringLength}", start);
            var bytes = ReadSlice(length, "str", start);
            try
            {
                return MsgPackValue.FromString(StrictUtf8.GetString(bytes.Span));
            }
            catch (DecoderFallbackException ex)
            {
                throw new MsgPackFormatException($"string is not valid UTF-8: {ex.Message}", start);
            }
        }

        private MsgPackValue ReadExt(long length, int start)
        {
            sbyte type = (sbyte)ReadByte("an ext type");
            var data = ReadSlice(length, "ext", start);
            if (type != MsgPackCode.TimestampExtType) return MsgPackValue.FromExt(type, data);
            var span = data.Span;
            switch (span.Length)
            {
                case 4:
                    return MsgPackValue.FromTimestamp(BinaryPrimitives.ReadUInt32BigEndian(span), 0);
                case 8:
                    ulong packed = BinaryPrimitives.ReadUInt64BigEndian(span);
                    return Timestamp((long)(packed & 0x3_ffff_ffffUL), (uint)(packed >> 34), start);
                case 12:
                    return Timestamp(BinaryPrimitives.ReadInt64BigEndian(span[4..]), BinaryPrimitives.ReadUInt32BigEndian(span), start);
                default:
                    throw new MsgPackFormatException($"timestamp extension has {span.Length} data bytes; expected 4, 8 or 12", start);
            }
        }

        private static MsgPackValue Timestamp(long seconds, uint nanoseconds, int start) =>
            nanoseconds <= MsgPackCode.MaxNanoseconds
                ? MsgPackValue.FromTimestamp(seconds, nanoseconds)
                : throw new MsgPackFormatException($"timestamp nanoseconds {nanoseconds} exceed 999999999", start);

        private ReadOnlyMemory<byte> ReadSlice(long length, string what, int start)
        {
            if (length > Remaining)
                throw new MsgPackFormatException($"{what} declares {length} bytes but only {Remaining} remain (truncated or corrupt)", start);
            var slice = _input.Slice(_pos, (int)length);
            _pos += (int)length;
            return slice;
        }

        private ReadOnlySpan<byte> Take(int count, string what, int start)
        {
            if (count > Remaining)
                throw new MsgPackFormatException($"{what} needs {count} bytes but only {Remaining} remain (truncated)", start);
            var span = _input.Span.Slice(_pos, count);
            _pos += count;
            return span;
        }

        private byte ReadByte(string what)
        {
            if (Remaining < 1) throw new MsgPackFormatException($"input ends where {what} was expected (truncated)", _pos);
            return _input.Span[_pos++];
        }

        private ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, what, _pos));

        private uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, what, _pos));
    }
}
