using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Emergence.Tensors.Layers;

namespace Emergence.Tensors.Optim;

/// <summary>
/// Adam / AdamW exactly as <c>torch.optim.Adam(W)</c> (non-amsgrad): <c>m = β₁m + (1-β₁)g</c>,
/// <c>v = β₂v + (1-β₂)g²</c>, <c>p -= (lr/(1-β₁ᵗ)) · m / (√v/√(1-β₂ᵗ) + ε)</c>. Weight decay is decoupled
/// (<c>p *= 1 - lr·wd</c> first) when <see cref="Decoupled"/>, else added to the gradient (L2).
/// </summary>
public sealed class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _m, _v;

    /// <summary>Creates Adam (<paramref name="decoupled"/> false) or AdamW (true; PyTorch default wd 0.01).</summary>
    public Adam(ParameterCollection<T> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool decoupled = false) : base(parameters, learningRate)
    {
        (Beta1, Beta2, Eps, WeightDecay, Decoupled) = (beta1, beta2, eps, weightDecay, decoupled);
        _m = new T[parameters.Count][];
        _v = new T[parameters.Count][];
    }

    /// <summary>AdamW with decoupled weight decay (PyTorch defaults: lr 1e-3, wd 0.01).</summary>
    public static Adam<T> AdamW(ParameterCollection<T> parameters, double learningRate = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) =>
        new(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true);

    /// <summary>First-moment decay β₁.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay β₂.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator floor ε.</summary>
    public double Eps { get; }

    /// <summary>Weight decay factor.</summary>
    public double WeightDecay { get; }

    /// <summary>True for AdamW.</summary>
    public bool Decoupled { get; }

    /// <inheritdoc />
    protected override void Update(int index, Span<T> p, ReadOnlySpan<T> g)
    {
        var m = Buffer(_m, index);
        var v = Buffer(_v, index);
        double bc1 = 1 - Math.Pow(Beta1, StepCount), bc2 = 1 - Math.Pow(Beta2, StepCount);
        T b1 = T.CreateChecked(Beta1), b2 = T.CreateChecked(Beta2), c1 = T.One - b1, c2 = T.One - b2;
        T stepSize = T.CreateChecked(LearningRate / bc1), sqrtBc2 = T.CreateChecked(Math.Sqrt(bc2)), eps = T.CreateChecked(Eps);
        T wd = T.CreateChecked(WeightDecay), decay = T.CreateChecked(1 - LearningRate * WeightDecay);
        bool l2 = !Decoupled && WeightDecay != 0, shrink = Decoupled && WeightDecay != 0;
        int i = 0;
        if (typeof(T) == typeof(float) && !l2 && Vector512.IsHardwareAccelerated)
        {
            // The scalar loop's operations in the same order, 16 lanes at a time (no FMA contraction): bit-identical.
            var vp = MemoryMarshal.Cast<T, float>(p);
            var vg = MemoryMarshal.Cast<T, float>(g);
            var vm = MemoryMarshal.Cast<T, float>(m.AsSpan());
            var vv = MemoryMarshal.Cast<T, float>(v.AsSpan());
            var kb1 = Vector512.Create(float.CreateTruncating(b1));
            var kb2 = Vector512.Create(float.CreateTruncating(b2));
            var kc1 = Vector512.Create(float.CreateTruncating(c1));
            var kc2 = Vector512.Create(float.CreateTruncating(c2));
            var kStep = Vector512.Create(float.CreateTruncating(stepSize));
            var kSqrt = Vector512.Create(float.CreateTruncating(sqrtBc2));
            var kEps = Vector512.Create(float.CreateTruncating(eps));
            var kDecay = Vector512.Create(float.CreateTruncating(decay));
            for (; i + 16 <= p.Length; i += 16)
            {
                var gi = Vector512.Create(vg.Slice(i, 16));
                var pi = Vector512.Create(vp.Slice(i, 16));
                if (shrink) pi *= kDecay;
                var mi = kb1 * Vector512.Create(vm.Slice(i, 16)) + kc1 * gi;
                var vi = kb2 * Vector512.Create(vv.Slice(i, 16)) + kc2 * gi * gi;
                pi -= kStep * mi / (Vector512.Sqrt(vi) / kSqrt + kEps);
                mi.CopyTo(vm.Slice(i, 16));
                vi.CopyTo(vv.Slice(i, 16));
                pi.CopyTo(vp.Slice(i, 16));
            }
        }
        for (; i < p.Length; i++)
        {
            T gi = l2 ? g[i] + wd * p[i] : g[i];
            if (shrink) p[i] *= decay;
            m[i] = b1 * m[i] + c1 * gi;
            v[i] = b2 * v[i] + c2 * gi * gi;
            p[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / sqrtBc2 + eps);
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Key, T[][] Buffers)> StateBuffers()
    {
        yield return ("m", _m);
        yield return ("v", _v);
    }
}
