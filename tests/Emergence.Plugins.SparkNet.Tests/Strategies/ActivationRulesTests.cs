using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Strategies;

public sealed class ActivationRulesTests
{
    private static Emergence.Plugins.SparkNet.Model.SparkNetModel Model()
    {
        var w = new float[9];
        w[0 * 3 + 1] = 2f;   // s0 <- 2 s1
        w[1 * 3 + 2] = -1f;  // s1 <- -s2
        w[2 * 3 + 0] = 0.5f; // s2 <- 0.5 s0
        var model = TestSupport.Model(3, w);
        model.S[0] = 0.2f; model.S[1] = 0.4f; model.S[2] = 1f;
        return model;
    }

    private static readonly SparkNetTrainerOptions Quiet = new() { NoiseStd = 0, StateDecay = 0.5 };

    private static float Sig(float x) => 1f / (1f + MathF.Exp(-x));

    [Fact]
    public void Overwrite_SigmoidOfWTimesDecayedS()
    {
        var model = Model();
        new OverwriteActivation().Update(TestSupport.Step(model, Quiet));
        model.S.Should().Equal(Sig(2f * (0.5f * 0.4f)), Sig(-1f * (0.5f * 1f)), Sig(0.5f * (0.5f * 0.2f)));
    }

    [Fact]
    public void Leaky_BlendsOldStateWithSigmoidOfUndecayedInput()
    {
        var model = Model();
        new LeakyActivation(new LeakyActivationOptions()).Update(TestSupport.Step(model, Quiet));
        model.S[0].Should().Be(0.5f * 0.2f + 0.5f * Sig(2f * 0.4f));
        model.S[1].Should().Be(0.5f * 0.4f + 0.5f * Sig(-1f));
    }

    [Fact]
    public void ReluClamp_ClampsLinearInputToUnitInterval()
    {
        var model = Model();
        model.S[1] = 3f;
        new ReluClampActivation().Update(TestSupport.Step(model, Quiet));
        model.S.Should().Equal(1f, 0f, 0.5f * (0.5f * 0.2f));
    }

    [Fact]
    public void Overwrite_Noise_DrawsNNormalsInIndexOrder()
    {
        var model = TestSupport.Model(3);
        var rng = new RngStream(12);
        new OverwriteActivation().Update(TestSupport.Step(model, new SparkNetTrainerOptions { NoiseStd = 0.05 }, rng));
        var probe = new RngStream(12);
        for (int i = 0; i < 3; i++) model.S[i].Should().Be(Sig(0f + 0.05f * (float)probe.NextNormal()));
        rng.NextUInt64().Should().Be(probe.NextUInt64());
    }
}
