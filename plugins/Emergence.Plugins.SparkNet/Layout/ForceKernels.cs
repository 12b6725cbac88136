using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Emergence.Plugins.SparkNet.Kernels;

namespace Emergence.Plugins.SparkNet.Layout;

/// <summary>
/// Pairwise layout forces for one point i against all j, vectorised over j with Vector512 in a fixed
/// order (one accumulator, scalar tail, fixed horizontal sum); no FMA anywhere in these kernels.
/// </summary>
internal static class ForceKernels
{
    /// <summary>
    /// Faithful force (spec §6.4, signs as in the original code):
    /// F_i = Σ_j [−rep·(P_i−P_j)/d² + att·wscale·max(W_ij,0)·(P_i−P_j)], d = ‖P_i−P_j‖ + 1e−6.
    /// </summary>
    public static (float Fx, float Fy) Faithful(int i, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> wRow,
        float rep, float attScaled)
    {
        int n = x.Length, j = 0;
        float xi = x[i], yi = y[i];
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rw = ref MemoryMarshal.GetReference(wRow);
        Vector512<float> vxi = Vector512.Create(xi), vyi = Vector512.Create(yi), vrep = Vector512.Create(rep),
            vatt = Vector512.Create(attScaled), eps = Vector512.Create(1e-6f), fx = Vector512<float>.Zero, fy = Vector512<float>.Zero;
        for (; j <= n - 16; j += 16)
        {
            var dx = vxi - Vector512.LoadUnsafe(ref rx, (nuint)j);
            var dy = vyi - Vector512.LoadUnsafe(ref ry, (nuint)j);
            var d = Vector512.Sqrt(dx * dx + dy * dy) + eps;
            var c = vatt * Vector512.Max(Vector512.LoadUnsafe(ref rw, (nuint)j), Vector512<float>.Zero) - vrep / (d * d);
            fx += c * dx;
            fy += c * dy;
        }
        float tx = 0f, ty = 0f;
        for (; j < n; j++)
        {
            float dx = xi - Unsafe.Add(ref rx, j), dy = yi - Unsafe.Add(ref ry, j);
            float d = MathF.Sqrt(dx * dx + dy * dy) + 1e-6f;
            float c = attScaled * Math.Max(Unsafe.Add(ref rw, j), 0f) - rep / (d * d);
            tx += c * dx;
            ty += c * dy;
        }
        return (SimdKernels.HorizontalSum(fx) + tx, SimdKernels.HorizontalSum(fy) + ty);
    }

    /// <summary>
    /// Persistent force (spec §6.5): F_i = kr·Σ_j (P_i−P_j)/d² + ka·Σ_j A_ij (P_j−P_i), d = ‖P_i−P_j‖ + 1e−6,
    /// with A the symmetric, normalised positive weights.
    /// </summary>
    public static (float Fx, float Fy) Spring(int i, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> aRow,
        float kr, float ka)
    {
        int n = x.Length, j = 0;
        float xi = x[i], yi = y[i];
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float ra = ref MemoryMarshal.GetReference(aRow);
        Vector512<float> vxi = Vector512.Create(xi), vyi = Vector512.Create(yi), vkr = Vector512.Create(kr),
            vka = Vector512.Create(ka), eps = Vector512.Create(1e-6f), fx = Vector512<float>.Zero, fy = Vector512<float>.Zero;
        for (; j <= n - 16; j += 16)
        {
            var dx = vxi - Vector512.LoadUnsafe(ref rx, (nuint)j);
            var dy = vyi - Vector512.LoadUnsafe(ref ry, (nuint)j);
            var d = Vector512.Sqrt(dx * dx + dy * dy) + eps;
            var c = vkr / (d * d) - vka * Vector512.LoadUnsafe(ref ra, (nuint)j);
            fx += c * dx;
            fy += c * dy;
        }
        float tx = 0f, ty = 0f;
        for (; j < n; j++)
        {
            float dx = xi - Unsafe.Add(ref rx, j), dy = yi - Unsafe.Add(ref ry, j);
            float d = MathF.Sqrt(dx * dx + dy * dy) + 1e-6f;
            float c = kr / (d * d) - ka * Unsafe.Add(ref ra, j);
            tx += c * dx;
            ty += c * dy;
        }
        return (SimdKernels.HorizontalSum(fx) + tx, SimdKernels.HorizontalSum(fy) + ty);
    }
}
