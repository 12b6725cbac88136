using System.Numerics;

namespace Emergence.Tensors.Autograd;

/// <summary>
/// Reverse-mode autograd tape with its own buffer arena. Typical step:
/// <code>
/// using (tape.Record()) { var loss = model.Loss(x, y); tape.Backward(loss); }
/// optimiser.Step();
/// </code>
/// <see cref="Record"/> first recycles everything the previous step produced, so a loop whose
/// shapes repeat allocates nothing after its first step. Loops inside a step (settling, BPTT) are
/// simply recorded in order. One tape per thread at a time; ops find it through <see cref="Current"/>.
/// </summary>
public sealed unsafe class Tape<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static Tape<T>? t_current;

    private readonly TensorArena<T> _arena = new();
    private TapeEntry<T>[] _entries = new TapeEntry<T>[64];
    private int _count;

    /// <summary>The tape recording on this thread, or null.</summary>
    public static Tape<T>? Current => t_current;

    /// <summary>Number of ops recorded since the last reset.</summary>
    public int Count => _count;

    /// <summary>Elements held by this step's intermediate tensors (diagnostics).</summary>
    public long ArenaElements => _arena.RentedElements;

    /// <summary>True when ops on this thread should record (a tape is current and grad mode is on).</summary>
    internal static bool IsRecording => t_current is not null && GradMode.IsEnabled;

    /// <summary>Resets this tape and makes it current until the scope is disposed.</summary>
    public RecordScope Record()
    {
        Reset();
        var scope = new RecordScope(this, t_current);
        t_current = this;
        return scope;
    }

    /// <summary>Forgets recorded ops and recycles every tensor produced since the last reset.</summary>
    public void Reset()
    {
        Array.Clear(_entries, 0, _count);
        _count = 0;
        _arena.Reset();
    }

    /// <summary>
    /// Back-propagates from <paramref name="output"/> (seeded with ones, i.e. d(sum output)), accumulating
    /// into <see cref="Tensor{T}.Grad"/> of every tensor that requires grad. Runs ops in reverse order.
    /// </summary>
    public void Backward(Tensor<T> output)
    {
        GradOf(output).Span.Fill(T.One);
        for (int i = _count - 1; i >= 0; i--)
        {
            ref var e = ref _entries[i];
            if (e.Out.Grad is null) continue;
            e.Backward(ref e, this);
        }
    }

    /// <summary>The gradient buffer of <paramref name="t"/>, allocated zeroed on first use.</summary>
    internal Tensor<T> GradOf(Tensor<T> t)
    {
        if (t.Grad is null)
        {
            t.Grad = t.Arena is not null ? _arena.Take(t.Shape, clear: true) : new Tensor<T>(new T[t.Length], t.Shape);
        }
        return t.Grad;
    }

    /// <summary>
    /// The gradient buffer of <paramref name="t"/> for a backward step that writes every element of it. When none
    /// exists yet it is taken from the arena without zeroing and <paramref name="fresh"/> is true: the caller
    /// assigns instead of accumulating (zeroing the step's gradients first cost a tenth of a small model's step).
    /// </summary>
    internal Tensor<T> GradOf(Tensor<T> t, out bool fresh)
    {
        fresh = t.Grad is null;
        if (fresh) t.Grad = t.Arena is not null ? _arena.Take(t.Shape, clear: false) : new Tensor<T>(new T[t.Length], t.Shape);
        return t.Grad!;
    }

    /// <summary>A scratch tensor from this tape's arena (recycled at the next reset), not zeroed.</summary>
    internal Tensor<T> Temp(Shape shape) => _arena.Take(shape, clear: false);

    /// <summary>Records an op; the caller fills the returned entry's fields.</summary>
    internal ref TapeEntry<T> Push(delegate*<ref TapeEntry<T>, Tape<T>, void> backward, Tensor<T> output)
    {
        if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        output.RequiresGrad = true;
        ref var e = ref _entries[_count++];
        e.Backward = backward;
        e.Out = output;
        return ref e;
    }

    /// <summary>A new output tensor: from the current tape's arena, or the heap when none records.</summary>
    internal static Tensor<T> New(Shape shape, bool clear = false)
    {
        var tape = t_current;
        return tape is not null ? tape._arena.Take(shape, clear) : new Tensor<T>(new T[shape.Length], shape);
    }

    /// <summary>A tensor sharing <paramref name="source"/>'s data under another shape.</summary>
    internal static Tensor<T> NewView(Tensor<T> source, Shape shape)
    {
        var tape = t_current;
        return tape is not null
            ? tape._arena.View(source.Buffer, source.Offset, shape)
            : new Tensor<T>(source.Buffer, source.Offset, shape, null);
    }

    /// <summary>A new tensor viewing a buffer from an offset.</summary>
    internal static Tensor<T> NewView(T[] buffer, int offset, Shape shape)
    {
        var tape = t_current;
        return tape is not null
            ? tape._arena.View(buffer, offset, shape)
            : new Tensor<T>(buffer, offset, shape, null);
    }

    /// <summary>The current tape when the op must record because <paramref name="a"/> requires grad.</summary>
    internal static Tape<T>? RecorderFor(Tensor<T> a) => a.RequiresGrad && IsRecording ? t_current : null;

    /// <summary>The current tape when the op must record because an input requires grad.</summary>
    internal static Tape<T>? RecorderFor(Tensor<T> a, Tensor<T> b) =>
        (a.RequiresGrad || b.RequiresGrad) && IsRecording ? t_current : null;

    /// <summary>The current tape when the op must record because an input requires grad.</summary>
    internal static Tape<T>? RecorderFor(Tensor<T> a, Tensor<T>? b, Tensor<T>? c) =>
        (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false)) && IsRecording ? t_current : null;

    /// <summary>Restores the previously current tape when disposed.</summary>
    public readonly struct RecordScope : IDisposable
    {
        private readonly Tape<T>? _tape;
        private readonly Tape<T>? _previous;

        internal RecordScope(Tape<T> tape, Tape<T>? previous) => (_tape, _previous) = (tape, previous);

        /// <summary>Stops recording on this tape (its tensors stay valid until its next <see cref="Record"/>).</summary>
        public void Dispose()
        {
            if (_tape is not null && t_current == _tape) t_current = _previous;
        }
    }
}
