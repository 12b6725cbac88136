using Emergence.Contracts.Components;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;
using Emergence.Plugins.SparkNet.Standalone;

namespace Emergence.Plugins.SparkNet.Tests.Training;

public sealed class SparkNetTrainerTests
{
    [Theory]
    [InlineData(1, 0.98, 0.05, 5)]
    [InlineData(2, 0.98, 0.05, 5)]
    [InlineData(2, 0.5, 0.05, 2)]
    public void Step_SmallNetwork_MatchesIndependentReferenceBitForBit(int k, double rho, double eMin, int force)
    {
        var trainer = new SparkNetTrainerOptions { SparkEnergyDecay = rho, SparkMinEnergy = eMin, SparkForceSteps = force };
        var session = TestSupport.Session(11, TestSupport.Small(6, k), trainer);
        var reference = new ReferenceSparkNet(11, 6, k) { Rho = rho, EMin = eMin, Force = force };
        session.Model.W.Should().Equal(reference.W);
        session.Model.Sparks.Position.Should().Equal(reference.Pos);
        for (int t = 1; t <= 60; t++)
        {
            session.Run(1);
            reference.Step();
            session.Model.W.Should().Equal(reference.W, $"W after step {t}");
            session.Model.S.Should().Equal(reference.S, $"s after step {t}");
            session.Model.M.Should().Equal(reference.M, $"M after step {t}");
            session.Model.Sparks.Position.Should().Equal(reference.Pos, $"positions after step {t}");
            session.Model.Sparks.Energy.Should().Equal(reference.Energy, $"energy after step {t}");
        }
        session.Trainer.Counters.RespawnsTotal.Should().Be(reference.Respawns);
    }

    [Fact]
    public void Step_DefaultDynamics_MemorySumTendsToKDeltaOverOneMinusGamma()
    {
        var session = TestSupport.Session(3, new SparkNetModelOptions { NNeurons = 50, GridH = 5, GridW = 10, NumSparks = 3 });
        session.Run(400);
        double sum = session.Model.M.Sum(m => (double)m);
        sum.Should().BeApproximately(3 * 0.15 / (1 - 0.92), 1e-3); // 5.625
    }

    [Fact]
    public void Step_DefaultLifecycle_SparkRespawnsAfter149Moves()
    {
        var session = TestSupport.Session(5, TestSupport.Small(6, 1));
        session.Run(148);
        session.Trainer.Counters.RespawnsTotal.Should().Be(0);
        session.Model.Sparks.Age[0].Should().Be(148);
        session.Run(1);
        session.Trainer.Counters.RespawnsTotal.Should().Be(1);
        session.Model.Sparks.Age[0].Should().Be(0);
        session.Model.Sparks.Energy[0].Should().Be(1f);
    }

    [Fact]
    public void Step_NoSparks_WeightsShrinkAs0999PowerT()
    {
        var session = TestSupport.Session(9, TestSupport.Small(6, 0));
        var w0 = (float[])session.Model.W.Clone();
        session.Run(3000);
        for (int i = 0; i < w0.Length; i++)
            ((double)session.Model.W[i]).Should().BeApproximately(w0[i] * Math.Pow(0.999, 3000), Math.Abs(w0[i]) * 0.05 * 1e-3 + 1e-9);
        ((double)(session.Model.W.Max(Math.Abs) / w0.Max(Math.Abs))).Should().BeApproximately(0.0497, 0.001);
    }

    [Fact]
    public void Run_SameSeed_IdenticalHashAfter500Steps_DifferentSeedsDiffer()
    {
        var options = new SparkNetModelOptions { NNeurons = 100, GridH = 10, GridW = 10, NumSparks = 3 };
        var a = TestSupport.Session(42, options);
        var b = TestSupport.Session(42, new SparkNetModelOptions { NNeurons = 100, GridH = 10, GridW = 10, NumSparks = 3 });
        var c = TestSupport.Session(43, new SparkNetModelOptions { NNeurons = 100, GridH = 10, GridW = 10, NumSparks = 3 });
        a.Run(500); b.Run(500); c.Run(500);
        TestSupport.Hash(a.Model).Should().Be(TestSupport.Hash(b.Model));
        TestSupport.Hash(a.Model).Should().NotBe(TestSupport.Hash(c.Model));
    }

    [Fact]
    public void Step_Defaults10kSteps_MatchesReSimStatistics()
    {
        var session = TestSupport.Session(1);
        var metrics = new MetricRecorder();
        session.Run(10_000, metricsEvery: 10_000, metrics);
        metrics.Last("sparks.respawns_total").Should().Be(201);
        metrics.Last("mem.sum").Should().BeApproximately(5.625, 1e-3);
        metrics.Last("s.mean").Should().BeInRange(0.51, 0.53);
        metrics.Last("w.sum_abs").Should().BeInRange(70, 95);
        metrics.Last("sparks.explore_rate").Should().BeInRange(0.03, 0.07);
        metrics.Last("w.diag_ratio").Should().BeInRange(0.3, 3);
        metrics.All("layout.motion").Should().BeEmpty("the lazy schedule computed only this call, not its predecessor");
    }

    [Fact]
    public void Step_EagerFaithfulLayout_MotionIsNearNSqrtPi()
    {
        var trainer = new SparkNetTrainerOptions { LayoutSchedule = LayoutSchedule.Eager };
        var session = TestSupport.Session(1, trainer: trainer);
        var metrics = new MetricRecorder();
        session.Run(200, metricsEvery: 100, metrics);
        metrics.All("layout.motion").Should().HaveCount(2).And.OnlyContain(m => m > 800 && m < 960); // n·√π = 886
    }

    [Fact]
    public void Step_LazyAndEagerLayout_SameTrajectoryAndSamePositionsAtMetricSteps()
    {
        var lazy = TestSupport.Session(4);
        var eager = TestSupport.Session(4, trainer: new SparkNetTrainerOptions { LayoutSchedule = LayoutSchedule.Eager });
        lazy.Run(100, 50);
        eager.Run(100, 50);
        TestSupport.Hash(lazy.Model).Should().Be(TestSupport.Hash(eager.Model));
        lazy.Model.Layout.X.Should().Equal(eager.Model.Layout.X);
        lazy.Model.Layout.Y.Should().Equal(eager.Model.Layout.Y);
        eager.Model.Layout.ComputedCall.Should().Be(20);
        lazy.Model.Layout.ComputedCall.Should().Be(20);
    }

    [Fact]
    public void Step_NumSparksRaisedAndLowered_SpawnsAndDropsAndJournals()
    {
        var session = TestSupport.Session(2, TestSupport.Small(6, 1));
        var events = new EventRecorder();
        session.Run(3, events: events);
        session.ModelOptions.NumSparks = 3;
        session.Run(1, events: events);
        session.Model.Sparks.Count.Should().Be(3);
        session.ModelOptions.NumSparks = 1;
        session.Run(1, events: events);
        session.Model.Sparks.Count.Should().Be(1);
        session.Trainer.Journal.Should().Equal("step 4: num_sparks 1 -> 3", "step 5: num_sparks 3 -> 1");
        events.Events.Select(e => e.Type).Should().Equal("sparks_changed", "sparks_changed");
    }

    [Fact]
    public void Step_LiveOptionEdit_IsJournaledWithItsStep()
    {
        var session = TestSupport.Session(2, TestSupport.Small(6, 1));
        var events = new EventRecorder();
        session.Run(2, events: events);
        session.TrainerOptions.Temperature = 0.5;
        session.Run(1, events: events);
        session.Trainer.Journal.Should().ContainSingle().Which.Should().Be("step 3: Temperature: 0.3 -> 0.5");
        events.Events.Should().ContainSingle(e => e.Type == "options_edited");
    }

    [Fact]
    public void Step_ShuffledOrder_DiffersFromFixedButKeepsRngOrderOfSimulation()
    {
        var model = new SparkNetModelOptions { NNeurons = 20, GridH = 4, GridW = 5, NumSparks = 3 };
        var fixedOrder = TestSupport.Session(8, model);
        var shuffled = TestSupport.Session(8, new SparkNetModelOptions { NNeurons = 20, GridH = 4, GridW = 5, NumSparks = 3 },
            new SparkNetTrainerOptions { SparkOrder = SparkOrder.Shuffled });
        fixedOrder.Run(50);
        shuffled.Run(50);
        TestSupport.Hash(fixedOrder.Model).Should().NotBe(TestSupport.Hash(shuffled.Model));
    }

    [Fact]
    public void Step_SynchronousOrder_EqualsFixedForOneSparkAndDiffersForSeveral()
    {
        SparkNetSession Make(int sparks, SparkOrder order) => TestSupport.Session(8,
            new SparkNetModelOptions { NNeurons = 20, GridH = 4, GridW = 5, NumSparks = sparks },
            new SparkNetTrainerOptions { SparkOrder = order, MemBias = 5 });
        var one = (Make(1, SparkOrder.Fixed), Make(1, SparkOrder.Synchronous));
        one.Item1.Run(200);
        one.Item2.Run(200);
        TestSupport.Hash(one.Item2.Model).Should().Be(TestSupport.Hash(one.Item1.Model), "with one spark there is nothing to synchronise");
        var three = (Make(3, SparkOrder.Fixed), Make(3, SparkOrder.Synchronous));
        three.Item1.Run(200);
        three.Item2.Run(200);
        TestSupport.Hash(three.Item2.Model).Should().NotBe(TestSupport.Hash(three.Item1.Model));
    }

    [Fact]
    public void Step_ReturnsOutcomeContinueAndAdvancesT()
    {
        var session = TestSupport.Session(1, TestSupport.Small());
        var outcome = session.Trainer.Step(new StepContext(1, false, new MetricRecorder(), new EventRecorder()));
        outcome.Should().Be(StepOutcome.Continue);
        session.Model.T.Should().Be(1);
    }
}
