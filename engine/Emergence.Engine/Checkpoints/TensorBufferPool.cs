namespace Emergence.Engine.Checkpoints;

/// <summary>
/// Keeps large tensor copy buffers between checkpoints. First-touching fresh memory costs about
/// 0.8 ms per MB on the VMs we run on (page faults), 5x the copy itself, and a run's tensors have
/// the same sizes at every checkpoint, so buffers are matched by exact length. At most 1 GiB is
/// retained; small buffers are not pooled.
/// </summary>
internal static class TensorBufferPool
{
    private const int MinPooledLength = 1 << 20;
    private const long MaxRetainedBytes = 1L << 30;
    private static readonly object Gate = new();
    private static readonly List<byte[]> Free = [];
    private static long _retained;

    /// <summary>A buffer of exactly <paramref name="length"/> bytes with undefined contents.</summary>
    public static byte[] Rent(int length)
    {
        if (length >= MinPooledLength)
        {
            lock (Gate)
            {
                int index = Free.FindIndex(b => b.Length == length);
                if (index >= 0)
                {
                    var buffer = Free[index];
                    Free.RemoveAt(index);
                    _retained -= length;
                    return buffer;
                }
            }
        }
        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Gives a buffer back; the caller must not use it afterwards.</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length < MinPooledLength) return;
        lock (Gate)
        {
            if (_retained + buffer.Length > MaxRetainedBytes) return;
            Free.Add(buffer);
            _retained += buffer.Length;
        }
    }
}
