using System.Numerics;
using Emergence.Tensors.Layers;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Optim;

/// <summary>
/// SGD with momentum as <c>torch.optim.SGD</c>: <c>g += wd·p; buf = μ·buf + g</c> (buf = g on the first
/// step); <c>p -= lr·buf</c>.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _momentum;

    /// <summary>Creates the optimiser.</summary>
    public Sgd(ParameterCollection<T> parameters, double learningRate, double momentum = 0, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        (Momentum, WeightDecay) = (momentum, weightDecay);
        _momentum = new T[parameters.Count][];
    }

    /// <summary>Momentum factor μ in [0, 1).</summary>
    public double Momentum { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    protected override void Update(int index, Span<T> p, ReadOnlySpan<T> g)
    {
        T lr = T.CreateChecked(LearningRate);
        if (Momentum == 0 && WeightDecay == 0)
        {
            TP.MultiplyAdd(g, -lr, p, p);
            return;
        }
        var buf = Buffer(_momentum, index);
        T mu = T.CreateChecked(Momentum), wd = T.CreateChecked(WeightDecay);
        bool first = StepCount == 1;
        for (int i = 0; i < p.Length; i++)
        {
            T d = g[i] + wd * p[i];
            buf[i] = first || Momentum == 0 ? d : mu * buf[i] + d;
            p[i] -= lr * buf[i];
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Key, T[][] Buffers)> StateBuffers()
    {
        if (Momentum != 0) yield return ("momentum", _momentum);
    }
}
