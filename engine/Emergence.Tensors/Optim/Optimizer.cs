using System.Numerics;
using Emergence.Contracts.State;
using Emergence.Tensors.Layers;

namespace Emergence.Tensors.Optim;

/// <summary>
/// Updates a <see cref="ParameterCollection{T}"/> from its gradients. State (step count, moments) is saved
/// per parameter name, so a restored optimiser continues bit-exactly.
/// </summary>
public abstract class Optimizer<T> : IStateful where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Binds the optimiser to <paramref name="parameters"/>.</summary>
    protected Optimizer(ParameterCollection<T> parameters, double learningRate)
    {
        Parameters = parameters;
        LearningRate = learningRate;
    }

    /// <summary>The parameters updated.</summary>
    public ParameterCollection<T> Parameters { get; }

    /// <summary>Current learning rate (set it from an <see cref="ILrSchedule"/> each step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Applies one update from the current gradients (parameters without a gradient are skipped).</summary>
    public void Step()
    {
        StepCount++;
        var items = Parameters.Items;
        for (int i = 0; i < items.Count; i++)
            if (items[i].Grad is { } g) Update(i, items[i].Span, g.Span);
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad() => Parameters.ZeroGrad();

    /// <summary>Updates parameter <paramref name="index"/> in place.</summary>
    protected abstract void Update(int index, Span<T> p, ReadOnlySpan<T> g);

    /// <summary>The moment buffers to checkpoint, keyed by a short name (e.g. <c>m</c>, <c>v</c>).</summary>
    protected abstract IEnumerable<(string Key, T[][] Buffers)> StateBuffers();

    /// <summary>Lazily allocated per-parameter buffer.</summary>
    protected T[] Buffer(T[][] slots, int index) => slots[index] ??= new T[Parameters.Items[index].Length];

    /// <inheritdoc />
    public void Save(IStateWriter writer)
    {
        writer.WriteInt64("step", StepCount);
        writer.WriteDouble("lr", LearningRate);
        foreach (var (key, buffers) in StateBuffers())
        {
            var section = writer.Section(key);
            for (int i = 0; i < buffers.Length; i++)
                ParameterCollection<T>.WriteTensor(section, Parameters.Items[i].Name!, new Tensor<T>(Buffer(buffers, i), Parameters.Items[i].Shape));
        }
    }

    /// <inheritdoc />
    public void Load(IStateReader reader)
    {
        StepCount = reader.ReadInt64("step");
        LearningRate = reader.ReadDouble("lr");
        foreach (var (key, buffers) in StateBuffers())
        {
            var section = reader.Section(key);
            for (int i = 0; i < buffers.Length; i++)
                ParameterCollection<T>.ReadTensor(section, Parameters.Items[i].Name!, new Tensor<T>(Buffer(buffers, i), Parameters.Items[i].Shape));
        }
    }
}
