using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Operations;
using static Emergence.Tensors.Tests.Support.GradCheck;

namespace Emergence.Tensors.Tests.Operations;

public sealed class AttentionOpTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MultiHeadAttention_Float64_MatchesFiniteDifferences(bool causal)
    {
        var rng = new RngStream(31);
        Check(x => Ops.MultiHeadAttention(x[0], x[1], x[2], 2, causal), Random(rng, 2, 3, 4), Random(rng, 2, 3, 4), Random(rng, 2, 3, 4));
        Check(x => Ops.MultiHeadAttention(x[0], x[0], x[1], 3, causal), Random(rng, 1, 4, 6), Random(rng, 1, 4, 6)); // q = k shared
    }

    [Theory]
    [InlineData(1, 0, 1, 4, false)]
    [InlineData(1, 1, 1, 1, true)]
    [InlineData(2, 3, 4, 8, true)]
    [InlineData(3, 5, 2, 3, false)]
    [InlineData(2, 7, 4, 32, true)]
    [InlineData(1, 17, 1, 130, false)]
    public void MultiHeadAttention_MatchesUnfusedOpsAndTheirGradients(int b, int t, int heads, int d, bool causal)
    {
        var rng = new RngStream(32);
        int c = heads * d;
        var q = Random(rng, b, t, c).WithGrad();
        var k = Random(rng, b, t, c).WithGrad();
        var v = Random(rng, b, t, c).WithGrad();
        var dy = Random(rng, b, t, c);
        var tape = new Tape<double>();
        double[] fused, unfused;
        double[][] gFused, gUnfused;
        using (tape.Record())
        {
            fused = Ops.MultiHeadAttention(q, k, v, heads, causal).ToArray();
            tape.Backward(Ops.Sum(Ops.Mul(Ops.MultiHeadAttention(q, k, v, heads, causal), dy)));
            gFused = [G(q), G(k), G(v)];
        }
        q.Grad = k.Grad = v.Grad = null;
        using (tape.Record())
        {
            unfused = Unfused(q, k, v, heads, causal).ToArray();
            tape.Backward(Ops.Sum(Ops.Mul(Unfused(q, k, v, heads, causal), dy)));
            gUnfused = [G(q), G(k), G(v)];
        }
        fused.Should().Equal(unfused, (x, y) => Math.Abs(x - y) <= 1e-12 * (1 + Math.Abs(y)));
        for (int i = 0; i < 3; i++) gFused[i].Should().Equal(gUnfused[i], (x, y) => Math.Abs(x - y) <= 1e-12 * (1 + Math.Abs(y)));
    }

    [Theory]
    [InlineData(3, 4, 8, true)]
    [InlineData(1, 5, 8, false)]
    [InlineData(4, 9, 8, true)]
    [InlineData(2, 3, 7, true)]
    public void MultiHeadAttention_Float_MatchesDoubleForwardAndGradients(int t, int heads, int d, bool causal)
    {
        var rng = new RngStream(33);
        int b = 3, c = heads * d;
        var qd = Random(rng, b, t, c);
        var kd = Random(rng, b, t, c);
        var vd = Random(rng, b, t, c);
        var dyd = Random(rng, b, t, c);
        Tensor<float> F(Tensor<double> x) => Tensor<float>.From(Array.ConvertAll(x.ToArray(), v => (float)v), x.Shape.ToArray());
        var (qf, kf, vf, dyf) = (F(qd).WithGrad(), F(kd).WithGrad(), F(vd).WithGrad(), F(dyd));
        (qd, kd, vd) = (qd.WithGrad(), kd.WithGrad(), vd.WithGrad());
        double[] yd, yf;
        var td = new Tape<double>();
        var tf = new Tape<float>();
        using (td.Record())
        {
            var y = Ops.MultiHeadAttention(qd, kd, vd, heads, causal);
            yd = y.ToArray();
            td.Backward(Ops.Sum(Ops.Mul(y, dyd)));
        }
        using (tf.Record())
        {
            var y = Ops.MultiHeadAttention(qf, kf, vf, heads, causal);
            yf = Array.ConvertAll(y.ToArray(), v => (double)v);
            tf.Backward(Ops.Sum(Ops.Mul(y, dyf)));
        }
        yf.Should().Equal(yd, (x, y) => Math.Abs(x - y) <= 1e-5 * (1 + Math.Abs(y)));
        foreach (var (gf, gd) in new[] { (qf.Grad!, qd.Grad!), (kf.Grad!, kd.Grad!), (vf.Grad!, vd.Grad!) })
            Array.ConvertAll(gf.ToArray(), v => (double)v).Should().Equal(gd.ToArray(), (x, y) => Math.Abs(x - y) <= 1e-4 * (1 + Math.Abs(y)));
    }

    [Fact]
    public void MultiHeadAttention_NaNScore_MakesItsRowNaN()
    {
        var q = Tensor<float>.Zeros(1, 2, 2);
        var k = Tensor<float>.Zeros(1, 2, 2);
        var v = Tensor<float>.Full(1f, 1, 2, 2);
        q[2] = float.NaN; // query 1, channel 0
        var y = Ops.MultiHeadAttention(q, k, v, 1, causal: true).ToArray();
        y[..2].Should().Equal(1f, 1f);
        float.IsNaN(y[2]).Should().BeTrue();
        float.IsNaN(y[3]).Should().BeTrue();
    }

    // An empty sequence has no gradient path at all (no buffer is ever allocated).
    private static double[] G(Tensor<double> x) => x.Grad?.ToArray() ?? new double[x.Length];

    // The composition MultiHeadAttention used before fusing: (B, T, C) -> (B, H, T, D), scores, mask, softmax, merge.
    private static Tensor<double> Unfused(Tensor<double> q, Tensor<double> k, Tensor<double> v, int h, bool causal)
    {
        int b = q.Shape[0], t = q.Shape[1], c = q.Shape[2], d = c / h;
        Tensor<double> Heads(Tensor<double> x) => Ops.Permute(Ops.Reshape(x, b, t, h, d), 0, 2, 1, 3);
        var scores = Ops.Affine(Ops.MatMul(Heads(q), Heads(k), transposeB: true), 1 / Math.Sqrt(d), 0.0);
        if (causal)
        {
            var mask = new bool[t * t];
            for (int i = 0; i < t; i++)
                for (int j = i + 1; j < t; j++) mask[i * t + j] = true;
            scores = Ops.MaskedFill(scores, mask, double.NegativeInfinity);
        }
        var att = Ops.MatMul(Ops.Softmax(scores), Heads(v));
        return Ops.Reshape(Ops.Permute(att, 0, 2, 1, 3), b, t, c);
    }
}
