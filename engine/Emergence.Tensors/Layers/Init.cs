using System.Numerics;
using Emergence.Contracts.Random;

namespace Emergence.Tensors.Layers;

/// <summary>Parameter initialisers drawing from an <see cref="RngStream"/> in index order (reproducible per seed).</summary>
public static class Init
{
    /// <summary>N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static void Normal<T>(Tensor<T> t, RngStream rng, double mean = 0, double std = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = T.CreateChecked(mean + std * rng.NextNormal());
    }

    /// <summary>U[<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Uniform<T>(Tensor<T> t, RngStream rng, double low, double high) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = T.CreateChecked(low + (high - low) * rng.NextDouble());
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static void Constant<T>(Tensor<T> t, double value) where T : unmanaged, IFloatingPointIeee754<T> =>
        t.Span.Fill(T.CreateChecked(value));

    /// <summary>Glorot uniform: U(±gain·√(6/(fanIn+fanOut))).</summary>
    public static void XavierUniform<T>(Tensor<T> t, RngStream rng, int fanIn, int fanOut, double gain = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(t, rng, -a, a);
    }

    /// <summary>Glorot normal: N(0, gain²·2/(fanIn+fanOut)).</summary>
    public static void XavierNormal<T>(Tensor<T> t, RngStream rng, int fanIn, int fanOut, double gain = 1)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Normal(t, rng, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));

    /// <summary>He uniform: U(±gain·√(3/fanIn)), gain = √(2/(1+a²)) (a = 0 for ReLU; PyTorch's Linear default uses a = √5).</summary>
    public static void KaimingUniform<T>(Tensor<T> t, RngStream rng, int fanIn, double a = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double bound = Math.Sqrt(2.0 / (1 + a * a)) * Math.Sqrt(3.0 / fanIn);
        Uniform(t, rng, -bound, bound);
    }

    /// <summary>He normal: N(0, 2/((1+a²)·fanIn)).</summary>
    public static void KaimingNormal<T>(Tensor<T> t, RngStream rng, int fanIn, double a = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Normal(t, rng, 0, Math.Sqrt(2.0 / ((1 + a * a) * fanIn)));
}
