using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Operations;
using static Emergence.Tensors.Tests.Support.GradCheck;

namespace Emergence.Tensors.Tests.Layers;

public sealed class MlpPopulationTests
{
    [Theory]
    [InlineData(1, 1, new[] { 1, 1 })]
    [InlineData(40, 100, new[] { 256, 8, 1 })]
    [InlineData(3, 7, new[] { 13, 5, 9, 2 })]
    [InlineData(5, 130, new[] { 33, 17, 3 })]
    public void Forward_SharedInputs_MatchesSeparateNetsFromSameRng(int count, int rows, int[] sizes)
    {
        var population = new MlpPopulation<float>(new ParameterCollection<float>(), "pop", count, sizes, Activation.Tanh, new RngStream(11));
        var rng = new RngStream(11);
        var nets = Enumerable.Range(0, count)
            .Select(i => new Mlp<float>(new ParameterCollection<float>(), $"n{i}", sizes, Activation.Tanh, rng)).ToArray();
        var x = Tensor<float>.Zeros(rows, sizes[0]);
        Init.Normal(x, new RngStream(12));
        using var ng = GradMode.NoGrad();
        var y = population.Forward(x).ToArray(); // (R, P, out)
        int outF = sizes[^1];
        for (int p = 0; p < count; p++)
        {
            var expected = nets[p].Forward(x).ToArray(); // (R, out)
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outF; o++)
                    y[(r * count + p) * outF + o].Should().BeApproximately(expected[r * outF + o], 1e-5f);
        }
    }

    [Fact]
    public void Forward_PerMemberInputs_MatchesSeparateNets()
    {
        int count = 4, rows = 9;
        int[] sizes = [6, 5, 3];
        var population = new MlpPopulation<float>(new ParameterCollection<float>(), "pop", count, sizes, Activation.Relu, new RngStream(3));
        var rng = new RngStream(30);
        var x = Tensor<float>.Zeros(rows, count, sizes[0]);
        Init.Normal(x, rng);
        using var ng = GradMode.NoGrad();
        for (int p = 0; p < count; p++)
            population.CopyMemberFrom(p, new Mlp<float>(new ParameterCollection<float>(), $"n{p}", sizes, Activation.Relu, rng));
        var y = population.Forward(x).ToArray();
        var rngAgain = new RngStream(30);
        Init.Normal(Tensor<float>.Zeros(rows, count, sizes[0]), rngAgain);
        for (int p = 0; p < count; p++)
        {
            var net = new Mlp<float>(new ParameterCollection<float>(), $"n{p}", sizes, Activation.Relu, rngAgain);
            var xp = Tensor<float>.Zeros(rows, sizes[0]);
            for (int r = 0; r < rows; r++) x.Span.Slice((r * count + p) * sizes[0], sizes[0]).CopyTo(xp.Span.Slice(r * sizes[0]));
            var expected = net.Forward(xp).ToArray();
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < 3; o++) y[(r * count + p) * 3 + o].Should().BeApproximately(expected[r * 3 + o], 1e-5f);
        }
    }

    [Fact]
    public void Forward_Float64_GradientsMatchFiniteDifferences()
    {
        var ps = new ParameterCollection<double>();
        var population = new MlpPopulation<double>(ps, "pop", 3, [4, 5, 2], Activation.Tanh, new RngStream(8));
        var shared = Random(new RngStream(9), 2, 4);
        Check(t => population.Forward(t[0]), shared, ps["pop.0.weight"], ps["pop.0.bias"], ps["pop.1.weight"], ps["pop.1.bias"]);
        var own = Random(new RngStream(10), 2, 3, 4);
        Check(t => population.Forward(t[0]), own, ps["pop.0.weight"], ps["pop.1.bias"]);
    }

    [Fact]
    public void GroupedLinear_Float64_MatchesFiniteDifferences()
    {
        var rng = new RngStream(21);
        Check(t => Ops.GroupedLinear(t[0], t[1], t[2]), Random(rng, 3, 2, 4), Random(rng, 2, 3, 4), Random(rng, 2, 3));
        Check(t => Ops.GroupedLinear(t[0], t[1], null), Random(rng, 2, 3, 5), Random(rng, 3, 1, 5));
    }

    [Theory]
    [InlineData(0, 2, 3, 4)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(7, 3, 130, 9)]
    [InlineData(130, 5, 17, 1)]
    [InlineData(33, 40, 8, 1)]
    [InlineData(65, 2, 64, 70)]
    [InlineData(7, 13, 16, 1)]
    [InlineData(3, 8, 24, 1)]
    [InlineData(130, 17, 8, 1)]
    public void GroupedLinear_Float_MatchesPerGroupLinear(int rows, int groups, int inF, int outF)
    {
        var rng = new RngStream(22);
        var x = Tensor<float>.Zeros(rows, groups, inF);
        var w = Tensor<float>.Zeros(groups, outF, inF);
        var b = Tensor<float>.Zeros(groups, outF);
        Init.Normal(x, rng);
        Init.Normal(w, rng);
        Init.Normal(b, rng);
        using var ng = GradMode.NoGrad();
        var y = Ops.GroupedLinear(x, w, b).ToArray();
        var yNoBias = Ops.GroupedLinear(x, w, null).ToArray();
        for (int i = 0; i < y.Length; i++)
            yNoBias[i].Should().BeApproximately(y[i] - b[i % (groups * outF)], 1e-4f * (1 + MathF.Abs(y[i])));
        for (int p = 0; p < groups; p++)
        {
            var xp = Tensor<float>.Zeros(rows, inF);
            for (int r = 0; r < rows; r++) x.Span.Slice((r * groups + p) * inF, inF).CopyTo(xp.Span.Slice(r * inF));
            var wp = Tensor<float>.From(w.Span.Slice(p * outF * inF, outF * inF), outF, inF);
            var bp = Tensor<float>.From(b.Span.Slice(p * outF, outF), outF);
            var expected = Ops.Linear(xp, wp, bp).ToArray();
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outF; o++)
                    y[(r * groups + p) * outF + o].Should().BeApproximately(expected[r * outF + o], 1e-4f * (1 + MathF.Abs(expected[r * outF + o])));
        }
    }
}
