using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Plugins.SparkNet.Layout;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Standalone;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Model;

public sealed class SparkNetModelTests
{
    private static SparkNetModelOptions Medium() => new() { NNeurons = 60, GridH = 6, GridW = 10, NumSparks = 3 };

    [Fact]
    public void Constructor_DrawsWFirstThenSparkPositionsFromOneStream()
    {
        var rng = new RngStream(5);
        var model = new SparkNetModel(TestSupport.Small(6, 2), new RngStream(5));
        for (int i = 0; i < 36; i++) model.W[i].Should().Be((float)(0.1 * rng.NextNormal()));
        model.Sparks.Position.Should().Equal(rng.NextInt(6), rng.NextInt(6));
        model.S.Should().OnlyContain(v => v == 0f);
        model.M.Should().OnlyContain(v => v == 0f);
        model.Sparks.Energy.Should().Equal(1f, 1f);
    }

    [Theory]
    [InlineData(3)]    // forced phase of the first life
    [InlineData(77)]   // mid-life
    [InlineData(149)]  // right after the first respawns
    [InlineData(150)]  // one step after
    public void SaveLoad_IntoFreshSession_ContinuesBitIdentically(int stopAt)
    {
        var straight = TestSupport.Session(21, Medium(), new SparkNetTrainerOptions { LayoutSchedule = LayoutSchedule.Eager });
        var metricsA = new MetricRecorder();
        straight.Run(stopAt, 10, metricsA);
        var state = new MemoryState();
        straight.Save(state);
        straight.Run(200, 10, metricsA);

        var resumed = TestSupport.Session(999, Medium(), new SparkNetTrainerOptions { LayoutSchedule = LayoutSchedule.Eager });
        resumed.Load(state);
        var metricsB = new MetricRecorder();
        resumed.Run(200, 10, metricsB);

        TestSupport.Hash(resumed.Model).Should().Be(TestSupport.Hash(straight.Model));
        resumed.Model.Layout.X.Should().Equal(straight.Model.Layout.X);
        metricsB.Values.Should().Equal(metricsA.Values.Skip(metricsA.Values.Count - metricsB.Values.Count));
        resumed.Trainer.Counters.RespawnsTotal.Should().Be(straight.Trainer.Counters.RespawnsTotal);
    }

    [Fact]
    public void SaveLoad_StatefulStrategiesAndPersistentLayout_ContinueBitIdentically()
    {
        (string, string, object?)[] strategies =
        [
            (Slots.WeightDecay, "slow_visited", null), (Slots.Layout, "persistent", null),
            (Slots.Movement, "cycling", new CyclingMovementOptions { Period = 7 }), (Slots.Memory, "diffusion", null),
        ];
        var straight = TestSupport.Session(8, Medium(), null, strategies);
        straight.Run(120);
        var state = new MemoryState();
        straight.Save(state);
        straight.Run(100);
        var resumed = TestSupport.Session(8, Medium(), null, strategies);
        resumed.Load(state);
        resumed.Run(100);
        TestSupport.Hash(resumed.Model).Should().Be(TestSupport.Hash(straight.Model));
        resumed.Model.Layout.X.Should().Equal(straight.Model.Layout.X);
        resumed.Model.Layout.Motion.Should().Equal(straight.Model.Layout.Motion);
    }

    [Fact]
    public void SaveLoad_UnvisitedDecayWindow_ContinuesBitIdentically()
    {
        (string, string, object?)[] strategies = [(Slots.WeightDecay, "unvisited", new UnvisitedDecayOptions { Window = 20 })];
        var straight = TestSupport.Session(8, Medium(), null, strategies);
        straight.Run(50);
        var state = new MemoryState();
        straight.Save(state);
        straight.Run(60);
        var resumed = TestSupport.Session(8, Medium(), null, strategies);
        resumed.Load(state);
        resumed.Run(60);
        TestSupport.Hash(resumed.Model).Should().Be(TestSupport.Hash(straight.Model));
    }

    [Fact]
    public void Load_DifferentNeuronCount_ThrowsNamingN()
    {
        var state = new MemoryState();
        new SparkNetModel(TestSupport.Small(6, 1), new RngStream(1)).Save(state);
        var other = new SparkNetModel(new SparkNetModelOptions { NNeurons = 8, GridH = 2, GridW = 4, NumSparks = 1 }, new RngStream(1));
        var act = () => other.Load(state);
        act.Should().Throw<StateFormatException>().WithMessage("*n = 6*");
    }
}
