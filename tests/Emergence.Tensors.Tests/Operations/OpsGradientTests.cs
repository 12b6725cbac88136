using Emergence.Contracts.Random;
using Emergence.Tensors.Operations;
using static Emergence.Tensors.Tests.Support.GradCheck;

namespace Emergence.Tensors.Tests.Operations;

public sealed class OpsGradientTests
{
    private readonly RngStream _rng = new(7);

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 })]
    [InlineData(new[] { 2, 1, 3 }, new[] { 2, 4, 1 })]
    [InlineData(new[] { 1 }, new[] { 2, 2, 2, 2 })]
    public void Arithmetic_Broadcasting_MatchesFiniteDifferences(int[] sa, int[] sb)
    {
        var a = Random(_rng, sa);
        var b = Random(_rng, sb);
        for (int i = 0; i < b.Length; i++) b[i] = 1.5 + Math.Abs(b[i]); // keep divisors away from 0
        Check(x => Ops.Add(x[0], x[1]), a, b);
        Check(x => Ops.Sub(x[0], x[1]), a, b);
        Check(x => Ops.Mul(x[0], x[1]), a, b);
        Check(x => Ops.Div(x[0], x[1]), a, b);
        Check(x => -(x[0] * 3.0 + 1.0) / 2.0, a);
    }

    [Fact]
    public void SharedIntermediate_FirstGradientAssignedThenAccumulated_MatchesFiniteDifferences()
    {
        // h feeds ops whose backward overwrites a fresh gradient (linear, layer norm, add, unary, cross-entropy)
        // and ops that accumulate onto it afterwards, in both orders.
        var x = Random(_rng, 4, 6);
        var w = Random(_rng, 6, 6);
        Check(t =>
        {
            var h = Ops.Tanh(t[0]);
            var mixed = Ops.Add(Ops.Add(Ops.Linear(h, t[1], null), Ops.Gelu(Ops.LayerNorm(h, null, null))), Ops.Add(h, h));
            return Ops.Add(Ops.CrossEntropy(Ops.Add(mixed, Ops.Sigmoid(h)), [0, 5, 2, 3]), Ops.Sum(Ops.Mul(h, h)));
        }, x, w);
    }

    [Fact]
    public void Unary_AllKinds_MatchFiniteDifferences()
    {
        var x = Random(_rng, 3, 5);
        Check(t => Ops.Tanh(t[0]), x);
        Check(t => Ops.Sigmoid(t[0]), x);
        Check(t => Ops.Relu(t[0]), x);
        Check(t => Ops.Gelu(t[0]), x);
        Check(t => Ops.Exp(t[0]), x);
        var pos = Random(_rng, 3, 5);
        for (int i = 0; i < pos.Length; i++) pos[i] = 0.5 + Math.Abs(pos[i]);
        Check(t => Ops.Log(t[0]), pos);
        Check(t => Ops.Clamp(t[0], -0.5, 0.5), x);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMul_TransposeFlags_MatchFiniteDifferences(bool ta, bool tb)
    {
        var a = Random(_rng, ta ? [4, 3] : [3, 4]);
        var b = Random(_rng, tb ? [5, 4] : [4, 5]);
        Check(x => Ops.MatMul(x[0], x[1], ta, tb), a, b);
        var ab = Random(_rng, ta ? [2, 4, 3] : [2, 3, 4]);
        var bb = Random(_rng, tb ? [2, 5, 4] : [2, 4, 5]);
        Check(x => Ops.MatMul(x[0], x[1], ta, tb), ab, bb);
        Check(x => Ops.MatMul(x[0], x[1], ta, tb), ab, b);
    }

    [Fact]
    public void Linear_WithAndWithoutBias_MatchesFiniteDifferences()
    {
        var x = Random(_rng, 2, 3, 5);
        Check(t => Ops.Linear(t[0], t[1], t[2]), x, Random(_rng, 4, 5), Random(_rng, 4));
        Check(t => Ops.Linear(t[0], t[1], null), x, Random(_rng, 20, 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Reductions_OverAxis_MatchFiniteDifferences(int axis)
    {
        var x = Random(_rng, 3, 4, 5);
        Check(t => Ops.Sum(t[0], axis), x);
        Check(t => Ops.Mean(t[0], axis, keepDim: true), x);
        Check(t => Ops.Max(t[0], axis), x);
        Check(t => Ops.Sum(t[0]), x);
        Check(t => Ops.Mean(t[0]), x);
    }

    [Fact]
    public void SoftmaxFamily_MatchesFiniteDifferences()
    {
        var x = Random(_rng, 2, 3, 6);
        Check(t => Ops.Softmax(t[0]), x);
        Check(t => Ops.LogSoftmax(t[0]), x);
        Check(t => Ops.CrossEntropy(t[0], [0, 5, 2, 3, 3, 1]), x);
    }

    [Fact]
    public void Mse_BothInputs_MatchFiniteDifferences()
    {
        Check(t => Ops.Mse(t[0], t[1]), Random(_rng, 4, 3), Random(_rng, 4, 3));
    }

    [Fact]
    public void LayerNorm_WithAndWithoutAffine_MatchesFiniteDifferences()
    {
        var x = Random(_rng, 2, 3, 8);
        Check(t => Ops.LayerNorm(t[0], t[1], t[2]), x, Random(_rng, 8), Random(_rng, 8));
        Check(t => Ops.LayerNorm(t[0], null, null), x);
    }

    [Fact]
    public void EmbeddingAndIndexing_RepeatedIndices_AccumulateGradients()
    {
        var w = Random(_rng, 5, 3);
        Check(t => Ops.Embedding(t[0], [1, 4, 1, 0, 1, 2], new Shape(2, 3)), w);
        var x = Random(_rng, 3, 4, 2);
        Check(t => Ops.IndexSelect(t[0], 1, [3, 0, 3]), x);
        Check(t => Ops.Gather(t[0], 1, [0, 1, 3, 3, 2, 2, 1, 0, 0, 0, 3, 1], 2), x);
    }

    [Fact]
    public void ShapeOps_PermuteNarrowConcatStack_MatchFiniteDifferences()
    {
        var x = Random(_rng, 2, 3, 4, 2);
        Check(t => Ops.Permute(t[0], 0, 2, 1, 3), x);
        Check(t => Ops.Permute(t[0], 3, 1, 0, 2), x);
        Check(t => Ops.Transpose(t[0]), x);
        Check(t => Ops.Narrow(t[0], 2, 1, 2), x);
        Check(t => Ops.Reshape(t[0], 6, -1), x);
        var a = Random(_rng, 2, 3);
        var b = Random(_rng, 2, 5);
        Check(t => Ops.Concat(1, t[0], t[1]), a, b);
        Check(t => Ops.Stack(0, t[0], t[1] * 2.0), a, Random(_rng, 2, 3));
    }

    [Fact]
    public void MaskingOps_MatchFiniteDifferences()
    {
        var x = Random(_rng, 2, 3, 3);
        bool[] causal = [false, true, true, false, false, true, false, false, false];
        Check(t => Ops.MaskedFill(t[0], causal, -3.0), x);
        Check(t => Ops.Where(causal, t[0], t[1]), x, Random(_rng, 2, 3, 3));
    }

    [Fact]
    public void Dropout_SameSeed_MatchesFiniteDifferences()
    {
        var x = Random(_rng, 4, 6);
        Check(t => Ops.Dropout(t[0], 0.3, new RngStream(5)), x);
    }

    [Fact]
    public void Gelu_VectorisedChunks_MatchScalarFormulaAndDerivative()
    {
        foreach (int n in Enumerable.Range(0, 131).Concat([255, 256, 257, 600, 1023, 1024, 1025, 2500]))
        {
            var x = Tensor<float>.Zeros(n);
            Emergence.Tensors.Layers.Init.Normal(x, _rng, 0, 3);
            x.WithGrad();
            var tape = new Emergence.Tensors.Autograd.Tape<float>();
            using (tape.Record())
            {
                var y = Ops.Gelu(x);
                for (int i = 0; i < n; i++)
                {
                    double v = x[i], t = Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v));
                    ((double)y[i]).Should().BeApproximately(0.5 * v * (1 + t), 1e-5 * (1 + Math.Abs(v)), $"n={n} i={i}");
                }
                if (n > 0) tape.Backward(Ops.Sum(y));
            }
            for (int i = 0; i < n; i++)
            {
                double v = x[i], t = Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v));
                double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * Math.Sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * v * v);
                ((double)x.Grad![i]).Should().BeApproximately(d, 1e-5 * (1 + Math.Abs(v)), $"n={n} i={i}");
            }
        }
    }
}
