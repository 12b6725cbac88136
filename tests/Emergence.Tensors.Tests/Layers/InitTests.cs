using Emergence.Contracts.Random;
using Emergence.Tensors.Layers;

namespace Emergence.Tensors.Tests.Layers;

public sealed class InitTests
{
    [Fact]
    public void XavierUniform_StaysWithinGlorotBound()
    {
        var t = Tensor<float>.Zeros(64, 32);
        Init.XavierUniform(t, new RngStream(1), 32, 64);
        double bound = Math.Sqrt(6.0 / 96);
        t.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound);
        t.ToArray().Max().Should().BeGreaterThan((float)(0.9 * bound));
    }

    [Fact]
    public void KaimingNormal_HasHeStandardDeviation()
    {
        var t = Tensor<double>.Zeros(200, 100);
        Init.KaimingNormal(t, new RngStream(2), 100);
        var v = t.ToArray();
        double mean = v.Average(), std = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        std.Should().BeApproximately(Math.Sqrt(2.0 / 100), 0.005);
    }

    [Fact]
    public void Constant_FillsEveryElement()
    {
        var t = Tensor<float>.Zeros(3, 3);
        Init.Constant(t, 0.5);
        t.ToArray().Should().OnlyContain(v => v == 0.5f);
    }

    [Fact]
    public void Uniform_SameSeed_SameValues()
    {
        var a = Tensor<float>.Zeros(10);
        var b = Tensor<float>.Zeros(10);
        Init.Uniform(a, new RngStream(7), -1, 1);
        Init.Uniform(b, new RngStream(7), -1, 1);
        a.ToArray().Should().Equal(b.ToArray());
    }
}
