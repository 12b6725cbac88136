using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Tests.Fakes;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Strategies;

public sealed class EdgeLearningRulesTests
{
    private static (Emergence.Plugins.SparkNet.Model.SparkNetModel Model, SparkStep Step) Setup()
    {
        var w = new float[36];
        w[4 * 6 + 1] = 0.2f; // W[q=4, p=1]
        var model = TestSupport.Model(6, w, 1);
        model.S[1] = 0.5f;
        model.S[4] = 0.8f;
        return (model, TestSupport.Step(model, new SparkNetTrainerOptions { LrEdge = 0.1 }));
    }

    [Fact]
    public void Ema_WritesEntryQPTowardSp()
    {
        var (model, step) = Setup();
        new EmaEdge().Learn(step, 1, 4);
        model.W[4 * 6 + 1].Should().Be(0.9f * 0.2f + 0.1f * 0.5f);
        model.W[1 * 6 + 4].Should().Be(0f);
        step.Visits.Items.ToArray().Should().Equal(25);
    }

    [Fact]
    public void Additive_AddsEtaSp()
    {
        var (model, step) = Setup();
        new AdditiveEdge().Learn(step, 1, 4);
        model.W[25].Should().Be(0.2f + 0.1f * 0.5f);
    }

    [Fact]
    public void Boost_MultipliesAndAddsBonus()
    {
        var (model, step) = Setup();
        new BoostEdge(new BoostEdgeOptions()).Learn(step, 1, 4);
        model.W[25].Should().Be(1.5f * 0.2f + 0.05f);
    }

    [Fact]
    public void Hebbian_AddsEtaPreTimesPost()
    {
        var (model, step) = Setup();
        new HebbianEdge().Learn(step, 1, 4);
        model.W[25].Should().Be(0.2f + 0.1f * 0.5f * 0.8f);
    }

    [Fact]
    public void Ripple_AlsoMovesTopOutgoingEdgesOfQ()
    {
        var (model, step) = Setup();
        model.W[0 * 6 + 4] = 0.3f; // edge 4 -> 0
        model.W[2 * 6 + 4] = 0.1f; // edge 4 -> 2
        model.W[3 * 6 + 4] = -0.4f;
        new RippleEdge(new RippleEdgeOptions { TopM = 2, Gain = 0.5 }).Learn(step, 1, 4);
        float rate = 0.1f * 0.5f;
        model.W[25].Should().Be(0.9f * 0.2f + 0.1f * 0.5f);
        model.W[0 * 6 + 4].Should().Be((1f - rate) * 0.3f + rate * 0.8f);
        model.W[2 * 6 + 4].Should().Be((1f - rate) * 0.1f + rate * 0.8f);
        model.W[3 * 6 + 4].Should().Be(-0.4f);
        step.Visits.Count.Should().Be(3);
    }
}
