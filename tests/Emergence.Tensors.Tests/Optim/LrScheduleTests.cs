using Emergence.Tensors.Optim;

namespace Emergence.Tensors.Tests.Optim;

public sealed class LrScheduleTests
{
    [Fact]
    public void StepDecay_AfterStepSize_MultipliesByGamma() =>
        new StepDecayLr(1.0, 10, 0.5).At(25).Should().Be(0.25);

    [Fact]
    public void ExponentialDecay_AtStep_IsRateTimesGammaPower() =>
        new ExponentialDecayLr(2.0, 0.9).At(2).Should().BeApproximately(1.62, 1e-12);

    [Fact]
    public void Cosine_EndsAtMinimumAndHalfwayIsMidpoint()
    {
        var s = new CosineLr(1.0, 100, 0.1);
        s.At(0).Should().Be(1.0);
        s.At(50).Should().BeApproximately(0.55, 1e-12);
        s.At(100).Should().BeApproximately(0.1, 1e-12);
        s.At(500).Should().BeApproximately(0.1, 1e-12);
    }

    [Fact]
    public void Warmup_RampsLinearlyThenFollowsInner()
    {
        var s = new WarmupLr(4, new ConstantLr(0.8));
        s.At(0).Should().BeApproximately(0.2, 1e-12);
        s.At(3).Should().BeApproximately(0.8, 1e-12);
        s.At(10).Should().Be(0.8);
    }
}
