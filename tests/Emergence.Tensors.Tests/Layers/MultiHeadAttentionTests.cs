using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Layers;
using static Emergence.Tensors.Tests.Support.GradCheck;

namespace Emergence.Tensors.Tests.Layers;

public sealed class MultiHeadAttentionTests
{
    [Fact]
    public void Forward_Float64_GradientsMatchFiniteDifferences()
    {
        var ps = new ParameterCollection<double>();
        var mha = new MultiHeadAttention<double>(ps, "attn", 8, 2, causal: true, new RngStream(4));
        var x = Random(new RngStream(5), 2, 3, 8);
        Check(t => mha.Forward(t[0]), x, ps["attn.q.weight"], ps["attn.v.bias"], ps["attn.o.weight"]);
    }

    [Fact]
    public void Forward_Causal_EarlierPositionsIgnoreLaterTokens()
    {
        var ps = new ParameterCollection<double>();
        var mha = new MultiHeadAttention<double>(ps, "attn", 8, 2, causal: true, new RngStream(4));
        var x = Random(new RngStream(6), 1, 3, 8);
        double[] before, after;
        using (GradMode.NoGrad())
        {
            before = mha.Forward(x).ToArray();
            for (int i = 16; i < 24; i++) x[i] += 1.0; // change the last token only
            after = mha.Forward(x).ToArray();
        }
        after[..16].Should().Equal(before[..16]);
        after[16..].Should().NotEqual(before[16..]);
    }
}
