namespace Emergence.Engine.MessagePack;

/// <summary>
/// Thrown when MessagePack input is malformed, truncated, or exceeds a decoder limit.
/// The message and <see cref="Offset"/> name the byte where decoding failed.
/// </summary>
public sealed class MsgPackFormatException : Exception
{
    /// <summary>Creates the exception for a problem at byte <paramref name="offset"/>.</summary>
    public MsgPackFormatException(string message, long offset)
        : base($"{message} (at byte offset {offset})") => Offset = offset;

    /// <summary>Creates the exception with a message and no offset.</summary>
    public MsgPackFormatException(string message) : base(message) => Offset = -1;

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public MsgPackFormatException(string message, Exception inner) : base(message, inner) => Offset = -1;

    /// <summary>Creates the exception with no message.</summary>
    public MsgPackFormatException() => Offset = -1;

    /// <summary>Byte offset in the input where decoding failed, or -1 when unknown.</summary>
    public long Offset { get; }
}
