using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Model;


/// <summary>The <c>reset</c> command (spec §3 and bug 8: reset keeps W).</summary>
public sealed class ResetCommandTests
{
    private static SparkNetModelOptions Medium() => new() { NNeurons = 60, GridH = 6, GridW = 10, NumSparks = 3 };

    [Fact]
    public void Reset_ClearsActivationsAndMemory_RespawnsSparks_AndKeepsW()
    {
        var session = TestSupport.Session(4, Medium(), new SparkNetTrainerOptions());
        session.Run(120);
        var weights = session.Model.W.ToArray();
        session.Model.M.Should().Contain(v => v != 0f, "the sparks left memory behind");
        var expected = new RngStream(session.Rng("simulation").GetState());

        session.Command("reset");

        session.Model.W.Should().Equal(weights, "reset keeps W");
        session.Model.S.Should().OnlyContain(v => v == 0f);
        session.Model.M.Should().OnlyContain(v => v == 0f);
        session.Model.Sparks.Position.Should().Equal(expected.NextInt(60), expected.NextInt(60), expected.NextInt(60));
        session.Model.Sparks.Energy.Should().OnlyContain(e => e == 1f);
        session.Model.Sparks.Age.Should().OnlyContain(a => a == 0);
        session.Model.T.Should().Be(120, "the step counter continues");
    }

    [Fact]
    public void Reset_WithResetWeights_DrawsWAgainBeforeTheSparks()
    {
        var session = TestSupport.Session(4, Medium(), new SparkNetTrainerOptions());
        session.Run(50);
        var expected = new RngStream(session.Rng("simulation").GetState());

        session.Command("reset", new SparkNetPlugin.ResetOptions { ResetWeights = true });

        for (int i = 0; i < 60 * 60; i++) session.Model.W[i].Should().Be((float)(0.1 * expected.NextNormal()));
        session.Model.Sparks.Position.Should().Equal(expected.NextInt(60), expected.NextInt(60), expected.NextInt(60));
    }

    [Fact]
    public void Reset_IsDeterministic_SoAReplayedResetContinuesIdentically()
    {
        var a = TestSupport.Session(9, Medium(), new SparkNetTrainerOptions());
        var b = TestSupport.Session(9, Medium(), new SparkNetTrainerOptions());
        foreach (var s in new[] { a, b })
        {
            s.Run(80);
            s.Command("reset");
            s.Run(80);
        }
        a.Model.W.Should().Equal(b.Model.W);
        a.Model.Sparks.Position.Should().Equal(b.Model.Sparks.Position);
    }
}
