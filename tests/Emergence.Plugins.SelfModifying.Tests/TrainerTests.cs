using Emergence.Contracts.Random;

namespace Emergence.Plugins.SelfModifying.Tests;

/// <summary>Always reverts, for tests of the rollback mechanics.</summary>
internal sealed class AlwaysRevert(int window) : IRollbackPolicy
{
    public int Window => window;
    public bool Enabled => true;
    public bool ShouldRevert(double rewardNow, double rewardBefore) => true;
}

internal static class OptionsExtensions
{
    public static T Set<T>(this T options, Action<T> change)
    {
        change(options);
        return options;
    }
}

public sealed class TrainerTests
{
    private static TrainerOptions Options(int checkEvery = 1000, int maxDigit = 3) =>
        new() { CheckEvery = checkEvery, MaxDigit = maxDigit, Epsilon = 0, TestProblems = 0 };

    [Fact]
    public void Structure_checks_happen_at_exact_multiples_of_the_interval()
    {
        var h = new Harness(1, trainer: Options(1000).Set(o => o.SamplesPerStep = 1));
        h.Run(2999);
        h.Events.Events.Where(e => e.Type == "modification").Select(e => (long)e.Fields["sample"]!).Should().Equal(1000, 2000);
        h.Run(1);
        h.Events.Events.Where(e => e.Type == "modification").Should().HaveCount(3);
    }

    [Theory]
    [InlineData(Compat.Faithful)]
    [InlineData(Compat.Fixed)]
    public void Add_neuron_grows_one_layer_by_one_and_respects_the_maximum(Compat compat)
    {
        var h = new Harness(2, new ModelOptions { Compat = compat, InitialNeurons = 3 }, Options().Set(o => o.Neurons = [2, 4]));
        var record = new ModificationRecord();
        Modify.Apply(ModificationType.AddNeuron, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeTrue();
        h.Net.NeuronCount.Should().Be(7);
        h.Net.Layers[record.Layer].Neurons.Should().HaveCount(4);
        Modify.Apply(ModificationType.AddNeuron, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeTrue();
        h.Net.Shape.Should().Be("[4,4]");
        Modify.Apply(ModificationType.AddNeuron, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeFalse("every layer is at the maximum");
    }

    [Fact]
    public void Remove_neuron_never_removes_anything_in_faithful_mode_but_removes_the_least_useful_neuron_when_fixed()
    {
        var faithful = new Harness(3, trainer: Options());
        faithful.Run(19); // 950 samples, before the first structure check
        Modify.Apply(ModificationType.RemoveNeuron, faithful.Net, faithful.TrainerOptions, faithful.Rng("t"), new(), []).Should().BeFalse();
        faithful.Net.Shape.Should().Be("[8,8]");

        var fixedMode = new Harness(3, new ModelOptions { Compat = Compat.Fixed, InitialNeurons = 3 }, Options().Set(o => o.Neurons = [2, 256]));
        fixedMode.Run(20);
        var probe = Enumerable.Range(0, 8).Select(i => new double[] { i % 4, 3 - i % 4, 0, 0 }).ToList();
        Modify.Apply(ModificationType.RemoveNeuron, fixedMode.Net, fixedMode.TrainerOptions, fixedMode.Rng("t"), new(), probe).Should().BeTrue();
        fixedMode.Net.NeuronCount.Should().Be(5);
        Modify.Apply(ModificationType.RemoveNeuron, fixedMode.Net, fixedMode.TrainerOptions, fixedMode.Rng("t"), new(), probe).Should().BeTrue();
        Modify.Apply(ModificationType.RemoveNeuron, fixedMode.Net, fixedMode.TrainerOptions, fixedMode.Rng("t"), new(), probe).Should().BeFalse("both layers are at the minimum");
        fixedMode.Net.Shape.Should().Be("[2,2]");
    }

    [Theory]
    [InlineData(Compat.Faithful)]
    [InlineData(Compat.Fixed)]
    public void Add_and_remove_layer_insert_in_the_middle_and_respect_the_limits(Compat compat)
    {
        var h = new Harness(4, new ModelOptions { Compat = compat }, Options().Set(o => o.Layers = [1, 4]));
        var record = new ModificationRecord();
        Modify.Apply(ModificationType.RemoveLayer, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeFalse("two layers are the least");
        Modify.Apply(ModificationType.AddLayer, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeTrue();
        record.Layer.Should().Be(1);
        h.Net.Shape.Should().Be("[8,2,8]");
        h.Net.Layers[1].Neurons.Should().OnlyContain(n => !n.IsBroadcast && !n.IsOutput && n.Out == 4);
        if (compat == Compat.Fixed) h.Net.Layers[1].Neurons[0].W[5].Should().Be(1, "fixed mode starts a new layer near identity");
        Modify.Apply(ModificationType.AddLayer, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeTrue();
        Modify.Apply(ModificationType.AddLayer, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeFalse("at most 4 layers");
        h.Net.Layers.Should().HaveCount(4);
        h.Forward().Should().BeInRange(-100, 100);
        Modify.Apply(ModificationType.RemoveLayer, h.Net, h.TrainerOptions, h.Rng("t"), record, []).Should().BeTrue();
        record.Layer.Should().BeInRange(1, 2, "never the first or the last layer");
        h.Net.Layers.Should().HaveCount(3);
        h.Net.Layers[^1].Neurons.Should().OnlyContain(n => n.IsOutput);
    }

    [Fact]
    public void Rewire_is_a_no_op_in_faithful_mode_and_changes_routing_when_fixed()
    {
        var faithful = new Harness(5, trainer: Options());
        faithful.Run(4);
        var before = faithful.Forward();
        for (int i = 0; i < 10; i++) Modify.Apply(ModificationType.Rewire, faithful.Net, faithful.TrainerOptions, faithful.Rng("t"), new(), []);
        faithful.Forward().Should().Be(before, "the stored layer index never matches a layer id, so the default routing comes back");

        var fixedMode = new Harness(5, new ModelOptions { Compat = Compat.Fixed }, Options().Set(o => o.RewireSim = [0.95, 0.95, 0.95, 0.95]));
        fixedMode.Run(4);
        var routes = fixedMode.Net.Layers[0].Neurons.Select(n => n.Targets.Length).Sum();
        bool changed = false;
        for (int i = 0; i < 10; i++)
            changed |= Modify.Apply(ModificationType.Rewire, fixedMode.Net, fixedMode.TrainerOptions, fixedMode.Rng("t"), new(), []);
        changed.Should().BeTrue();
        fixedMode.Forward();
        fixedMode.Net.Layers[0].Neurons.Select(n => n.Targets.Length).Sum().Should().BeLessThan(routes, "a strict threshold keeps fewer targets, and they persist");
    }

    [Fact]
    public void Adjust_moves_thresholds_in_faithful_mode_and_learning_rates_when_fixed()
    {
        var faithful = new Harness(6, trainer: Options());
        Modify.Apply(ModificationType.Adjust, faithful.Net, faithful.TrainerOptions, faithful.Rng("t"), new(), []).Should().BeTrue();
        faithful.Net.Layers.SelectMany(l => l.Neurons).Select(n => n.Threshold).Distinct().Should().ContainSingle().Which.Should().Be(0.1);
        var fixedMode = new Harness(6, new ModelOptions { Compat = Compat.Fixed }, Options());
        Modify.Apply(ModificationType.Adjust, fixedMode.Net, fixedMode.TrainerOptions, fixedMode.Rng("t"), new(), []).Should().BeTrue();
        fixedMode.Net.Layers.SelectMany(l => l.Neurons).Select(n => n.LrScale).Distinct().Should().ContainSingle().Which.Should().BeOneOf(0.5, 2.0);
    }

    [Fact]
    public void A_rollback_restores_the_exact_snapshot_taken_before_the_modification()
    {
        var h = new Harness(7, new ModelOptions { Compat = Compat.Fixed },
            Options(1000).Set(o => { o.SamplesPerStep = 1; o.Strategies = [ModificationType.AddNeuron]; }),
            s => s.Set<IRollbackPolicy>("rollback", new AlwaysRevert(50)));
        h.Run(1000); // the check at sample 1,000 snapshots, then modifies
        var expected = new MemoryState();
        var modification = h.Events.Events.Single(e => e.Type == "modification");
        ((string)modification.Fields["shape_before"]!).Should().NotBe((string)modification.Fields["shape_after"]!);
        Network.SaveLayers(expected, h.Trainer.SnapshotForTests!);
        h.Run(50);
        h.Events.Events.Should().Contain(e => e.Type == "rollback");
        var actual = new MemoryState();
        Network.SaveLayers(actual, h.Net.Layers);
        h.Net.Shape.Should().Be((string)modification.Fields["shape_before"]!);
        actual.Dump().Should().Be(expected.Dump());
        h.Trainer.Records[^1].RolledBack.Should().BeTrue();
    }

    [Theory]
    [InlineData(Compat.Faithful, 10)]
    [InlineData(Compat.Fixed, 21)]
    [InlineData(Compat.Fixed, 30)]
    public void Resume_is_bit_identical_across_a_modification_and_a_rollback(Compat compat, int splitAt)
    {
        Harness Make() => new(8, new ModelOptions { Compat = compat }, Options(500).Set(o => { o.SamplesPerStep = 25; o.Epsilon = 0.3; }),
            s => s.Set<IRollbackPolicy>("rollback", new AlwaysRevert(30)));
        var straight = Make();
        straight.Run(60);
        var first = Make();
        first.Run(splitAt);
        var saved = new MemoryState();
        first.Save(saved);
        var resumed = Make();
        resumed.Load(saved);
        resumed.Run(60 - splitAt);

        straight.Events.Events.Should().Contain(e => e.Type == "modification").And.Contain(e => e.Type == "rollback");
        var (a, b) = (new MemoryState(), new MemoryState());
        straight.Save(a);
        resumed.Save(b);
        b.Dump().Should().Be(a.Dump());
    }

    [Theory]
    [InlineData(3, 0.8, 1.0)]   // learned: rolling reward 0.90–0.94 in the original
    [InlineData(9, -0.3, 0.3)]  // not learned: −0.05..+0.14 in the original
    public void Faithful_mode_learns_digits_0_to_3_and_fails_with_0_to_9(int maxDigit, double low, double high)
    {
        var h = new Harness(11, trainer: Options(5000, maxDigit).Set(o => o.Epsilon = 0.1));
        h.Run(1200); // 60,000 samples
        h.Trainer.RewardHistory.MeanLast(1000).Should().BeInRange(low, high);
        h.Net.NeuronCount.Should().BeGreaterThan(16, "the network grew");
    }
}

public sealed class SkipRoutingTests
{
    [Fact]
    public void A_fixed_rewire_to_a_later_layer_is_a_skip_connection_that_carries_output_forward_and_gradient_back()
    {
        var net = new Network(new ModelOptions { Compat = Compat.Fixed, InitialLayers = 4, InitialNeurons = 2, BroadcastRatio = 0 }, new RngStream(5));
        var rng = new RngStream(6);
        var x = new double[] { 1, 2, 0, 0 };
        net.Forward(x, rng, 100);
        var source = net.Layers[0].Neurons[0];
        // Route neuron 0 of layer 0 straight to layer 2 (skipping layer 1), to its neuron 1.
        (source.Targets, source.TargetLayerId) = ([1], net.Layers[2].Id);
        double with = net.Forward(x, rng, 100);
        source.RoutedTo.Should().Be(2);
        var weights = (double[])source.W.Clone();
        net.Backward(-1, lr: 0.1, gradClip: 5, weightClip: 20);
        source.W.Should().NotEqual(weights, "the gradient reaches the skip-routed neuron through layer 2's input");

        // Its output matters: scaling it changes the prediction.
        for (int i = 0; i < source.W.Length; i++) source.W[i] *= 3;
        net.Forward(x, rng, 100).Should().NotBe(with);
        source.TargetLayerId.Should().Be(net.Layers[2].Id, "the skip connection persists across passes");
    }

    [Fact]
    public void A_skip_target_that_is_removed_falls_back_to_the_next_layer()
    {
        var net = new Network(new ModelOptions { Compat = Compat.Fixed, InitialLayers = 4, InitialNeurons = 2 }, new RngStream(5));
        var rng = new RngStream(6);
        var source = net.Layers[0].Neurons[0];
        (source.Targets, source.TargetLayerId) = ([0], net.Layers[2].Id);
        net.Layers.RemoveAt(2);
        net.Forward(new double[] { 1, 1, 0, 0 }, rng, 100);
        source.RoutedTo.Should().Be(1);
        source.TargetLayerId.Should().Be(net.Layers[1].Id);
    }
}
