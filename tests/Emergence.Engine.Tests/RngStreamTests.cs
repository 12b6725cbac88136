using Emergence.Contracts.Random;

namespace Emergence.Engine.Tests;

public class RngStreamTests
{
    [Fact]
    public void NextUInt64_ReferenceSeed_MatchesSplitMixSeededXoshiro()
    {
        // SplitMix64(0) first outputs, from the reference implementation by Vigna.
        var rng = new RngStream(0);
        var state = rng.GetState();
        state.S0.Should().Be(0xE220A8397B1DCDAFUL);
        state.S1.Should().Be(0x6E789E6AA1B965F4UL);
        state.S2.Should().Be(0x06C45D188009454FUL);
        state.S3.Should().Be(0xF88BB8A8724C81ECUL);
    }

    [Fact]
    public void GetState_RoundTrip_ContinuesIdentically()
    {
        var a = RngStream.Derive(42, "simulation");
        for (int i = 0; i < 7; i++) a.NextNormal();
        var b = new RngStream(a.GetState());
        for (int i = 0; i < 100; i++) b.NextNormal().Should().Be(a.NextNormal());
    }

    [Fact]
    public void Derive_DifferentPurposes_GiveDifferentStreams()
    {
        RngStream.Derive(1, "a").NextUInt64().Should().NotBe(RngStream.Derive(1, "b").NextUInt64());
        RngStream.Derive(1, "a").NextUInt64().Should().Be(RngStream.Derive(1, "a").NextUInt64());
    }

    [Fact]
    public void NextInt_SmallRange_IsUniform()
    {
        var rng = new RngStream(7);
        var counts = new int[5];
        for (int i = 0; i < 50_000; i++) counts[rng.NextInt(5)]++;
        counts.Should().OnlyContain(c => c > 9_500 && c < 10_500);
    }

    [Fact]
    public void NextNormal_Moments_AreStandard()
    {
        var rng = new RngStream(3);
        double sum = 0, sumSq = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++) { double x = rng.NextNormal(); sum += x; sumSq += x * x; }
        (sum / n).Should().BeApproximately(0, 0.01);
        (sumSq / n).Should().BeApproximately(1, 0.01);
    }

    [Fact]
    public void Categorical_Weights_FollowProportions()
    {
        var rng = new RngStream(11);
        double[] w = [1, 0, 3];
        var counts = new int[3];
        for (int i = 0; i < 40_000; i++) counts[rng.Categorical(w)]++;
        counts[1].Should().Be(0);
        ((double)counts[2] / counts[0]).Should().BeApproximately(3, 0.15);
        rng.Categorical([0.0, 0.0]).Should().Be(-1);
    }
}
