using System.Runtime.Intrinsics;

namespace Emergence.Plugins.Genreg;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014) as a counter-based generator: output i of the sequence seeded by s is
/// Mix(s + i·Gamma), so any block of outputs is computed directly, eight per vector. Seeded by one draw of a run stream
/// where Genreg needs many uniforms at once (mutation masks). Integer arithmetic only, so results never depend on the JIT:
/// the vector transcendentals (<c>Vector512.Log</c>, <c>SinCos</c>, …) are not used for draws, because the code the JIT
/// makes for them at tier 0 and at tier 1 can differ in the last bit (docs/determinism.md).
/// </summary>
internal static class SplitMix
{
    /// <summary>The golden-ratio increment.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>The output function.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>The output function on eight states.</summary>
    public static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EB);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }
}
