using System.Numerics;
using Emergence.Tensors.Autograd;

namespace Emergence.Tensors;

/// <summary>
/// A dense row-major tensor of rank 0–4 over <typeparamref name="T"/> (float for work, double for
/// gradient checks). Data lives in <see cref="Buffer"/> from <see cref="Offset"/>; views
/// (<see cref="Reshape(ReadOnlySpan{int})"/>, <see cref="Detach"/>, leading-axis slices) share it.
/// Tensors produced by ops while a <see cref="Tape{T}"/> is recording are owned by that tape's arena
/// and recycled by its next <see cref="Tape{T}.Record"/>: do not keep them across steps (copy instead).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps <paramref name="buffer"/> (not copied) as a tensor of shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The buffer is shorter than the shape needs.</exception>
    public Tensor(T[] buffer, Shape shape)
    {
        if (buffer.Length < shape.Length)
            throw new ArgumentException($"buffer of {buffer.Length} is too short for shape {shape}", nameof(buffer));
        Buffer = buffer;
        Shape = shape;
    }

    /// <summary>Unchecked view constructor for the tape and arena.</summary>
    internal Tensor(T[] buffer, int offset, Shape shape, TensorArena<T>? arena)
    {
        Buffer = buffer;
        Offset = offset;
        Shape = shape;
        Arena = arena;
    }

    /// <summary>The storage; elements <c>[Offset, Offset + Length)</c> belong to this tensor.</summary>
    public T[] Buffer { get; internal set; }

    /// <summary>Index of the first element in <see cref="Buffer"/>.</summary>
    public int Offset { get; internal set; }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; internal set; }

    /// <summary>Number of elements.</summary>
    public int Length => Shape.Length;

    /// <summary>Number of axes.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The elements, row-major.</summary>
    public Span<T> Span => Buffer.AsSpan(Offset, Shape.Length);

    /// <summary>Accumulated gradient after <see cref="Tape{T}.Backward"/>, or null when none reached this tensor.</summary>
    public Tensor<T>? Grad { get; set; }

    /// <summary>True when gradients flow to this tensor (set it on parameters and inputs you differentiate).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Optional name (parameters carry their dotted path, e.g. <c>block.attn.q.weight</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The arena that owns this tensor's object, or null for user-owned tensors.</summary>
    internal TensorArena<T>? Arena { get; set; }

    /// <summary>A new zero-filled tensor (heap allocated, not arena owned).</summary>
    public static Tensor<T> Zeros(params ReadOnlySpan<int> dims) => new(new T[new Shape(dims).Length], new Shape(dims));

    /// <summary>A new tensor filled with <paramref name="value"/>.</summary>
    public static Tensor<T> Full(T value, params ReadOnlySpan<int> dims)
    {
        var t = Zeros(dims);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A new tensor holding a copy of <paramref name="values"/> with the given dimensions.</summary>
    /// <exception cref="ArgumentException">The value count does not match the dimensions.</exception>
    public static Tensor<T> From(ReadOnlySpan<T> values, params ReadOnlySpan<int> dims)
    {
        var shape = new Shape(dims);
        if (values.Length != shape.Length)
            throw new ArgumentException($"{values.Length} values do not fit shape {shape}", nameof(values));
        return new Tensor<T>(values.ToArray(), shape);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar(T value) => new([value], default);

    /// <summary>A new tensor with a converted copy of <paramref name="values"/> (e.g. doubles from a fixture).</summary>
    public static Tensor<T> FromDoubles(ReadOnlySpan<double> values, params ReadOnlySpan<int> dims)
    {
        var t = Zeros(dims);
        if (values.Length != t.Length) throw new ArgumentException($"{values.Length} values do not fit shape {t.Shape}", nameof(values));
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = T.CreateChecked(values[i]);
        return t;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public T ToScalar()
    {
        if (Length != 1) throw new InvalidOperationException($"ToScalar() needs one element, shape is {Shape}");
        return Buffer[Offset];
    }

    /// <summary>Element at a flat row-major index.</summary>
    public T this[int flatIndex]
    {
        get => Span[flatIndex];
        set => Span[flatIndex] = value;
    }

    /// <summary>A copy of the elements.</summary>
    public T[] ToArray() => Span.ToArray();

    /// <summary>A deep copy on the heap (not arena owned, no gradient history).</summary>
    public Tensor<T> Clone() => new(ToArray(), Shape) { Name = Name };

    /// <summary>A view sharing the data with no gradient history.</summary>
    public Tensor<T> Detach()
    {
        var t = Tape<T>.NewView(this, Shape);
        t.RequiresGrad = false;
        return t;
    }

    /// <summary>Makes this tensor a gradient-requiring leaf and returns it (fluent).</summary>
    public Tensor<T> WithGrad()
    {
        RequiresGrad = true;
        return this;
    }

    /// <summary>Clears the gradient buffer (keeps it allocated).</summary>
    public void ZeroGrad() => Grad?.Span.Clear();

    /// <summary>Reinitialises a pooled object.</summary>
    internal void Reset(T[] buffer, int offset, Shape shape)
    {
        Buffer = buffer;
        Offset = offset;
        Shape = shape;
        Grad = null;
        RequiresGrad = false;
        Name = null;
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor<{typeof(T).Name}>{Shape}{(Name is null ? "" : " " + Name)}";
}
