using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Operations;
using Emergence.Tensors.Optim;

namespace Emergence.Tensors.Tests.Autograd;

[Collection(Support.SerialCollection.Name)]
public sealed class TapeTests
{
    [Fact]
    public void Backward_TensorUsedTwice_AccumulatesGradient()
    {
        var x = Tensor<double>.From([1.5, -2.0], 2).WithGrad();
        var tape = new Tape<double>();
        using (tape.Record()) tape.Backward(Ops.Sum(x * x + x * 3.0)); // d/dx = 2x + 3
        x.Grad!.ToArray().Should().Equal(6.0, -1.0);
    }

    [Fact]
    public void Backward_LoopOverSteps_MatchesUnrolledChainRule()
    {
        var w = Tensor<double>.From([0.7], 1).WithGrad();
        var tape = new Tape<double>();
        using (tape.Record())
        {
            var s = Tensor<double>.From([1.0], 1);
            for (int t = 0; t < 3; t++) s = s * w; // s = w³
            tape.Backward(Ops.Sum(s));
        }
        w.Grad![0].Should().BeApproximately(3 * 0.7 * 0.7, 1e-12);
    }

    [Fact]
    public void NoGrad_InsideRecording_RecordsNothing()
    {
        var x = Tensor<float>.From([1f, 2f], 2).WithGrad();
        var tape = new Tape<float>();
        using (tape.Record())
        {
            using (GradMode.NoGrad())
            {
                var y = Ops.Tanh(x);
                y.RequiresGrad.Should().BeFalse();
            }
            tape.Count.Should().Be(0);
            GradMode.IsEnabled.Should().BeTrue();
        }
    }

    [Fact]
    public void Detach_CutsTheGraph_ButSharesData()
    {
        var x = Tensor<double>.From([2.0], 1).WithGrad();
        var tape = new Tape<double>();
        using (tape.Record())
        {
            var d = (x * x).Detach();
            d.RequiresGrad.Should().BeFalse();
            tape.Backward(Ops.Sum(d * x)); // d is a constant 4
        }
        x.Grad![0].Should().Be(4.0);
    }

    [Fact]
    public void Record_SecondStep_RecyclesPreviousTensors()
    {
        var x = Tensor<float>.From([1f, 2f, 3f], 3);
        var tape = new Tape<float>();
        float[] first;
        using (tape.Record()) first = Ops.Exp(x).Buffer;
        using (tape.Record()) Ops.Exp(x).Buffer.Should().BeSameAs(first);
    }

    [Fact]
    public void TrainingStep_SteadyState_NoGen2AndArenaReused()
    {
        var rng = new RngStream(3);
        var model = new MicroTransformer<float>(17, 4, 16, 2, 32, 1, rng);
        var opt = Adam<float>.AdamW(model.Parameters, 1e-3);
        var tape = new Tape<float>();
        int[] ids = Enumerable.Range(0, 8 * 4).Select(i => i % 17).ToArray(), tgt = ids.Select(i => (i + 1) % 17).ToArray();
        void Step()
        {
            opt.ZeroGrad();
            using (tape.Record()) tape.Backward(Ops.CrossEntropy(model.Forward(ids, 8, 4), tgt));
            opt.Step();
        }
        for (int i = 0; i < 5; i++) Step();
        long elements = tape.ArenaElements;
        int gen2 = GC.CollectionCount(2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        GC.CollectionCount(2).Should().Be(gen2);
        tape.ArenaElements.Should().Be(elements, "the arena reuses the same buffers every step");
        // Tensor buffers come from the arena; what remains is per-call bookkeeping (e.g. Parallel.For in batched GEMM),
        // which must stay tiny next to the step's tensor data.
        perStep.Should().BeLessThan(elements * sizeof(float) / 20);
    }
}
