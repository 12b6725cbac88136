namespace Emergence.Engine.MessagePack;

/// <summary>
/// A stream that can take a whole large payload as memory rather than a span, so it may work on it
/// off the calling thread (e.g. write it to disk while hashing it). <see cref="MsgPackWriter"/> hands
/// bin payloads it received as memory to such streams.
/// </summary>
internal interface IMemoryWriteTarget
{
    /// <summary>Writes all of <paramref name="data"/>; returns when it has been written.</summary>
    void WriteMemory(ReadOnlyMemory<byte> data);
}
