using System.Numerics;
using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Kernels;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Layers;

/// <summary>
/// <see cref="Count"/> independent MLPs of identical sizes stored side by side, evaluated with one op per layer
/// instead of one per member (an evolving population: many small nets on the same inputs). Layer l has weight
/// <c>{name}.{l}.weight</c> (P, out, in) and bias <c>{name}.{l}.bias</c> (P, out); member p's slice is exactly
/// the weight of a <see cref="Linear{T}"/>. Initialised as <see cref="Count"/> separate <see cref="Mlp{T}"/>s
/// built one after another from the same <see cref="RngStream"/>, so results match such a list of nets.
/// </summary>
public sealed class MlpPopulation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _weights, _biases;
    private readonly Activation _activation;

    /// <summary>Registers the stacked parameters of <paramref name="count"/> MLPs with layer sizes <paramref name="sizes"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes or a count below one.</exception>
    public MlpPopulation(ParameterCollection<T> parameters, string name, int count, int[] sizes, Activation activation, RngStream rng)
    {
        if (sizes.Length < 2) throw new ArgumentException("an MLP needs at least input and output sizes", nameof(sizes));
        if (count < 1) throw new ArgumentException($"population size {count} < 1", nameof(count));
        int layers = sizes.Length - 1;
        (_weights, _biases, _activation, Count) = (new Tensor<T>[layers], new Tensor<T>[layers], activation, count);
        for (int l = 0; l < layers; l++)
        {
            _weights[l] = parameters.Add($"{name}.{l}.weight", Tensor<T>.Zeros(count, sizes[l + 1], sizes[l]));
            _biases[l] = parameters.Add($"{name}.{l}.bias", Tensor<T>.Zeros(count, sizes[l + 1]));
        }
        for (int p = 0; p < count; p++) // member-major draw order, as separate nets would draw
        {
            for (int l = 0; l < layers; l++)
            {
                double bound = 1 / Math.Sqrt(sizes[l]);
                Init.Uniform(Member(_weights[l], p), rng, -bound, bound);
                Init.Uniform(Member(_biases[l], p), rng, -bound, bound);
            }
        }
    }

    /// <summary>Number of member networks P.</summary>
    public int Count { get; }

    /// <summary>Stacked weights per layer, (P, out, in).</summary>
    public IReadOnlyList<Tensor<T>> Weights => _weights;

    /// <summary>Stacked biases per layer, (P, out).</summary>
    public IReadOnlyList<Tensor<T>> Biases => _biases;

    /// <summary>
    /// Shared inputs x (R, in) for every member, or per-member inputs (R, P, in) -> (R, P, out).
    /// The activation follows every layer but the last, as in <see cref="Mlp{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not match the first layer.</exception>
    public Tensor<T> Forward(Tensor<T> x)
    {
        int rows = x.Shape[0];
        if (TryFused(x) is { } fused) return fused;
        Tensor<T> h;
        if (x.Rank == 2) // shared inputs: one (R, in) · (P·out, in)ᵀ product
        {
            var w0 = _weights[0];
            h = Ops.Linear(x, Ops.Reshape(w0, Count * w0.Shape[1], w0.Shape[2]), Ops.Reshape(_biases[0], -1));
            h = Ops.Reshape(h, rows, Count, w0.Shape[1]); // (R, P·out) -> (R, P, out)
        }
        else
        {
            h = Ops.GroupedLinear(x, _weights[0], _biases[0]);
        }
        for (int l = 1; l < _weights.Length; l++)
            h = Ops.GroupedLinear(Mlp<T>.Apply(_activation, h), _weights[l], _biases[l]);
        return h;
    }

    /// <summary>
    /// Two layers on shared inputs with nothing to record (evaluating a population): one fused pass,
    /// <see cref="PopulationMlp"/>, with exactly the composed ops' results; null where it does not apply.
    /// </summary>
    private unsafe Tensor<T>? TryFused(Tensor<T> x)
    {
        if (typeof(T) != typeof(float) || x.Rank != 2 || _weights.Length != 2) return null;
        int rows = x.Shape[0], inF = _weights[0].Shape[2], hidden = _weights[0].Shape[1], outF = _weights[1].Shape[1];
        var activation = _activation switch
        {
            Activation.Tanh => Kernels.Activation.Tanh,
            Activation.Relu => Kernels.Activation.Relu,
            _ => Kernels.Activation.Identity,
        };
        if (x.Shape[1] != inF || !PopulationMlp.Applies(rows, inF, Count, hidden, outF, activation)) return null;
        if (Tape<T>.RecorderFor(x, _weights[0], _biases[0]) is not null || Tape<T>.RecorderFor(_weights[1], _biases[1]) is not null) return null;
        var y = Tape<T>.New(new Shape(rows, Count, outF));
        fixed (T* px = x.Span, pw1 = _weights[0].Span, pb1 = _biases[0].Span, pw2 = _weights[1].Span, pb2 = _biases[1].Span, py = y.Span)
        {
            PopulationMlp.Run(rows, inF, Count, hidden, (float*)px, (float*)pw1, (float*)pb1, activation,
                (float*)pw2, (float*)pb2, (float*)py, Environment.ProcessorCount);
        }
        return y;
    }

    /// <summary>Copies member <paramref name="index"/>'s weights from <paramref name="net"/> (same sizes).</summary>
    /// <exception cref="ArgumentException">The net's layer sizes differ.</exception>
    public void CopyMemberFrom(int index, Mlp<T> net)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (net.Layers.Count != _weights.Length) throw new ArgumentException("layer counts differ", nameof(net));
        for (int l = 0; l < _weights.Length; l++)
        {
            var layer = net.Layers[l];
            var w = Member(_weights[l], index);
            var b = Member(_biases[l], index);
            if (layer.Weight.Shape != w.Shape || layer.Bias is null || layer.Bias.Shape != b.Shape)
                throw new ArgumentException($"layer {l}: net has {layer.Weight.Shape}, population member has {w.Shape}", nameof(net));
            layer.Weight.Span.CopyTo(w.Span);
            layer.Bias.Span.CopyTo(b.Span);
        }
    }

    /// <summary>Member p's slice of a stacked (P, ...) tensor, sharing its storage.</summary>
    private static Tensor<T> Member(Tensor<T> stacked, int p)
    {
        var shape = stacked.Rank == 3 ? new Shape(stacked.Shape[1], stacked.Shape[2]) : new Shape(stacked.Shape[1]);
        return new Tensor<T>(stacked.Buffer, stacked.Offset + p * shape.Length, shape, null);
    }
}
