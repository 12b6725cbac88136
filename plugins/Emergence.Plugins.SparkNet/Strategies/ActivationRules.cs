using System.ComponentModel;
using Emergence.Plugins.SparkNet.Kernels;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Options of the activation rules (none: they use the trainer's state_decay and noise_std).</summary>
public sealed class ActivationOptions
{
}

/// <summary>Options of the <c>leaky</c> activation rule.</summary>
public sealed class LeakyActivationOptions
{
    /// <summary>Leak α: s ← α·s + (1−α)·σ(W·s + σ_n ξ). Null (default) uses the trainer's state_decay as α.</summary>
    [Description("Leak alpha in s <- alpha*s + (1-alpha)*sigmoid(W s + noise). Default null = use state_decay. Range [0,1].")]
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double? Leak { get; set; }
}

/// <summary>Shared recurrent input: pre_i = Σ_j W_ij x_j + σ_n ξ_i, with ξ drawn in index order.</summary>
internal abstract class RecurrentActivation
{
    private float[] _x = [];
    private float[] _pre = [];

    /// <summary>Computes pre = W·(scale·s) + σ_n ξ into a scratch buffer and returns it.</summary>
    protected Span<float> PreActivation(in SparkStep step, float scale)
    {
        var model = step.Model;
        int n = model.N;
        if (_x.Length != n) { _x = new float[n]; _pre = new float[n]; }
        for (int j = 0; j < n; j++) _x[j] = scale * model.S[j];
        SimdKernels.MatVec(model.W, _x, _pre);
        float sigma = (float)step.Options.NoiseStd;
        var rng = step.Simulation;
        for (int i = 0; i < n; i++) _pre[i] += sigma * (float)rng.NextNormal();
        return _pre;
    }
}

/// <summary>Faithful (<c>overwrite</c>): s_i ← σ(Σ_j W_ij γ_s s_j + σ_n ξ_i); s is overwritten, so γ_s only scales the input (spec bug 2).</summary>
internal sealed class OverwriteActivation : RecurrentActivation, IActivationRule
{
    public void Update(in SparkStep step)
    {
        var pre = PreActivation(step, (float)step.Options.StateDecay);
        var s = step.Model.S;
        for (int i = 0; i < s.Length; i++) s[i] = SimdKernels.Sigmoid(pre[i]);
    }
}

/// <summary><c>leaky</c> (fix for bug 2): s_i ← α s_i + (1−α) σ(Σ_j W_ij s_j + σ_n ξ_i), α = leak or state_decay.</summary>
internal sealed class LeakyActivation(LeakyActivationOptions options) : RecurrentActivation, IActivationRule
{
    public void Update(in SparkStep step)
    {
        var pre = PreActivation(step, 1f);
        float alpha = (float)(options.Leak ?? step.Options.StateDecay);
        var s = step.Model.S;
        for (int i = 0; i < s.Length; i++) s[i] = alpha * s[i] + (1f - alpha) * SimdKernels.Sigmoid(pre[i]);
    }
}

/// <summary><c>relu_clamp</c> (v5): s_i ← clamp(Σ_j W_ij γ_s s_j + σ_n ξ_i, 0, 1).</summary>
internal sealed class ReluClampActivation : RecurrentActivation, IActivationRule
{
    public void Update(in SparkStep step)
    {
        var pre = PreActivation(step, (float)step.Options.StateDecay);
        var s = step.Model.S;
        for (int i = 0; i < s.Length; i++) s[i] = Math.Clamp(pre[i], 0f, 1f);
    }
}
