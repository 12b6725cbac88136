using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Per-thread, 64-byte-aligned packing buffers on the pinned object heap, with at least 16 floats of
/// slack past the requested length (packing may spill into it). They grow to the
/// largest block a thread has seen and are then reused, so repeated GEMMs allocate nothing.
/// </summary>
internal static unsafe class GemmBuffers
{
    [ThreadStatic] private static float[]? packA;
    [ThreadStatic] private static float[]? packB;

    /// <summary>Aligned scratch of at least <paramref name="length"/> floats for packed A on this thread.</summary>
    public static float* A(int length) => Aligned(ref packA, length);

    /// <summary>Aligned scratch of at least <paramref name="length"/> floats for packed B on this thread.</summary>
    public static float* B(int length) => Aligned(ref packB, length);

    /// <summary>A 64-byte-aligned pointer into <paramref name="buffer"/>, grown (pinned) to at least <paramref name="length"/> floats plus slack.</summary>
    internal static float* Aligned(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + 32)
        {
            buffer = GC.AllocateUninitializedArray<float>(length + 32, pinned: true);
        }
        // Pinned-heap arrays never move, so the address stays valid for the buffer's lifetime.
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((p + 63) & ~(nint)63);
    }
}
