using System.Numerics;
using System.Runtime.InteropServices;
using Emergence.Contracts.State;

namespace Emergence.Tensors.Layers;

/// <summary>
/// Named parameters in registration order (names are dotted paths such as <c>block.attn.q.weight</c>).
/// Saves and loads them through the engine's state writer/reader, bit-exactly.
/// </summary>
public sealed class ParameterCollection<T> : IStateful where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Tensor<T>> _items = [];
    private readonly Dictionary<string, Tensor<T>> _byName = new(StringComparer.Ordinal);

    /// <summary>The parameters in registration order.</summary>
    public IReadOnlyList<Tensor<T>> Items => _items;

    /// <summary>Number of parameters (tensors).</summary>
    public int Count => _items.Count;

    /// <summary>Total number of scalar elements.</summary>
    public long ElementCount => _items.Sum(t => (long)t.Length);

    /// <summary>The parameter named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter.</exception>
    public Tensor<T> this[string name] => _byName.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"no parameter '{name}'; have: {string.Join(", ", _byName.Keys)}");

    /// <summary>Registers <paramref name="tensor"/> under <paramref name="name"/>, marks it as requiring grad and returns it.</summary>
    /// <exception cref="ArgumentException">The name is already taken.</exception>
    public Tensor<T> Add(string name, Tensor<T> tensor)
    {
        if (!_byName.TryAdd(name, tensor)) throw new ArgumentException($"duplicate parameter name '{name}'", nameof(name));
        tensor.Name = name;
        tensor.RequiresGrad = true;
        _items.Add(tensor);
        return tensor;
    }

    /// <summary>Registers every parameter of <paramref name="other"/> (names already carry their prefix).</summary>
    public void AddRange(ParameterCollection<T> other)
    {
        foreach (var t in other.Items) Add(t.Name!, t);
    }

    /// <summary>Clears every gradient buffer.</summary>
    public void ZeroGrad()
    {
        foreach (var t in _items) t.ZeroGrad();
    }

    /// <inheritdoc />
    public void Save(IStateWriter writer)
    {
        foreach (var t in _items) WriteTensor(writer, t.Name!, t);
    }

    /// <inheritdoc />
    public void Load(IStateReader reader)
    {
        foreach (var t in _items) ReadTensor(reader, t.Name!, t);
    }

    /// <summary>Writes one tensor as float32 or float64 with its shape.</summary>
    internal static void WriteTensor(IStateWriter writer, string key, Tensor<T> t)
    {
        Span<int> shape = stackalloc int[t.Rank];
        t.Shape.CopyTo(shape);
        if (typeof(T) == typeof(float)) writer.WriteFloats(key, MemoryMarshal.Cast<T, float>(t.Span), shape);
        else writer.WriteDoubles(key, MemoryMarshal.Cast<T, double>(t.Span), shape);
    }

    /// <summary>Reads one tensor into an existing buffer; the shape must match.</summary>
    /// <exception cref="StateFormatException">The stored shape differs.</exception>
    internal static void ReadTensor(IStateReader reader, string key, Tensor<T> t)
    {
        int[] shape;
        if (typeof(T) == typeof(float)) reader.ReadFloats(key, out shape).AsSpan().CopyTo(MemoryMarshal.Cast<T, float>(t.Span));
        else reader.ReadDoubles(key, out shape).AsSpan().CopyTo(MemoryMarshal.Cast<T, double>(t.Span));
        if (new Shape(shape) != t.Shape)
            throw new StateFormatException($"state '{key}' has shape {new Shape(shape)}, expected {t.Shape}");
    }
}
