using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Strategies;

public sealed class SparkRulesTests
{
    [Fact]
    public void ForcePresence_SetsOneOnlyWhileAgeBelowF()
    {
        var model = TestSupport.Model(6, null, 1, 3);
        model.Sparks.Age[0] = 4;
        model.Sparks.Age[1] = 5;
        new ForcePresence().Apply(TestSupport.Step(model));
        model.S[1].Should().Be(1f);
        model.S[3].Should().Be(0f);
    }

    [Fact]
    public void EnergyDecay_MultipliesEnergyWritesItToSqAndAges()
    {
        var model = TestSupport.Model(6, null, 2);
        bool dead = new EnergyDecayLifecycle().Advance(TestSupport.Step(model), 0, 2);
        dead.Should().BeFalse();
        model.Sparks.Energy[0].Should().Be(0.98f);
        model.S[2].Should().Be(0.98f);
        model.Sparks.Age[0].Should().Be(1);
    }

    [Fact]
    public void EnergyDecay_BelowMinimum_ReportsDeath()
    {
        var model = TestSupport.Model(6, null, 2);
        model.Sparks.Energy[0] = 0.051f;
        new EnergyDecayLifecycle().Advance(TestSupport.Step(model), 0, 2).Should().BeTrue();
    }

    [Fact]
    public void MemorySoftmaxSpawn_FollowsSoftmaxOfGainTimesM()
    {
        var model = TestSupport.Model(6);
        model.M[4] = 5f;
        var counts = new int[6];
        var rule = new MemorySoftmaxSpawn();
        for (ulong seed = 0; seed < 2000; seed++) counts[rule.Spawn(TestSupport.Step(model, rng: new RngStream(seed)), 0)]++;
        // p(4) = e^10 / (e^10 + 5) ≈ 0.99977
        counts[4].Should().BeGreaterThan(1990);
    }

    [Fact]
    public void MemorySoftmaxSpawn_ZeroMemory_FallsBackToUniformInt()
    {
        var model = TestSupport.Model(6);
        var rng = new RngStream(4);
        int r = new MemorySoftmaxSpawn().Spawn(TestSupport.Step(model, rng: rng), 0);
        r.Should().Be(new RngStream(4).NextInt(6));
    }

    [Fact]
    public void FixedSpawn_KModN_DrawsNothing()
    {
        var model = TestSupport.Model(6);
        var rng = new RngStream(4);
        new FixedSpawn().Spawn(TestSupport.Step(model, rng: rng), 8).Should().Be(2);
        rng.NextUInt64().Should().Be(new RngStream(4).NextUInt64());
    }

    [Fact]
    public void UniformSpawn_CoversAllNeurons()
    {
        var model = TestSupport.Model(6);
        var rng = new RngStream(1);
        Enumerable.Range(0, 200).Select(_ => new UniformSpawn().Spawn(TestSupport.Step(model, rng: rng), 0)).Distinct().Should().HaveCount(6);
    }

    [Fact]
    public void DecayDepositMemory_DecaysThenDeposits()
    {
        var model = TestSupport.Model(6);
        model.M[1] = 1f;
        var rule = new DecayDepositMemory();
        var step = TestSupport.Step(model);
        rule.Decay(step);
        rule.Deposit(step, 3);
        model.M[1].Should().Be(0.92f);
        model.M[3].Should().Be(0.15f);
    }

    [Fact]
    public void DiffusionMemory_SpreadsToGridNeighbours_ConservingInteriorMass()
    {
        var model = new Emergence.Plugins.SparkNet.Model.SparkNetModel(
            new Emergence.Plugins.SparkNet.Model.SparkNetModelOptions { NNeurons = 9, GridH = 3, GridW = 3, NumSparks = 0 }, new RngStream(1));
        model.M[4] = 1f; // centre
        new DiffusionMemory(new DiffusionMemoryOptions { Diffusion = 0.2 }).Decay(TestSupport.Step(model, new SparkNetTrainerOptions { MemDecay = 1 }));
        model.M[4].Should().BeApproximately(0.8f, 1e-6f);
        model.M[1].Should().BeApproximately(0.2f / 3, 1e-6f); // top-middle has 3 neighbours
        model.M[0].Should().Be(0f);
    }

    [Fact]
    public void GlobalDecay_ScalesAndClips()
    {
        var model = TestSupport.Model(3, [2f, -3f, 0.5f, 0, 0, 0, 0, 0, 0.1f]);
        new GlobalDecay().Apply(TestSupport.Step(model, new SparkNetTrainerOptions { LrGlobalDecay = 0.5, WeightClip = 0.3 }));
        model.W.Should().Equal(0.3f, -0.3f, 0.25f, 0, 0, 0, 0, 0, 0.05f);
    }

    [Fact]
    public void UnvisitedDecay_SkipsEdgesWrittenWithinWindow()
    {
        var model = TestSupport.Model(3, [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f]);
        var rule = new UnvisitedDecay(new UnvisitedDecayOptions { Window = 2 });
        var options = new SparkNetTrainerOptions { LrGlobalDecay = 0.5 };
        var visits = new EdgeVisits();
        visits.Add(1);
        rule.Apply(TestSupport.Step(model, options, t: 1, visits: visits));
        model.W[1].Should().Be(0.5f);
        model.W[0].Should().Be(0.25f);
        rule.Apply(TestSupport.Step(model, options, t: 2, visits: new EdgeVisits()));
        model.W[1].Should().Be(0.5f, "still within the 2-step window");
        rule.Apply(TestSupport.Step(model, options, t: 3, visits: new EdgeVisits()));
        model.W[1].Should().Be(0.25f);
    }

    [Fact]
    public void SlowVisitedDecay_VisitedEdgesDecayTenTimesSlower()
    {
        var model = TestSupport.Model(3, [1f, 1f, 0, 0, 0, 0, 0, 0, 0]);
        var visits = new EdgeVisits();
        visits.Add(1);
        var options = new SparkNetTrainerOptions { LrGlobalDecay = 0.1 };
        var rule = new SlowVisitedDecay(new SlowVisitedDecayOptions());
        rule.Apply(TestSupport.Step(model, options, t: 1, visits: visits));
        rule.Apply(TestSupport.Step(model, options, t: 2, visits: new EdgeVisits()));
        model.W[0].Should().Be(0.9f * 0.9f);
        model.W[1].Should().Be((float)(1 - 0.01) * ((float)(1 - 0.01) * 1f));
    }
}
