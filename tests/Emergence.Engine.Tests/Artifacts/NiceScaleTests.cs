using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public class NiceScaleTests
{
    [Theory]
    [InlineData(0, 1, 0, 1, 0.2)]
    [InlineData(0.13, 0.92, 0, 1, 0.2)]
    [InlineData(3, 97, 0, 100, 20)]
    [InlineData(1, 1000, 0, 1000, 200)]
    [InlineData(-3.7, 2.1, -4, 4, 2)]
    [InlineData(1.2e-5, 4.7e-5, 1e-5, 5e-5, 1e-5)]
    public void For_Range_PicksOneTwoFiveSteps(double min, double max, double low, double high, double step)
    {
        var s = NiceScale.For(min, max);
        s.Step.Should().BeApproximately(step, step * 1e-9);
        s.Low.Should().BeApproximately(low, step * 1e-9);
        s.High.Should().BeApproximately(high, step * 1e-9);
    }

    [Fact]
    public void For_EqualBounds_WidensRange()
    {
        var s = NiceScale.For(5, 5);
        s.Low.Should().BeLessThan(5);
        s.High.Should().BeGreaterThan(5);
        var z = NiceScale.For(0, 0);
        z.Low.Should().Be(-1);
        z.High.Should().Be(1);
    }

    [Fact]
    public void For_IntegerAxisWithMinimumStep_NeverGoesFractional()
    {
        NiceScale.For(1, 3, targetTicks: 6, minimumStep: 1).Step.Should().Be(1);
    }

    [Fact]
    public void For_NonFinite_Throws()
    {
        var act = () => NiceScale.For(double.NaN, 1);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Format_Ticks_UseStepDecimalsAndNoNegativeZero()
    {
        var s = NiceScale.For(-0.3, 0.3);
        Enumerable.Range(0, s.TickCount).Select(i => s.Format(s.Tick(i)))
            .Should().Equal("-0.4", "-0.2", "0.0", "0.2", "0.4");
    }

    [Fact]
    public void Format_LargeValues_UsesExponent()
    {
        var s = NiceScale.For(0, 5e6);
        s.Format(s.Tick(1)).Should().Be("1e+6");
    }
}
