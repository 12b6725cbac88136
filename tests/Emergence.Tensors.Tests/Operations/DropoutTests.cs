using Emergence.Contracts.Random;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Tests.Operations;

public sealed class DropoutTests
{
    [Fact]
    public void Dropout_SameSeed_SameMask()
    {
        var x = Tensor<float>.Full(1f, 1000);
        var a = Ops.Dropout(x, 0.25, new RngStream(3)).ToArray();
        var b = Ops.Dropout(x, 0.25, new RngStream(3)).ToArray();
        a.Should().Equal(b);
    }

    [Fact]
    public void Dropout_ManyElements_DropsAboutPAndKeepsTheMean()
    {
        var x = Tensor<float>.Full(1f, 20000);
        var y = Ops.Dropout(x, 0.25, new RngStream(4)).ToArray();
        double dropped = y.Count(v => v == 0f) / (double)y.Length;
        dropped.Should().BeApproximately(0.25, 0.02);
        y.Where(v => v != 0f).Should().OnlyContain(v => Math.Abs(v - 1f / 0.75f) < 1e-6f);
        y.Average(v => (double)v).Should().BeApproximately(1.0, 0.03);
    }

    [Fact]
    public void Dropout_NotTraining_IsIdentity()
    {
        var x = Tensor<float>.Full(2f, 10);
        Ops.Dropout(x, 0.5, new RngStream(1), training: false).Should().BeSameAs(x);
    }
}
