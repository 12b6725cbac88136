namespace Emergence.Engine.MessagePack;

/// <summary>The kind of a <see cref="MsgPackValue"/>: one per MessagePack type family.</summary>
internal enum MsgPackKind : byte
{
    /// <summary>nil.</summary>
    Nil,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>A signed or unsigned integer of up to 64 bits.</summary>
    Int,
    /// <summary>An IEEE 754 single.</summary>
    Float32,
    /// <summary>An IEEE 754 double.</summary>
    Float64,
    /// <summary>A UTF-8 string.</summary>
    Str,
    /// <summary>A byte array.</summary>
    Bin,
    /// <summary>A sequence of values.</summary>
    Array,
    /// <summary>An ordered sequence of key/value pairs; keys may be any kind.</summary>
    Map,
    /// <summary>An application extension (type, data) other than the timestamp.</summary>
    Ext,
    /// <summary>The timestamp extension (type -1).</summary>
    Timestamp,
}
