using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Tests.Operations;

public sealed class ReductionTests
{
    [Fact]
    public void Sum_EmptyTensor_IsZero() => Ops.Sum(Tensor<float>.Zeros(0, 3)).ToScalar().Should().Be(0f);

    [Fact]
    public void Mean_EmptyAxis_IsNaN() => float.IsNaN(Ops.Mean(Tensor<float>.Zeros(2, 0), 1)[0]).Should().BeTrue();

    [Fact]
    public void Max_Ties_GradientGoesToFirstMaximum()
    {
        var x = Tensor<double>.From([1.0, 3.0, 3.0], 1, 3).WithGrad();
        var tape = new Emergence.Tensors.Autograd.Tape<double>();
        using (tape.Record()) tape.Backward(Ops.Max(x, 1));
        x.Grad!.ToArray().Should().Equal(0.0, 1.0, 0.0);
    }
}
