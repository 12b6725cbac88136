using System.Numerics;

namespace Emergence.Tensors.Autograd;

/// <summary>
/// Recycles the buffers and tensor objects of one tape step. Buffers are pooled by exact length, so
/// a training loop whose shapes repeat reaches a steady state with no allocation at all.
/// </summary>
internal sealed class TensorArena<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<int, Stack<T[]>> _free = [];
    private readonly List<T[]> _rented = [];
    private readonly List<Tensor<T>> _objects = [];
    private int _usedObjects;

    /// <summary>Total elements currently rented (for diagnostics).</summary>
    public long RentedElements { get; private set; }

    /// <summary>A tensor with a buffer of its own, zeroed when <paramref name="clear"/> is set.</summary>
    public Tensor<T> Take(Shape shape, bool clear)
    {
        var buffer = Rent(shape.Length, clear);
        return NextObject(buffer, 0, shape);
    }

    /// <summary>A tensor object viewing <paramref name="buffer"/> (which this arena does not own).</summary>
    public Tensor<T> View(T[] buffer, int offset, Shape shape) => NextObject(buffer, offset, shape);

    /// <summary>Returns every buffer and object handed out since the last reset.</summary>
    public void Reset()
    {
        foreach (var b in _rented)
        {
            if (!_free.TryGetValue(b.Length, out var stack)) _free[b.Length] = stack = new Stack<T[]>();
            stack.Push(b);
        }
        _rented.Clear();
        RentedElements = 0;
        for (int i = 0; i < _usedObjects; i++) _objects[i].Reset([], 0, default);
        _usedObjects = 0;
    }

    private T[] Rent(int length, bool clear)
    {
        if (length == 0) return [];
        T[] buffer;
        if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            buffer = stack.Pop();
            if (clear) Array.Clear(buffer);
        }
        else
        {
            buffer = GC.AllocateUninitializedArray<T>(length);
            if (clear) Array.Clear(buffer);
        }
        _rented.Add(buffer);
        RentedElements += length;
        return buffer;
    }

    private Tensor<T> NextObject(T[] buffer, int offset, Shape shape)
    {
        Tensor<T> t;
        if (_usedObjects < _objects.Count)
        {
            t = _objects[_usedObjects];
            t.Reset(buffer, offset, shape);
        }
        else
        {
            t = new Tensor<T>(buffer, offset, shape, this);
            _objects.Add(t);
        }
        _usedObjects++;
        return t;
    }
}
