using Emergence.Contracts.Random;
using Emergence.Tensors;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Operations;
using Emergence.Tensors.Optim;

namespace Emergence.Bench;

/// <summary>One repeatable unit of work for <see cref="TensorsBench"/>.</summary>
internal interface IWorkload : IDisposable
{
    void Step();
}

/// <summary>The C# side of each TensorsBench scenario (mirrors tools/bench/peers/torch_tensors.py).</summary>
internal static class TensorsWorkloads
{
    public static IWorkload Create(string name) => name switch
    {
        "mlp40" => new MlpPopulation(),
        "transformer32" => new TransformerStep(32, 64),
        "transformer128" => new TransformerStep(128, 512),
        "hopfield" => new HopfieldBptt(),
        _ => throw new ArgumentException($"unknown scenario {name}", nameof(name)),
    };

    private static Tensor<float> Normal(RngStream rng, double std, params int[] dims)
    {
        var t = Tensor<float>.Zeros(dims);
        Init.Normal(t, rng, 0, std);
        return t;
    }

    /// <summary>
    /// 40 independent 256-8-1 tanh MLPs, forward of the same 100 points, no grad, as one
    /// <see cref="MlpPopulation{T}"/> (initialised exactly like 40 separate <see cref="Mlp{T}"/>s from the same
    /// stream): one (100, 256)·(320, 256)ᵀ product, tanh, one grouped 8→1 layer. The peer runs 40 nn.Sequential.
    /// </summary>
    private sealed class MlpPopulation : IWorkload
    {
        private readonly MlpPopulation<float> _nets;
        private readonly Tensor<float> _x;
        private readonly Tape<float> _tape = new();

        public MlpPopulation()
        {
            var rng = new RngStream(1);
            _nets = new MlpPopulation<float>(new ParameterCollection<float>(), "nets", 40, [256, 8, 1], Activation.Tanh, rng);
            _x = Normal(rng, 1, 100, 256);
        }

        public void Step()
        {
            using var rec = _tape.Record(); // arena only: recycles outputs
            using var ng = GradMode.NoGrad();
            _nets.Forward(_x); // (100, 40, 1)
        }

        public void Dispose() { }
    }

    /// <summary>MicroTransformer (vocab 98, seq 3, batch 512, 1 layer) AdamW training step.</summary>
    private sealed class TransformerStep : IWorkload
    {
        private readonly MicroTransformer<float> _model;
        private readonly Adam<float> _opt;
        private readonly Tape<float> _tape = new();
        private readonly int[] _ids = new int[512 * 3], _targets = new int[512 * 3];

        public TransformerStep(int dModel, int ffn)
        {
            var rng = new RngStream(2);
            _model = new MicroTransformer<float>(98, 3, dModel, 4, ffn, 1, rng);
            _opt = Adam<float>.AdamW(_model.Parameters, 1e-3);
            for (int i = 0; i < _ids.Length; i++) (_ids[i], _targets[i]) = (rng.NextInt(98), rng.NextInt(98));
        }

        public void Step()
        {
            _opt.ZeroGrad();
            using (_tape.Record())
            {
                var loss = Ops.CrossEntropy(_model.Forward(_ids, 512, 3), _targets);
                _tape.Backward(loss);
            }
            _opt.Step();
        }

        public void Dispose() { }
    }

    /// <summary>Hopfield settling: 20 steps of s = tanh(s·W + b), N 1000, batch 64, loss mean(s²), BPTT.</summary>
    private sealed class HopfieldBptt : IWorkload
    {
        private readonly Tensor<float> _w, _b, _s0;
        private readonly Tape<float> _tape = new();

        public HopfieldBptt()
        {
            var rng = new RngStream(3);
            _w = Normal(rng, 1 / Math.Sqrt(1000), 1000, 1000).WithGrad();
            _b = Tensor<float>.Zeros(1000).WithGrad();
            _s0 = Normal(rng, 1, 64, 1000);
        }

        public void Step()
        {
            _w.ZeroGrad();
            _b.ZeroGrad();
            using (_tape.Record())
            {
                var s = _s0;
                for (int t = 0; t < 20; t++) s = Ops.Tanh(Ops.Add(Ops.MatMul(s, _w), _b));
                _tape.Backward(Ops.Mean(Ops.Mul(s, s)));
            }
        }

        public void Dispose() { }
    }
}
