using System.Runtime.InteropServices;

namespace Emergence.Engine.Checkpoints;

/// <summary>The tensor and RNG layouts shared by <see cref="StateTreeWriter"/> and <see cref="StateTreeReader"/>.</summary>
internal static class StateTensor
{
    /// <summary>dtype name of float32 tensors.</summary>
    public const string Float32 = "float32";

    /// <summary>dtype name of float64 tensors.</summary>
    public const string Float64 = "float64";

    /// <summary>dtype name of int32 tensors.</summary>
    public const string Int32 = "int32";

    /// <summary>dtype name of int64 tensors.</summary>
    public const string Int64 = "int64";

    /// <summary>The only RNG algorithm name.</summary>
    public const string Xoshiro = "xoshiro256**";

    /// <summary>Copies elements as little-endian bytes into <paramref name="destination"/> (one memcpy on little-endian hosts).</summary>
    public static void CopyLittleEndian<T>(ReadOnlySpan<T> data, Span<byte> destination) where T : unmanaged
    {
        MemoryMarshal.AsBytes(data).CopyTo(destination);
        if (!BitConverter.IsLittleEndian) ReverseElements<T>(destination);
    }

    /// <summary>Copies little-endian bytes into a new element array (one memcpy on little-endian hosts).</summary>
    public static T[] FromLittleEndian<T>(ReadOnlySpan<byte> bytes) where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(bytes.Length / Marshal.SizeOf<T>());
        var destination = MemoryMarshal.AsBytes(result.AsSpan());
        bytes.CopyTo(destination);
        if (!BitConverter.IsLittleEndian) ReverseElements<T>(destination);
        return result;
    }

    private static void ReverseElements<T>(Span<byte> bytes) where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }
}
