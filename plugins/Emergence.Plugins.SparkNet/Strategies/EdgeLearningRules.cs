using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Options of the <c>boost</c> edge rule (v18).</summary>
public sealed class BoostEdgeOptions
{
    /// <summary>Multiplier of the used edge. Default 1.5.</summary>
    [Description("Multiplier of the used edge: W_qp <- factor*W_qp + bonus. Default 1.5. Range [0,100].")]
    [Range(0.0, 100.0)]
    [LiveEditable]
    public double Factor { get; set; } = 1.5;

    /// <summary>Constant added to the used edge. Default 0.05.</summary>
    [Description("Constant added to the used edge. Default 0.05. Range [-10,10].")]
    [Range(-10.0, 10.0)]
    [LiveEditable]
    public double Bonus { get; set; } = 0.05;
}

/// <summary>Options of the <c>ripple</c> edge rule (v24/v25).</summary>
public sealed class RippleEdgeOptions
{
    /// <summary>How many of q's strongest outgoing edges receive the ripple. Default 5; ≥ 0 and &lt; n_neurons.</summary>
    [Description("Number of q's strongest outgoing edges (column q) that receive the ripple. Default 5. Range [0, n_neurons-1].")]
    [Range(0, 20_000)]
    [LiveEditable]
    public int TopM { get; set; } = 5;

    /// <summary>Ripple learning rate as a fraction of lr_edge. Default 0.5; [0, 1].</summary>
    [Description("Ripple rate as a fraction of lr_edge. Default 0.5. Range [0,1].")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double Gain { get; set; } = 0.5;
}

/// <summary>Faithful <c>ema</c>: W_qp ← (1−η) W_qp + η s_p (no post-synaptic term, bug 5).</summary>
internal sealed class EmaEdge : IEdgeLearningRule
{
    public void Learn(in SparkStep step, int from, int to)
    {
        var model = step.Model;
        int idx = to * model.N + from;
        float eta = (float)step.Options.LrEdge;
        model.W[idx] = (1f - eta) * model.W[idx] + eta * model.S[from];
        step.Visits.Add(idx);
    }
}

/// <summary><c>additive</c> (v16): W_qp ← W_qp + η s_p.</summary>
internal sealed class AdditiveEdge : IEdgeLearningRule
{
    public void Learn(in SparkStep step, int from, int to)
    {
        var model = step.Model;
        int idx = to * model.N + from;
        model.W[idx] += (float)step.Options.LrEdge * model.S[from];
        step.Visits.Add(idx);
    }
}

/// <summary><c>boost</c> (v18): W_qp ← factor·W_qp + bonus (clipped later by the weight-decay rule).</summary>
internal sealed class BoostEdge(BoostEdgeOptions options) : IEdgeLearningRule
{
    public void Learn(in SparkStep step, int from, int to)
    {
        var model = step.Model;
        int idx = to * model.N + from;
        model.W[idx] = (float)options.Factor * model.W[idx] + (float)options.Bonus;
        step.Visits.Add(idx);
    }
}

/// <summary><c>hebbian</c> (pre×post): W_qp ← W_qp + η s_p s_q, with s_q before the spark's energy is written.</summary>
internal sealed class HebbianEdge : IEdgeLearningRule
{
    public void Learn(in SparkStep step, int from, int to)
    {
        var model = step.Model;
        int idx = to * model.N + from;
        model.W[idx] += (float)step.Options.LrEdge * model.S[from] * model.S[to];
        step.Visits.Add(idx);
    }
}

/// <summary>
/// <c>ripple</c> (v24/v25, reconstructed): the faithful EMA on W_qp, then the <c>top_m</c> strongest
/// outgoing edges of q (W_jq, j ≠ q, ties to the lower index) move toward s_q at rate gain·η.
/// </summary>
internal sealed class RippleEdge(RippleEdgeOptions options) : IEdgeLearningRule
{
    private int[] _top = [];

    public void Learn(in SparkStep step, int from, int to)
    {
        var model = step.Model;
        int n = model.N;
        int idx = to * n + from;
        float eta = (float)step.Options.LrEdge;
        model.W[idx] = (1f - eta) * model.W[idx] + eta * model.S[from];
        step.Visits.Add(idx);
        int m = Math.Min(options.TopM, n - 1);
        if (m <= 0) return;
        if (_top.Length < m) _top = new int[m];
        int count = TopOutgoing(model.W, n, to, m, _top);
        float rate = eta * (float)options.Gain, sq = model.S[to];
        for (int r = 0; r < count; r++)
        {
            int e = _top[r] * n + to;
            model.W[e] = (1f - rate) * model.W[e] + rate * sq;
            step.Visits.Add(e);
        }
    }

    /// <summary>The rows j ≠ q of the m largest W[j, q], largest first (insertion into a small sorted list).</summary>
    internal static int TopOutgoing(float[] w, int n, int q, int m, int[] top)
    {
        int count = 0;
        for (int j = 0; j < n; j++)
        {
            if (j == q) continue;
            float v = w[j * n + q];
            if (count == m && v <= w[top[count - 1] * n + q]) continue;
            int pos = count < m ? count++ : m - 1;
            while (pos > 0 && w[top[pos - 1] * n + q] < v) { top[pos] = top[pos - 1]; pos--; }
            top[pos] = j;
        }
        return count;
    }
}
