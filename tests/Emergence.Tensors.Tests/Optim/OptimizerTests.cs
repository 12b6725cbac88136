using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Operations;
using Emergence.Tensors.Optim;
using Emergence.Tensors.Tests.Support;

namespace Emergence.Tensors.Tests.Optim;

public sealed class OptimizerTests
{
    private static (MicroTransformer<float> Model, Optimizer<float> Opt) Make(bool adam)
    {
        var m = new MicroTransformer<float>(13, 3, 8, 2, 16, 1, new RngStream(9));
        Optimizer<float> o = adam ? Adam<float>.AdamW(m.Parameters, 1e-2) : new Sgd<float>(m.Parameters, 0.05, momentum: 0.9);
        return (m, o);
    }

    private static void Train(MicroTransformer<float> m, Optimizer<float> o, int steps, int seed)
    {
        var rng = new RngStream((ulong)seed);
        var tape = new Tape<float>();
        for (int s = 0; s < steps; s++)
        {
            int[] ids = Enumerable.Range(0, 12).Select(_ => rng.NextInt(13)).ToArray();
            o.ZeroGrad();
            using (tape.Record()) tape.Backward(Ops.CrossEntropy(m.Forward(ids, 4, 3), ids));
            GradClip.ByGlobalNorm(m.Parameters, 1.0);
            o.Step();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SaveLoad_MidTraining_ContinuesBitExactly(bool adam)
    {
        var (a, oa) = Make(adam);
        Train(a, oa, 5, 1);
        var state = new MemoryState();
        a.Parameters.Save(((Contracts.State.IStateWriter)state).Section("params"));
        oa.Save(((Contracts.State.IStateWriter)state).Section("opt"));
        Train(a, oa, 5, 2);

        var (b, ob) = Make(adam);
        b.Parameters.Load(((Contracts.State.IStateReader)state).Section("params"));
        ob.Load(((Contracts.State.IStateReader)state).Section("opt"));
        Train(b, ob, 5, 2);
        ob.StepCount.Should().Be(10);
        foreach (var p in a.Parameters.Items) b.Parameters[p.Name!].ToArray().Should().Equal(p.ToArray(), p.Name);
    }

    [Fact]
    public void Train_AdamW_ReducesLoss()
    {
        var (m, o) = Make(true);
        int[] ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var tape = new Tape<float>();
        float Loss()
        {
            using (tape.Record()) return Ops.CrossEntropy(m.Forward(ids, 4, 3), ids).ToScalar();
        }
        float before = Loss();
        for (int i = 0; i < 50; i++)
        {
            o.ZeroGrad();
            using (tape.Record()) tape.Backward(Ops.CrossEntropy(m.Forward(ids, 4, 3), ids));
            o.Step();
        }
        Loss().Should().BeLessThan(before * 0.5f);
    }

    [Fact]
    public void ByValue_LargeGradients_AreClamped()
    {
        var ps = new ParameterCollection<float>();
        var p = ps.Add("p", Tensor<float>.Zeros(3));
        p.Grad = Tensor<float>.From([-5f, 0.2f, 3f], 3);
        GradClip.ByValue(ps, 1.0);
        p.Grad.ToArray().Should().Equal(-1f, 0.2f, 1f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AdamFloat_VectorLanesAndScalarTail_BitIdentical(bool decoupled)
    {
        // 35 elements: lanes 0..31 take the Vector512 path, 32..34 the scalar loop; equal inputs must give equal bits.
        var ps = new ParameterCollection<float>();
        var w = ps.Add("w", Tensor<float>.Zeros(35));
        var rng = new RngStream(5);
        var seed = new float[16];
        rng.FillNormal(seed);
        for (int i = 0; i < 35; i++) w[i] = seed[i % 16];
        var opt = new Adam<float>(ps, 1e-2, weightDecay: 0.1, decoupled: decoupled);
        for (int step = 0; step < 3; step++)
        {
            w.Grad = Tensor<float>.Zeros(35);
            for (int i = 0; i < 35; i++) w.Grad[i] = seed[(i + step) % 16] * (step + 1);
            opt.Step();
        }
        for (int i = 16; i < 35; i++) w[i].Should().Be(w[i - 16], $"element {i}");
    }
}
