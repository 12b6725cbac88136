using Emergence.Contracts.Random;

namespace Emergence.Plugins.Genreg;

/// <summary>
/// Standard normals by Marsaglia and Tsang's ziggurat (128 strips) on a run stream: one 64-bit draw for ~99 % of values
/// (the polar method needs two uniforms, a log and a square root per pair). The strip index and the signed 32-bit value
/// come from disjoint bits of the draw. Used where Genreg draws many normals (mutation, random genomes).
/// </summary>
internal static class Ziggurat
{
    private const double R = 3.442619855899;
    private static readonly double[] Kn = new double[128];
    private static readonly double[] Wn = new double[128];
    private static readonly double[] Fn = new double[128];
    private static readonly bool Built = Build(); // a field initializer, not a static constructor: no class-init checks in hot code

    private static bool Build()
    {
        const double m1 = 2147483648.0, vn = 9.91256303526217e-3;
        double dn = R, tn = dn, q = vn / Math.Exp(-0.5 * dn * dn);
        Kn[0] = dn / q * m1;
        Kn[1] = 0;
        Wn[0] = q / m1;
        Wn[127] = dn / m1;
        Fn[0] = 1.0;
        Fn[127] = Math.Exp(-0.5 * dn * dn);
        for (int i = 126; i >= 1; i--)
        {
            dn = Math.Sqrt(-2.0 * Math.Log(vn / dn + Math.Exp(-0.5 * dn * dn)));
            Kn[i + 1] = dn / tn * m1;
            tn = dn;
            Fn[i] = Math.Exp(-0.5 * dn * dn);
            Wn[i] = dn / m1;
        }
        return true;
    }

    /// <summary>One N(0, 1) value.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Normal(RngStream rng)
    {
        ulong u = rng.NextUInt64();
        int iz = (int)(u & 127);
        int hz = (int)(u >> 32);
        double x = hz * Wn[iz];
        return Math.Abs((double)hz) < Kn[iz] ? x : Slow(rng, u);
    }

    /// <summary>The wedges and the tail (about 3 % of draws), starting from the draw <paramref name="u"/> that missed the box.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double Slow(RngStream rng, ulong u)
    {
        for (bool first = true; ; first = false)
        {
            if (!first) u = rng.NextUInt64();
            int iz = (int)(u & 127);
            int hz = (int)(u >> 32);
            double x = hz * Wn[iz];
            if (!first && Math.Abs((double)hz) < Kn[iz]) return x;
            if (iz == 0)
            {
                // The tail beyond R (Marsaglia's exponential method).
                double t, y;
                do
                {
                    t = -Math.Log(1.0 - rng.NextDouble()) / R;
                    y = -Math.Log(1.0 - rng.NextDouble());
                } while (y + y < t * t);
                return hz > 0 ? R + t : -R - t;
            }
            if (Fn[iz] + rng.NextDouble() * (Fn[iz - 1] - Fn[iz]) < Math.Exp(-0.5 * x * x)) return x;
        }
    }
}
