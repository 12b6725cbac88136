using Emergence.Plugins.SparkNet.Standalone;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;

namespace Emergence.Plugins.SparkNet.Tests.Plugin;

public sealed class SparkNetPluginTests
{
    [Fact]
    public void Register_DeclaresNineSlotsWithEveryVariant()
    {
        var session = TestSupport.Session(1, TestSupport.Small());
        session.StrategyNames.Should().BeEquivalentTo(new Dictionary<string, List<string>>
        {
            ["activation"] = ["overwrite", "leaky", "relu_clamp"],
            ["presence"] = ["force"],
            ["movement"] = ["softmax", "proportional", "cycling"],
            ["lifecycle"] = ["energy_decay"],
            ["spawn"] = ["memory_softmax", "uniform", "fixed"],
            ["edge_learning"] = ["ema", "additive", "boost", "hebbian", "ripple"],
            ["memory"] = ["decay_deposit", "diffusion"],
            ["weight_decay"] = ["global", "unvisited", "slow_visited"],
            ["layout"] = ["faithful", "persistent", "mds"],
        });
        new SparkNetPlugin().Info.Name.Should().Be("sparknet");
    }

    [Fact]
    public void EveryStrategy_Runs160Steps_AndChangesTheTrajectoryExceptEquivalentOnes()
    {
        var baseline = TestSupport.Session(5, TestSupport.Small(12, 2, 3));
        baseline.Run(160);
        string reference = TestSupport.Hash(baseline.Model);
        foreach (var (slot, names) in baseline.StrategyNames)
        foreach (var name in names.Skip(1))
        {
            var session = TestSupport.Session(5, TestSupport.Small(12, 2, 3), null, (slot, name, null));
            session.Run(160);
            bool layoutOnly = slot == Slots.Layout;
            if (layoutOnly) TestSupport.Hash(session.Model).Should().Be(reference, $"{slot}:{name} must not feed back");
            else TestSupport.Hash(session.Model).Should().NotBe(reference, $"{slot}:{name} should change the trajectory");
        }
    }

    [Fact]
    public void Swap_BetweenSteps_TakesEffectAtNextStep()
    {
        var session = TestSupport.Session(5, TestSupport.Small(12, 2, 3));
        session.Run(5);
        session.Swap(Slots.Spawn, "fixed");
        session.Strategy(Slots.Spawn).Should().BeOfType<FixedSpawn>();
        session.Run(5);
        session.Model.T.Should().Be(10);
    }
}
