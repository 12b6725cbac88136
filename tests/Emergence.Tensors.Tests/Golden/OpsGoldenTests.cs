using System.Text.Json;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Operations;
using static Emergence.Tensors.Tests.Golden.GoldenFixture;

namespace Emergence.Tensors.Tests.Golden;

public sealed class OpsGoldenTests
{
    private static readonly Dictionary<string, Func<Dictionary<string, Tensor<float>>, JsonElement, Tensor<float>>> Cases = new()
    {
        ["add"] = (t, _) => t["a"] + t["b"],
        ["sub"] = (t, _) => t["a"] - t["b"],
        ["mul"] = (t, _) => t["a"] * t["b"],
        ["div"] = (t, _) => t["a"] / t["b"],
        ["matmul"] = (t, _) => Ops.MatMul(t["a"], t["b"]),
        ["matmul_bt"] = (t, _) => Ops.MatMul(t["a"], t["b"], transposeB: true),
        ["bmm_shared"] = (t, _) => Ops.MatMul(t["a"], t["b"]),
        ["sum_axis1"] = (t, _) => Ops.Sum(t["a"], 1),
        ["mean_axis_last_keep"] = (t, _) => Ops.Mean(t["a"], -1, keepDim: true),
        ["max_axis0"] = (t, _) => Ops.Max(t["a"], 0),
        ["sum_all"] = (t, _) => Ops.Sum(t["a"]),
        ["tanh"] = (t, _) => Ops.Tanh(t["a"]),
        ["sigmoid"] = (t, _) => Ops.Sigmoid(t["a"]),
        ["relu"] = (t, _) => Ops.Relu(t["a"]),
        ["gelu"] = (t, _) => Ops.Gelu(t["a"]),
        ["exp"] = (t, _) => Ops.Exp(t["a"]),
        ["log"] = (t, _) => Ops.Log(t["a"]),
        ["softmax"] = (t, _) => Ops.Softmax(t["a"]),
        ["log_softmax"] = (t, _) => Ops.LogSoftmax(t["a"]),
        ["cross_entropy"] = (t, i) => Ops.CrossEntropy(t["a"], Ints(i.GetProperty("targets"))),
        ["mse"] = (t, _) => Ops.Mse(t["a"], t["b"]),
        ["layer_norm"] = (t, _) => Ops.LayerNorm(t["a"], t["w"], t["b"]),
        ["embedding"] = (t, i) => Ops.Embedding(t["a"], Ints(i.GetProperty("ids")), new Shape(2, 3)),
        ["concat"] = (t, _) => Ops.Concat(1, t["a"], t["b"]),
        ["stack"] = (t, _) => Ops.Stack(1, t["a"], t["b"]),
        ["index_select"] = (t, i) => Ops.IndexSelect(t["a"], 1, Ints(i.GetProperty("indices"))),
        ["gather"] = (t, i) => Ops.Gather(t["a"], 1, Ints(i.GetProperty("index")), 2),
        ["masked_fill"] = (t, i) => Ops.MaskedFill(t["a"], Mask(i), -3f),
        ["where"] = (t, i) => Ops.Where(Mask(i), t["a"], t["b"]),
        ["clamp"] = (t, _) => Ops.Clamp(t["a"], -0.5f, 0.7f),
        ["permute"] = (t, _) => Ops.Permute(t["a"], 0, 2, 1, 3),
        ["narrow"] = (t, _) => Ops.Narrow(t["a"], 2, 1, 2),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load("ops.json").GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Op_PyTorchFixture_ForwardAndBackwardMatch(string name)
    {
        var c = Load("ops.json").GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        Cases.Should().ContainKey(name, "every fixture case needs a C# counterpart");
        var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => Tensor(p.Value).WithGrad());
        var tape = new Tape<float>();
        using (tape.Record())
        {
            var y = Cases[name](inputs, c.GetProperty("ints"));
            ShouldMatch(y, Tensor(c.GetProperty("out")), name + " forward");
            tape.Backward(Ops.Sum(Ops.Mul(y, Tensor(c.GetProperty("w")))));
        }
        foreach (var g in c.GetProperty("grads").EnumerateObject())
            ShouldMatch(inputs[g.Name].Grad!, Tensor(g.Value), $"{name} d/d{g.Name}");
    }

    [Fact]
    public void Cases_EveryCSharpCase_HasAPyTorchCase()
    {
        var names = Load("ops.json").GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToHashSet();
        Cases.Keys.Should().BeSubsetOf(names);
    }

    private static bool[] Mask(JsonElement ints) => Ints(ints.GetProperty("mask")).Select(v => v != 0).ToArray();
}
