using System.Numerics;
using Emergence.Contracts.Random;
using Emergence.Tensors.Operations;

namespace Emergence.Tensors.Layers;

/// <summary>
/// Multi-head self-attention with separate q, k, v and output projections
/// (<c>{name}.q</c>, <c>.k</c>, <c>.v</c>, <c>.o</c>), scaled dot-product, optional causal mask.
/// </summary>
public sealed class MultiHeadAttention<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _q, _k, _v, _o;
    private readonly int _heads;
    private readonly bool _causal;

    /// <summary>Creates the layer; <paramref name="dModel"/> must divide by <paramref name="heads"/>.</summary>
    public MultiHeadAttention(ParameterCollection<T> parameters, string name, int dModel, int heads, bool causal, RngStream rng)
    {
        if (heads <= 0 || dModel % heads != 0) throw new ArgumentException($"d_model {dModel} does not split into {heads} heads", nameof(heads));
        _q = new Linear<T>(parameters, name + ".q", dModel, dModel, rng);
        _k = new Linear<T>(parameters, name + ".k", dModel, dModel, rng);
        _v = new Linear<T>(parameters, name + ".v", dModel, dModel, rng);
        _o = new Linear<T>(parameters, name + ".o", dModel, dModel, rng);
        (_heads, _causal) = (heads, causal);
    }

    /// <summary>(B, T, C) -> (B, T, C).</summary>
    public Tensor<T> Forward(Tensor<T> x) =>
        _o.Forward(Ops.MultiHeadAttention(_q.Forward(x), _k.Forward(x), _v.Forward(x), _heads, _causal)); // fused split, softmax(qkᵀ/√D)v, merge
}

/// <summary>Pre-norm transformer block: <c>x + attn(ln1(x))</c>, then <c>x + ffn(ln2(x))</c>, FFN = Linear-GELU-Linear.</summary>
public sealed class TransformerBlock<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LayerNorm<T> _ln1, _ln2;
    private readonly MultiHeadAttention<T> _attn;
    private readonly Mlp<T> _ffn;

    /// <summary>Registers <c>{name}.ln1</c>, <c>.attn</c>, <c>.ln2</c>, <c>.ffn.0</c>, <c>.ffn.1</c>.</summary>
    public TransformerBlock(ParameterCollection<T> parameters, string name, int dModel, int heads, int ffn, bool causal, RngStream rng)
    {
        _ln1 = new LayerNorm<T>(parameters, name + ".ln1", dModel);
        _attn = new MultiHeadAttention<T>(parameters, name + ".attn", dModel, heads, causal, rng);
        _ln2 = new LayerNorm<T>(parameters, name + ".ln2", dModel);
        _ffn = new Mlp<T>(parameters, name + ".ffn", [dModel, ffn, dModel], Activation.Gelu, rng);
    }

    /// <summary>(B, T, C) -> (B, T, C).</summary>
    public Tensor<T> Forward(Tensor<T> x)
    {
        x = Ops.Add(x, _attn.Forward(_ln1.Forward(x)));
        return Ops.Add(x, _ffn.Forward(_ln2.Forward(x)));
    }
}

/// <summary>
/// Small causal language model: token + position embeddings, <c>layers</c> transformer blocks, final
/// layer norm and a linear head to the vocabulary.
/// </summary>
public sealed class MicroTransformer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Embedding<T> _tok, _pos;
    private readonly TransformerBlock<T>[] _blocks;
    private readonly LayerNorm<T> _lnF;
    private readonly Linear<T> _head;
    private int[] _positions = [];

    /// <summary>Builds the model, drawing every initial weight from <paramref name="rng"/> in registration order.</summary>
    public MicroTransformer(int vocab, int maxSeq, int dModel, int heads, int ffn, int layers, RngStream rng)
    {
        _tok = new Embedding<T>(Parameters, "tok", vocab, dModel, rng);
        _pos = new Embedding<T>(Parameters, "pos", maxSeq, dModel, rng);
        _blocks = new TransformerBlock<T>[layers];
        for (int i = 0; i < layers; i++) _blocks[i] = new TransformerBlock<T>(Parameters, $"block{i}", dModel, heads, ffn, causal: true, rng);
        _lnF = new LayerNorm<T>(Parameters, "ln_f", dModel);
        _head = new Linear<T>(Parameters, "head", dModel, vocab, rng);
    }

    /// <summary>All parameters by name.</summary>
    public ParameterCollection<T> Parameters { get; } = new();

    /// <summary>Token ids (B·T, row-major) -> logits (B, T, vocab).</summary>
    public Tensor<T> Forward(int[] tokens, int batch, int seq)
    {
        if (_positions.Length != seq)
        {
            _positions = new int[seq];
            for (int i = 0; i < seq; i++) _positions[i] = i;
        }
        var x = Ops.Add(_tok.Forward(tokens, new Shape(batch, seq)), _pos.Forward(_positions, new Shape(seq))); // (B, T, C) + (T, C)
        foreach (var block in _blocks) x = block.Forward(x);
        return _head.Forward(_lnF.Forward(x));
    }
}
