using System.Text;

namespace Emergence.Engine.MessagePack;

/// <summary>
/// One decoded (or to-be-encoded) MessagePack value. A small immutable struct; <c>Bin</c> and
/// <c>Ext</c> data are slices of the decoder's input, never copies.
/// </summary>
internal readonly struct MsgPackValue : IEquatable<MsgPackValue>
{
    private static readonly MsgPackValue[] NoItems = [];
    private static readonly KeyValuePair<MsgPackValue, MsgPackValue>[] NoPairs = [];

    private readonly ulong _bits;      // bool, integer bits, float bits, timestamp seconds
    private readonly uint _extra;      // 1 = unsigned integer; timestamp nanoseconds; ext type
    private readonly object? _ref;     // string, MsgPackValue[], KeyValuePair<,>[]
    private readonly ReadOnlyMemory<byte> _bytes; // bin / ext data

    private MsgPackValue(MsgPackKind kind, ulong bits = 0, uint extra = 0, object? reference = null, ReadOnlyMemory<byte> bytes = default)
    {
        Kind = kind;
        _bits = bits;
        _extra = extra;
        _ref = reference;
        _bytes = bytes;
    }

    /// <summary>The value's kind.</summary>
    public MsgPackKind Kind { get; }

    /// <summary>nil (also the default value of the struct).</summary>
    public static MsgPackValue Nil => default;

    /// <summary>Whether this is nil.</summary>
    public bool IsNil => Kind == MsgPackKind.Nil;

    /// <summary>A boolean.</summary>
    public static MsgPackValue FromBool(bool value) => new(MsgPackKind.Bool, value ? 1UL : 0UL);

    /// <summary>A signed integer.</summary>
    public static MsgPackValue FromInt(long value) => new(MsgPackKind.Int, (ulong)value);

    /// <summary>An unsigned integer; values up to <see cref="long.MaxValue"/> equal the signed form.</summary>
    public static MsgPackValue FromUInt(ulong value) => value <= long.MaxValue ? FromInt((long)value) : new(MsgPackKind.Int, value, 1);

    /// <summary>A float32.</summary>
    public static MsgPackValue FromFloat32(float value) => new(MsgPackKind.Float32, BitConverter.SingleToUInt32Bits(value));

    /// <summary>A float64.</summary>
    public static MsgPackValue FromFloat64(double value) => new(MsgPackKind.Float64, BitConverter.DoubleToUInt64Bits(value));

    /// <summary>A string.</summary>
    public static MsgPackValue FromString(string value) => new(MsgPackKind.Str, reference: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A byte array; the memory is referenced, not copied.</summary>
    public static MsgPackValue FromBin(ReadOnlyMemory<byte> value) => new(MsgPackKind.Bin, bytes: value);

    /// <summary>An array; the caller must not mutate <paramref name="items"/> afterwards.</summary>
    public static MsgPackValue FromArray(MsgPackValue[] items) => new(MsgPackKind.Array, reference: items ?? NoItems);

    /// <summary>A map in the given key order; the caller must not mutate <paramref name="pairs"/> afterwards.</summary>
    public static MsgPackValue FromMap(KeyValuePair<MsgPackValue, MsgPackValue>[] pairs) => new(MsgPackKind.Map, reference: pairs ?? NoPairs);

    /// <summary>An extension value; type -1 is reserved for timestamps (use <c>FromTimestamp</c>).</summary>
    public static MsgPackValue FromExt(sbyte type, ReadOnlyMemory<byte> data)
    {
        if (type == MsgPackCode.TimestampExtType)
            throw new ArgumentException("extension type -1 is the timestamp; use FromTimestamp", nameof(type));
        return new(MsgPackKind.Ext, extra: (byte)type, bytes: data);
    }

    /// <summary>A timestamp: seconds since 1970-01-01T00:00:00Z plus nanoseconds (0..999999999).</summary>
    public static MsgPackValue FromTimestamp(long seconds, uint nanoseconds)
    {
        if (nanoseconds > MsgPackCode.MaxNanoseconds)
            throw new ArgumentOutOfRangeException(nameof(nanoseconds), nanoseconds, "must be at most 999999999");
        return new(MsgPackKind.Timestamp, (ulong)seconds, nanoseconds);
    }

    /// <summary>A timestamp from a point in time (100 ns resolution).</summary>
    public static MsgPackValue FromTimestamp(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rem);
        if (rem < 0) { seconds--; rem += TimeSpan.TicksPerSecond; }
        return FromTimestamp(seconds, (uint)(rem * 100));
    }

    /// <summary>The boolean; throws unless <see cref="MsgPackKind.Bool"/>.</summary>
    public bool AsBool() => Expect(MsgPackKind.Bool)._bits != 0;

    /// <summary>Whether this is an integer that only fits in <see cref="ulong"/> (greater than <see cref="long.MaxValue"/>).</summary>
    public bool IsLargeUnsigned => Kind == MsgPackKind.Int && _extra == 1;

    /// <summary>The integer as <see cref="long"/>; throws when it is not an integer or exceeds the range.</summary>
    public long AsInt64()
    {
        Expect(MsgPackKind.Int);
        if (_extra == 1) throw new InvalidOperationException($"integer {_bits} does not fit in a signed 64-bit value");
        return (long)_bits;
    }

    /// <summary>The integer as <see cref="ulong"/>; throws when it is not an integer or is negative.</summary>
    public ulong AsUInt64()
    {
        Expect(MsgPackKind.Int);
        if (_extra == 0 && (long)_bits < 0) throw new InvalidOperationException($"integer {(long)_bits} is negative");
        return _bits;
    }

    /// <summary>The float32 value; throws unless <see cref="MsgPackKind.Float32"/>.</summary>
    public float AsFloat32() => BitConverter.UInt32BitsToSingle((uint)Expect(MsgPackKind.Float32)._bits);

    /// <summary>A float32 or float64 value widened to double.</summary>
    public double AsDouble() => Kind switch
    {
        MsgPackKind.Float64 => BitConverter.UInt64BitsToDouble(_bits),
        MsgPackKind.Float32 => BitConverter.UInt32BitsToSingle((uint)_bits),
        _ => throw WrongKind("Float64"),
    };

    /// <summary>The string; throws unless <see cref="MsgPackKind.Str"/>.</summary>
    public string AsString() => (string)Expect(MsgPackKind.Str)._ref!;

    /// <summary>The bytes of a bin value (a slice of the decoder input).</summary>
    public ReadOnlyMemory<byte> AsBin() => Expect(MsgPackKind.Bin)._bytes;

    /// <summary>The items of an array.</summary>
    public IReadOnlyList<MsgPackValue> AsArray() => (MsgPackValue[])Expect(MsgPackKind.Array)._ref!;

    /// <summary>The key/value pairs of a map, in encoded order.</summary>
    public IReadOnlyList<KeyValuePair<MsgPackValue, MsgPackValue>> AsMap() =>
        (KeyValuePair<MsgPackValue, MsgPackValue>[])Expect(MsgPackKind.Map)._ref!;

    /// <summary>The extension type of an <see cref="MsgPackKind.Ext"/> value.</summary>
    public sbyte ExtType => (sbyte)(byte)Expect(MsgPackKind.Ext)._extra;

    /// <summary>The data of an <see cref="MsgPackKind.Ext"/> value.</summary>
    public ReadOnlyMemory<byte> ExtData => Expect(MsgPackKind.Ext)._bytes;

    /// <summary>Seconds since the Unix epoch of a timestamp.</summary>
    public long TimestampSeconds => (long)Expect(MsgPackKind.Timestamp)._bits;

    /// <summary>Nanoseconds (0..999999999) of a timestamp.</summary>
    public uint TimestampNanoseconds => Expect(MsgPackKind.Timestamp)._extra;

    /// <summary>The timestamp as a <see cref="DateTimeOffset"/> (UTC, truncated to 100 ns).</summary>
    public DateTimeOffset AsDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddSeconds(TimestampSeconds).AddTicks(TimestampNanoseconds / 100);

    /// <summary>Looks up a string key in a map (first match, linear scan).</summary>
    public bool TryGet(string key, out MsgPackValue value)
    {
        foreach (var pair in AsMap())
        {
            if (pair.Key.Kind == MsgPackKind.Str && (string)pair.Key._ref! == key)
            {
                value = pair.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <inheritdoc />
    public bool Equals(MsgPackValue other)
    {
        if (Kind != other.Kind || _bits != other._bits || _extra != other._extra) return false;
        return Kind switch
        {
            MsgPackKind.Str => (string)_ref! == (string)other._ref!,
            MsgPackKind.Bin or MsgPackKind.Ext => _bytes.Span.SequenceEqual(other._bytes.Span),
            MsgPackKind.Array => ((MsgPackValue[])_ref!).AsSpan().SequenceEqual((MsgPackValue[])other._ref!),
            MsgPackKind.Map => PairsEqual((KeyValuePair<MsgPackValue, MsgPackValue>[])_ref!, (KeyValuePair<MsgPackValue, MsgPackValue>[])other._ref!),
            _ => true,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MsgPackValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _extra, Kind == MsgPackKind.Str ? _ref : null);

    /// <summary>Structural equality.</summary>
    public static bool operator ==(MsgPackValue left, MsgPackValue right) => left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(MsgPackValue left, MsgPackValue right) => !left.Equals(right);

    /// <summary>A short description for messages, e.g. <c>str "abc"</c> or <c>array[3]</c>.</summary>
    public override string ToString() => Kind switch
    {
        MsgPackKind.Nil => "nil",
        MsgPackKind.Bool => _bits != 0 ? "true" : "false",
        MsgPackKind.Int => _extra == 1 ? _bits.ToString() : ((long)_bits).ToString(),
        MsgPackKind.Float32 or MsgPackKind.Float64 => $"{Kind.ToString().ToLowerInvariant()} {AsDouble():R}",
        MsgPackKind.Str => Describe((string)_ref!),
        MsgPackKind.Bin => $"bin[{_bytes.Length}]",
        MsgPackKind.Array => $"array[{((MsgPackValue[])_ref!).Length}]",
        MsgPackKind.Map => $"map[{((KeyValuePair<MsgPackValue, MsgPackValue>[])_ref!).Length}]",
        MsgPackKind.Ext => $"ext({(sbyte)(byte)_extra})[{_bytes.Length}]",
        _ => $"timestamp({(long)_bits}s, {_extra}ns)",
    };

    private static string Describe(string s)
    {
        var sb = new StringBuilder("str \"");
        sb.Append(s.Length <= 40 ? s : s[..40] + "...");
        return sb.Append('"').ToString();
    }

    private static bool PairsEqual(KeyValuePair<MsgPackValue, MsgPackValue>[] a, KeyValuePair<MsgPackValue, MsgPackValue>[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!a[i].Key.Equals(b[i].Key) || !a[i].Value.Equals(b[i].Value)) return false;
        return true;
    }

    private MsgPackValue Expect(MsgPackKind kind) => Kind == kind ? this : throw WrongKind(kind.ToString());

    private InvalidOperationException WrongKind(string expected) =>
        new($"expected a MessagePack {expected} value but found {this}");
}
