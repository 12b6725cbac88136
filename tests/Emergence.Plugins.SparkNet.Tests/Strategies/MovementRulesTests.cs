using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Strategies;

public sealed class MovementRulesTests
{
    private static readonly SparkNetTrainerOptions NoExplore = new() { ExploreChance = 0, MemBias = 0 };

    /// <summary>W with a strong edge into p=2 from 4 (row view) and a strong edge out of 2 into 5 (column view).</summary>
    private static float[] TwoDirections()
    {
        var w = new float[36];
        w[2 * 6 + 4] = 1f; // W[2,4]: edge 4 -> 2, row 2
        w[5 * 6 + 2] = 1f; // W[5,2]: edge 2 -> 5, column 2
        return w;
    }

    [Theory]
    [InlineData(WeightView.Row, 4)]
    [InlineData(WeightView.Column, 5)]
    public void Softmax_WeightView_ReadsRowOrColumnOfP(WeightView view, int expected)
    {
        var model = TestSupport.Model(6, TwoDirections(), 2);
        var options = new SparkNetTrainerOptions { ExploreChance = 0, MemBias = 0, Temperature = 0.01 };
        var rule = new SoftmaxMovement(new SoftmaxMovementOptions { WeightView = view });
        for (int i = 0; i < 20; i++)
            rule.Choose(TestSupport.Step(model, options, new RngStream((ulong)i)), 0, 2, out _).Should().Be(expected);
    }

    [Fact]
    public void Softmax_CategoricalRule_FirstIndexWhoseCumulativeSumExceedsUZ()
    {
        var model = TestSupport.Model(6, null, 0);
        model.M[0] = 0f; model.M[1] = 1f; model.M[2] = 2f; model.M[3] = 0.5f; model.M[4] = -1f; model.M[5] = 3f;
        var options = new SparkNetTrainerOptions { ExploreChance = 0, MemBias = 1.0, BaseWeightEps = 1e-6, Temperature = 0.3 };
        for (ulong seed = 0; seed < 50; seed++)
        {
            var probe = new RngStream(seed);
            probe.NextDouble(); // exploration draw
            double u = probe.NextDouble();
            var logits = model.M.Select(m => 1e-6 / 0.3 + m).ToArray();
            var e = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
            double target = u * e.Sum(), running = 0;
            int expected = -1;
            for (int j = 0; j < 6 && expected < 0; j++) if ((running += e[j]) > target) expected = j;
            new SoftmaxMovement(new SoftmaxMovementOptions()).Choose(TestSupport.Step(model, options, new RngStream(seed)), 0, 0, out bool explored)
                .Should().Be(expected);
            explored.Should().BeFalse();
        }
    }

    [Fact]
    public void Softmax_ExploreChanceOne_JumpsUniformlyAndReportsExplored()
    {
        var model = TestSupport.Model(6, TwoDirections(), 2);
        var rule = new SoftmaxMovement(new SoftmaxMovementOptions());
        var seen = new HashSet<int>();
        for (ulong seed = 0; seed < 200; seed++)
        {
            seen.Add(rule.Choose(TestSupport.Step(model, new SparkNetTrainerOptions { ExploreChance = 1 }, new RngStream(seed)), 0, 2, out bool explored));
            explored.Should().BeTrue();
        }
        seen.Should().HaveCount(6);
    }

    [Fact]
    public void Softmax_SaturationMask_NeverPicksSaturatedNeurons()
    {
        var model = TestSupport.Model(6, TwoDirections(), 2);
        model.S[4] = 1f;
        var rule = new SoftmaxMovement(new SoftmaxMovementOptions { SaturationThreshold = 0.99 });
        var options = new SparkNetTrainerOptions { ExploreChance = 0, MemBias = 0, Temperature = 0.01 };
        for (ulong seed = 0; seed < 100; seed++)
            rule.Choose(TestSupport.Step(model, options, new RngStream(seed)), 0, 2, out _).Should().NotBe(4);
    }

    [Fact]
    public void Softmax_SelfMovesOff_NeverStays()
    {
        var w = new float[36];
        w[2 * 6 + 2] = 1f;
        var model = TestSupport.Model(6, w, 2);
        var rule = new SoftmaxMovement(new SoftmaxMovementOptions { AllowSelfMoves = false });
        var options = new SparkNetTrainerOptions { ExploreChance = 0.5, MemBias = 0, Temperature = 0.01 };
        for (ulong seed = 0; seed < 200; seed++)
            rule.Choose(TestSupport.Step(model, options, new RngStream(seed)), 0, 2, out _).Should().NotBe(2);
    }

    [Fact]
    public void Proportional_IgnoresMemoryAndTemperature_ProbabilityProportionalToReluW()
    {
        var w = new float[36];
        w[0 * 6 + 1] = 3f; w[0 * 6 + 2] = 1f; w[0 * 6 + 3] = -5f;
        var model = TestSupport.Model(6, w, 0);
        model.M[5] = 100f;
        var rule = new ProportionalMovement(new ProportionalMovementOptions());
        var counts = new int[6];
        for (ulong seed = 0; seed < 4000; seed++)
            counts[rule.Choose(TestSupport.Step(model, NoExplore, new RngStream(seed)), 0, 0, out _)]++;
        counts[3].Should().Be(0);
        counts[5].Should().BeLessThan(5);
        ((double)counts[1] / counts[2]).Should().BeInRange(2.5, 3.5);
    }

    [Fact]
    public void Cycling_Phases_GreedyThenSoftmaxThenRandom()
    {
        var w = new float[36];
        w[0 * 6 + 3] = 0.2f;
        var model = TestSupport.Model(6, w, 0);
        var rule = new CyclingMovement(new CyclingMovementOptions { Period = 10 });
        rule.Phase(1).Should().Be(0);
        rule.Phase(11).Should().Be(1);
        rule.Phase(21).Should().Be(2);
        rule.Phase(31).Should().Be(0);
        var greedy = Enumerable.Range(0, 50).Select(s => rule.Choose(TestSupport.Step(model, NoExplore, new RngStream((ulong)s), t: 5), 0, 0, out _));
        greedy.Should().OnlyContain(q => q == 3);
        var random = Enumerable.Range(0, 300).Select(s => rule.Choose(TestSupport.Step(model, NoExplore, new RngStream((ulong)s), t: 25), 0, 0, out _));
        random.Distinct().Should().HaveCount(6);
    }
}
