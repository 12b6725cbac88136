using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Checkpoints;

/// <summary>
/// Builds the checkpoint state tree: an ordered map per section, values in MessagePack's native
/// types, tensors as <c>{dtype, shape, data: bin (little-endian)}</c>, RNG streams as
/// <c>{rng: "xoshiro256**", s: [u64 x4], spare: nil | float64}</c>. Arrays are copied exactly once,
/// when written; <see cref="WriteTo"/> streams the tree without further copies. Disposing the root
/// hands large tensor buffers back for the next checkpoint (optional, but it avoids re-faulting
/// fresh memory); the tree and any <see cref="ToValue"/> result must not be used afterwards.
/// </summary>
internal sealed class StateTreeWriter : IStateWriter, IDisposable
{
    private readonly string _path;
    private readonly List<Entry> _entries = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Tree _tree;

    /// <summary>Creates an empty root section.</summary>
    public StateTreeWriter() : this("", new Tree()) { }

    private StateTreeWriter(string path, Tree tree)
    {
        _path = path;
        _tree = tree;
    }

    /// <summary>Returns the whole tree's large tensor buffers to the pool; only the root's Dispose does anything.</summary>
    public void Dispose()
    {
        if (_path.Length != 0 || _tree.Disposed) return;
        _tree.Disposed = true;
        foreach (var buffer in _tree.Buffers) TensorBufferPool.Return(buffer);
        _tree.Buffers.Clear();
        _entries.Clear();
    }

    /// <summary>The keys written so far, in order.</summary>
    public IReadOnlyList<string> Keys => _entries.ConvertAll(e => e.Key);

    /// <inheritdoc />
    public void WriteInt64(string key, long value) => Add(key, MsgPackValue.FromInt(value));

    /// <inheritdoc />
    public void WriteDouble(string key, double value) => Add(key, MsgPackValue.FromFloat64(value));

    /// <inheritdoc />
    public void WriteBool(string key, bool value) => Add(key, MsgPackValue.FromBool(value));

    /// <inheritdoc />
    public void WriteString(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Add(key, MsgPackValue.FromString(value));
    }

    /// <inheritdoc />
    public void WriteFloats(string key, ReadOnlySpan<float> data, ReadOnlySpan<int> shape) => AddTensor(key, StateTensor.Float32, data, shape);

    /// <inheritdoc />
    public void WriteDoubles(string key, ReadOnlySpan<double> data, ReadOnlySpan<int> shape) => AddTensor(key, StateTensor.Float64, data, shape);

    /// <inheritdoc />
    public void WriteInt32s(string key, ReadOnlySpan<int> data, ReadOnlySpan<int> shape) => AddTensor(key, StateTensor.Int32, data, shape);

    /// <inheritdoc />
    public void WriteInt64s(string key, ReadOnlySpan<long> data, ReadOnlySpan<int> shape) => AddTensor(key, StateTensor.Int64, data, shape);

    /// <inheritdoc />
    public void WriteBytes(string key, ReadOnlySpan<byte> data) => Add(key, MsgPackValue.FromBin(data.ToArray()));

    /// <inheritdoc />
    public void WriteRng(string key, RngStream rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Add(key, RngToValue(rng.GetState()));
    }

    /// <inheritdoc />
    public IStateWriter Section(string key)
    {
        var section = new StateTreeWriter(PathOf(key), _tree);
        Add(key, default, section);
        return section;
    }

    /// <summary>The RNG map layout for <paramref name="state"/>.</summary>
    public static MsgPackValue RngToValue(in RngState state) => MsgPackValue.FromMap(
    [
        new(MsgPackValue.FromString("rng"), MsgPackValue.FromString(StateTensor.Xoshiro)),
        new(MsgPackValue.FromString("s"), MsgPackValue.FromArray(
            [MsgPackValue.FromUInt(state.S0), MsgPackValue.FromUInt(state.S1), MsgPackValue.FromUInt(state.S2), MsgPackValue.FromUInt(state.S3)])),
        new(MsgPackValue.FromString("spare"), state.HasSpareNormal ? MsgPackValue.FromFloat64(state.SpareNormal) : MsgPackValue.Nil),
    ]);

    /// <summary>Streams this section as a MessagePack map (tensor data written straight from the tree's copy).</summary>
    public void WriteTo(MsgPackWriter writer)
    {
        writer.WriteMapHeader(_entries.Count);
        foreach (var entry in _entries)
        {
            writer.WriteString(entry.Key);
            if (entry.Section is not null) entry.Section.WriteTo(writer);
            else writer.Write(entry.Value);
        }
    }

    /// <summary>This section as a value tree (shares the tree's buffers).</summary>
    public MsgPackValue ToValue()
    {
        var pairs = new KeyValuePair<MsgPackValue, MsgPackValue>[_entries.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            var e = _entries[i];
            pairs[i] = new(MsgPackValue.FromString(e.Key), e.Section?.ToValue() ?? e.Value);
        }
        return MsgPackValue.FromMap(pairs);
    }

    private void AddTensor<T>(string key, string dtype, ReadOnlySpan<T> data, ReadOnlySpan<int> shape) where T : unmanaged
    {
        long product = 1;
        var dims = new MsgPackValue[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"state '{PathOf(key)}': shape dimension {i} is negative ({shape[i]})", nameof(shape));
            product *= shape[i];
            if (product > int.MaxValue) throw new ArgumentException($"state '{PathOf(key)}': shape product exceeds {int.MaxValue}", nameof(shape));
            dims[i] = MsgPackValue.FromInt(shape[i]);
        }
        if (product != data.Length)
            throw new ArgumentException($"state '{PathOf(key)}': shape [{string.Join(", ", shape.ToArray())}] holds {product} elements but data has {data.Length}", nameof(shape));
        Add(key, MsgPackValue.FromMap(
        [
            new(MsgPackValue.FromString("dtype"), MsgPackValue.FromString(dtype)),
            new(MsgPackValue.FromString("shape"), MsgPackValue.FromArray(dims)),
            new(MsgPackValue.FromString("data"), MsgPackValue.FromBin(Copy(data))),
        ]));
    }

    private byte[] Copy<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = TensorBufferPool.Rent(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).Length);
        StateTensor.CopyLittleEndian(data, buffer);
        _tree.Buffers.Add(buffer);
        return buffer;
    }

    private void Add(string key, MsgPackValue value, StateTreeWriter? section = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ObjectDisposedException.ThrowIf(_tree.Disposed, this);
        if (!_keys.Add(key)) throw new ArgumentException($"state key '{PathOf(key)}' is written twice", nameof(key));
        _entries.Add(new Entry(key, value, section));
    }

    private string PathOf(string key) => _path.Length == 0 ? key : _path + "." + key;

    /// <summary>What the root and all its sections share.</summary>
    private sealed class Tree
    {
        public List<byte[]> Buffers { get; } = [];

        public bool Disposed { get; set; }
    }

    private readonly record struct Entry(string Key, MsgPackValue Value, StateTreeWriter? Section);
}
