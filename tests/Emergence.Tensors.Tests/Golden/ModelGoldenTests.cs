using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Operations;
using Emergence.Tensors.Optim;
using static Emergence.Tensors.Tests.Golden.GoldenFixture;

namespace Emergence.Tensors.Tests.Golden;

public sealed class ModelGoldenTests
{
    [Fact]
    public void TransformerBlock_PyTorchFixture_ForwardAndAllGradientsMatch()
    {
        var f = Load("transformer_block.json");
        var cfg = f.GetProperty("config");
        var ps = new ParameterCollection<float>();
        var block = new TransformerBlock<float>(ps, "block0", cfg.GetProperty("d_model").GetInt32(), cfg.GetProperty("heads").GetInt32(),
            cfg.GetProperty("ffn").GetInt32(), causal: true, new RngStream(1));
        var inputs = f.GetProperty("inputs");
        foreach (var p in ps.Items) Tensor(inputs.GetProperty(p.Name!)).Span.CopyTo(p.Span);
        var x = Tensor(inputs.GetProperty("x")).WithGrad();
        var tape = new Tape<float>();
        using (tape.Record())
        {
            var y = block.Forward(x);
            ShouldMatch(y, Tensor(f.GetProperty("out")), "block forward", 1e-4f, 1e-3f);
            tape.Backward(Ops.Sum(Ops.Mul(y, Tensor(f.GetProperty("w")))));
        }
        var grads = f.GetProperty("grads");
        ShouldMatch(x.Grad!, Tensor(grads.GetProperty("x")), "d/dx", 1e-4f, 1e-3f);
        foreach (var p in ps.Items) ShouldMatch(p.Grad!, Tensor(grads.GetProperty(p.Name!)), "d/d" + p.Name, 1e-4f, 1e-3f);
        ps.Count.Should().Be(grads.EnumerateObject().Count() - 1, "every PyTorch parameter is covered");
    }

    [Fact]
    public void HopfieldSettlingLoop_PyTorchFixture_BpttGradientsMatch()
    {
        var f = Load("hopfield.json");
        var cfg = f.GetProperty("config");
        int n = cfg.GetProperty("n").GetInt32(), steps = cfg.GetProperty("steps").GetInt32();
        float beta = (float)cfg.GetProperty("beta").GetDouble();
        var inputs = f.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => Tensor(p.Value).WithGrad());
        var tape = new Tape<float>();
        using (tape.Record())
        {
            var s = inputs["s0"];
            for (int t = 0; t < steps; t++) // s ← LayerNorm(s + tanh(β·(s·W + b + u)))
                s = Ops.LayerNorm(s + Ops.Tanh((Ops.MatMul(s, inputs["W"]) + inputs["b"] + inputs["u"]) * beta), inputs["ln_w"], inputs["ln_b"]);
            ShouldMatch(s, Tensor(f.GetProperty("out")), "settled state", 1e-4f, 1e-3f);
            tape.Backward(Ops.Sum(Ops.Mul(s, Tensor(f.GetProperty("w")))));
        }
        foreach (var g in f.GetProperty("grads").EnumerateObject())
            ShouldMatch(inputs[g.Name].Grad!, Tensor(g.Value), "d/d" + g.Name, 1e-4f, 1e-3f);
        n.Should().Be(inputs["W"].Shape[0]);
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("adam_l2")]
    [InlineData("sgd_momentum")]
    public void Optimizer_ThreeClippedSteps_MatchPyTorch(string which)
    {
        var f = Load("optimizers.json");
        var ps = new ParameterCollection<float>();
        var p = ps.Add("p", Tensor(f.GetProperty("p0")));
        Optimizer<float> opt = which switch
        {
            "adamw" => Adam<float>.AdamW(ps, 0.01, weightDecay: 0.1),
            "adam_l2" => new Adam<float>(ps, 0.01, weightDecay: 0.1),
            _ => new Sgd<float>(ps, 0.1, momentum: 0.9, weightDecay: 0.01),
        };
        foreach (var g in f.GetProperty("grads").EnumerateArray())
        {
            p.Grad = Tensor(g);
            GradClip.ByGlobalNorm(ps, 1.0);
            opt.Step();
        }
        ShouldMatch(p, Tensor(f.GetProperty(which)), which, 1e-6f, 1e-5f);
    }
}
