using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Strategies;

namespace Emergence.Plugins.SparkNet.Layout;

/// <summary>Options of the <c>faithful</c> layout (spec §6.4).</summary>
public sealed class FaithfulLayoutOptions
{
    /// <summary>Force iterations per call. Default 5; ≥ 1.</summary>
    [Description("Force iterations per layout call (layout_force_steps). Default 5. Range >= 1.")]
    [Range(1, 10_000)]
    [LiveEditable]
    public int ForceSteps { get; set; } = 5;

    /// <summary>Step size. Default 0.01; &gt; 0.</summary>
    [Description("Step size P += lr*F (layout_lr). Default 0.01. Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    [LiveEditable]
    public double Lr { get; set; } = 0.01;

    /// <summary>The "repulsion" constant (acts as a pull, magnitude rep/d). Default 0.001.</summary>
    [Description("Repulsion coefficient (layout_rep_coef; with the original's sign it pulls). Default 0.001. Range >= 0.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double RepCoef { get; set; } = 0.001;

    /// <summary>The "attraction" constant (acts as a push ∝ weight). Default 0.02.</summary>
    [Description("Attraction coefficient (layout_att_coef; with the original's sign it pushes). Default 0.02. Range >= 0.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double AttCoef { get; set; } = 0.02;
}

/// <summary>Options of the <c>persistent</c> spring layout (spec §6.5, v25 constants).</summary>
public sealed class PersistentLayoutOptions
{
    /// <summary>Iterations per call. Default 2.</summary>
    [Description("Iterations per layout call. Default 2. Range >= 1.")]
    [Range(1, 10_000)]
    [LiveEditable]
    public int Iterations { get; set; } = 2;

    /// <summary>k_r, repulsion. Default 5e-4.</summary>
    [Description("Repulsion k_r. Default 5e-4. Range >= 0.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double Repulsion { get; set; } = 5e-4;

    /// <summary>k_a, attraction along A = (Wp+Wpᵀ)/2. Default 1e-3.</summary>
    [Description("Attraction k_a along A = (Wp + Wp^T)/2. Default 1e-3. Range >= 0.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double Attraction { get; set; } = 1e-3;

    /// <summary>Time step. Default 0.1.</summary>
    [Description("Time step dt. Default 0.1. Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    [LiveEditable]
    public double Dt { get; set; } = 0.1;

    /// <summary>Velocity damping per iteration, v ← damping·v + dt·F. Default 0.8; [0, 1).</summary>
    [Description("Velocity damping per iteration (v <- damping*v + dt*F). Default 0.8. Range [0,1).")]
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    [LiveEditable]
    public double Damping { get; set; } = 0.8;

    /// <summary>Largest displacement of a point per iteration. Default 0.1; &gt; 0.</summary>
    [Description("Displacement cap per point and iteration. Default 0.1. Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    [LiveEditable]
    public double MaxStep { get; set; } = 0.1;
}

/// <summary>Options of the <c>mds</c> layout (v23).</summary>
public sealed class MdsLayoutOptions
{
    /// <summary>Power iterations per eigenvector. Default 100.</summary>
    [Description("Power iterations per eigenvector. Default 100. Range >= 1.")]
    [Range(1, 100_000)]
    [LiveEditable]
    public int Iterations { get; set; } = 100;
}

/// <summary>Positive weights normalised by their maximum: Wp = max(W,0)/max W when max W &gt; 0. Returns the scale 1/max (or 1).</summary>
internal static class PositiveWeights
{
    public static float Scale(float[] w)
    {
        float max = float.NegativeInfinity;
        foreach (float v in w) max = Math.Max(max, v);
        return max > 0 ? 1f / max : 1f;
    }
}

/// <summary>
/// Faithful layout: every call starts from fresh P ~ N(0, I₂) (layout stream, drawn x then y per point),
/// then force_steps Jacobi iterations of the original force with its reversed signs. Never feeds back.
/// </summary>
internal sealed class FaithfulLayout(FaithfulLayoutOptions options) : ILayoutRule
{
    private float[] _fx = [], _fy = [];

    public bool CarriesState => false;

    public void Begin(LayoutState layout, RngStream layoutRng)
    {
        for (int i = 0; i < layout.StartX.Length; i++)
        {
            layout.StartX[i] = (float)layoutRng.NextNormal();
            layout.StartY[i] = (float)layoutRng.NextNormal();
        }
    }

    public void Compute(LayoutState layout, SparkNetModel model, RngStream layoutRng)
    {
        int n = model.N;
        layout.ShiftToPrevious();
        layout.StartX.CopyTo(layout.X, 0);
        layout.StartY.CopyTo(layout.Y, 0);
        if (_fx.Length != n) { _fx = new float[n]; _fy = new float[n]; }
        float att = (float)options.AttCoef * PositiveWeights.Scale(model.W), rep = (float)options.RepCoef, lr = (float)options.Lr;
        for (int it = 0; it < options.ForceSteps; it++)
        {
            for (int i = 0; i < n; i++)
                (_fx[i], _fy[i]) = ForceKernels.Faithful(i, layout.X, layout.Y, model.W.AsSpan(i * n, n), rep, att);
            for (int i = 0; i < n; i++)
            {
                layout.X[i] += lr * _fx[i];
                layout.Y[i] += lr * _fy[i];
            }
        }
        layout.MarkComputed();
    }
}

/// <summary>
/// Persistent spring layout (proposal; v24/v25 signs): positions and velocities carry over between calls;
/// repulsion k_r/d, attraction k_a·A_ij along edges, damping, a displacement cap and centre-of-mass removal.
/// Starts from N(0, I₂) drawn from the layout stream at its first call.
/// </summary>
internal sealed class PersistentLayout(PersistentLayoutOptions options) : ILayoutRule
{
    private float[] _a = [], _fx = [], _fy = [];

    public bool CarriesState => true;

    public void Begin(LayoutState layout, RngStream layoutRng)
    {
    }

    public void Compute(LayoutState layout, SparkNetModel model, RngStream layoutRng)
    {
        int n = model.N;
        if (layout.ComputedCall == 0)
            for (int i = 0; i < n; i++) { layout.X[i] = (float)layoutRng.NextNormal(); layout.Y[i] = (float)layoutRng.NextNormal(); }
        layout.ShiftToPrevious();
        BuildSymmetric(model);
        float kr = (float)options.Repulsion, ka = (float)options.Attraction, dt = (float)options.Dt;
        float damping = (float)options.Damping, cap = (float)options.MaxStep;
        for (int it = 0; it < options.Iterations; it++)
        {
            for (int i = 0; i < n; i++)
                (_fx[i], _fy[i]) = ForceKernels.Spring(i, layout.X, layout.Y, _a.AsSpan(i * n, n), kr, ka);
            for (int i = 0; i < n; i++)
            {
                float vx = damping * layout.VX[i] + dt * _fx[i], vy = damping * layout.VY[i] + dt * _fy[i];
                float len = MathF.Sqrt(vx * vx + vy * vy);
                if (len > cap) { vx *= cap / len; vy *= cap / len; }
                layout.VX[i] = vx;
                layout.VY[i] = vy;
                layout.X[i] += vx;
                layout.Y[i] += vy;
            }
            RemoveCentre(layout.X);
            RemoveCentre(layout.Y);
        }
        layout.MarkComputed();
    }

    private void BuildSymmetric(SparkNetModel model)
    {
        int n = model.N;
        if (_a.Length != n * n) { _a = new float[n * n]; _fx = new float[n]; _fy = new float[n]; }
        float scale = PositiveWeights.Scale(model.W);
        var w = model.W;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            _a[i * n + j] = 0.5f * scale * (Math.Max(w[i * n + j], 0f) + Math.Max(w[j * n + i], 0f));
    }

    private static void RemoveCentre(float[] v)
    {
        double sum = 0;
        foreach (float x in v) sum += x;
        float mean = (float)(sum / v.Length);
        for (int i = 0; i < v.Length; i++) v[i] -= mean;
    }
}
