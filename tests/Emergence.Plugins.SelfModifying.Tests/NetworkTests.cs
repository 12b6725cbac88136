using Emergence.Contracts.Random;

namespace Emergence.Plugins.SelfModifying.Tests;

public sealed class NetworkTests
{
    [Theory]
    [InlineData(Compat.Faithful)]
    [InlineData(Compat.Fixed)]
    public void A_fresh_network_predicts_exactly_9_for_a_zero_input(Compat compat)
    {
        var net = new Network(new ModelOptions { Compat = compat }, new RngStream(3));
        net.Forward(new double[4], new RngStream(4), 100).Should().Be(9.0);
        net.Shape.Should().Be("[8,8]");
        net.Layers[0].Neurons.Count(n => n.IsBroadcast).Should().Be(1, "the first floor(0.2 * 8) neurons broadcast");
        net.Layers[1].Neurons.Should().OnlyContain(n => n.IsOutput && n.Out == 1);
    }

    /// <summary>
    /// A 2-layer, 2-neuron network with hand-set weights, one faithful SGD step worked out by hand: the full gradient to
    /// every neuron, the loss-gradient clip (±10), the delta clip (±5), the per-weight gradient clip (±5), the weight clip
    /// (±20), grad_in from the updated weights, and the mean passed to the previous layer.
    /// </summary>
    [Fact]
    public void A_faithful_gradient_step_matches_the_hand_computation_including_every_clip()
    {
        var net = new Network(new ModelOptions { InitialNeurons = 2, BroadcastRatio = 0.5 }, new RngStream(1));
        var (h0, h1) = (net.Layers[0].Neurons[0], net.Layers[0].Neurons[1]);
        var (o0, o1) = (net.Layers[1].Neurons[0], net.Layers[1].Neurons[1]);
        Array.Clear(h0.W); Array.Clear(h1.W); Array.Clear(h0.B); Array.Clear(h1.B);
        h0.W[0 * 4 + 0] = 0.5;   // h0: out0 = tanh(0.5 x0)
        h1.W[1 * 4 + 1] = 19.9;  // h1: out1 = tanh(19.9 x1): its update will hit the weight clip
        o0.W[0] = 2; o0.W[1] = 1; o0.B[0] = 1;
        o1.W[0] = 0; o1.W[1] = 3; o1.B[0] = 0;
        // h0 broadcasts (ratio 0.5 → the first neuron); h1 routes by tag affinity or to one random neuron: force both to broadcast.
        h1.IsBroadcast = true;
        var x = new[] { 1.0, 0.5, 0, 0 };
        double p = net.Forward(x, new RngStream(9), 100);
        double a = Math.Tanh(0.5), b = Math.Tanh(19.9 * 0.5);
        // Layer 0 output: both neurons reach both next neurons; m_j = mean(h0, h1) for each j; layer output = that mean.
        double[] u = [a / 2, b / 2, 0, 0];
        double y0 = 2 * u[0] + 1 * u[1] + 1, y1 = 3 * u[1];
        p.Should().BeApproximately((y0 + y1) / 2, 1e-12);

        const double Target = 20;
        double g = Math.Clamp(2 * (p - Target), -10, 10);
        g.Should().Be(-10, "the loss gradient is clipped");
        net.Backward(g, lr: 0.1, gradClip: 5, weightClip: 20);

        // Output neurons get the full g; delta = g clipped to ±5; ∇W = x_in·delta clipped to ±5; W -= 0.1 ∇W.
        double d = Math.Clamp(g, -5, 5);
        o0.W[0].Should().BeApproximately(2 - 0.1 * Math.Clamp(u[0] * d, -5, 5), 1e-12);
        o0.W[1].Should().BeApproximately(1 - 0.1 * Math.Clamp(u[1] * d, -5, 5), 1e-12);
        o0.B[0].Should().BeApproximately(1 - 0.1 * d, 1e-12);
        o1.W[1].Should().BeApproximately(3 - 0.1 * Math.Clamp(u[1] * d, -5, 5), 1e-12);
        // grad_in uses the updated W; the layer passes the mean of its neurons' grad_in.
        double[] gi = new double[4];
        for (int i = 0; i < 4; i++) gi[i] = (o0.W[i] * d + o1.W[i] * d) / 2;
        // Hidden neuron h0, output 0: delta = gi0 (1 - a²), clipped to ±5.
        double d0 = Math.Clamp(gi[0] * (1 - a * a), -5, 5);
        h0.W[0].Should().BeApproximately(0.5 - 0.1 * Math.Clamp(x[0] * d0, -5, 5), 1e-12);
        // Hidden neuron h1, output 1: tanh saturated, tiny delta; then the weight clip at ±20 only bites if pushed past it.
        double d1 = Math.Clamp(gi[1] * (1 - b * b), -5, 5);
        h1.W[1 * 4 + 1].Should().BeApproximately(Math.Clamp(19.9 - 0.1 * Math.Clamp(x[1] * d1, -5, 5), -20, 20), 1e-12);
        h1.B[1].Should().BeApproximately(-0.1 * d1, 1e-12);
    }

    [Fact]
    public void The_weight_clip_bounds_weights_after_an_update()
    {
        var net = new Network(new ModelOptions { InitialNeurons = 2 }, new RngStream(1));
        var o = net.Layers[1].Neurons[0];
        o.W[0] = 19.99;
        net.Forward(new[] { -50.0, 0, 0, 0 }, new RngStream(2), 100);
        net.Backward(-10, lr: 0.5, gradClip: 5, weightClip: 20);
        net.Layers.SelectMany(l => l.Neurons).SelectMany(n => n.W.Concat(n.B)).Should().OnlyContain(w => w >= -20 && w <= 20);
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.2, 1)]
    [InlineData(0.2000001, 0)]
    [InlineData(0.6, 0)]
    [InlineData(0.6000001, -1)]
    [InlineData(1e9, -1)]
    public void Reward_cut_offs_follow_the_trainer_thresholds(double rel, double reward) =>
        new TernaryReward(new TernaryOptions()).Reward(rel).Should().Be(reward);
}
