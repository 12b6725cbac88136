using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Tensors.Tests.Support;

/// <summary>Tiny in-memory IStateWriter/IStateReader for tests (the real one is msgpack-backed, in Emergence.Engine).</summary>
internal sealed class MemoryState : IStateWriter, IStateReader
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    public IReadOnlyList<string> Keys => _keys;

    private void Put(string key, object value)
    {
        if (!_values.TryAdd(key, value)) throw new InvalidOperationException($"key '{key}' written twice");
        _keys.Add(key);
    }

    private TV Get<TV>(string key) => _values.TryGetValue(key, out var v) && v is TV t ? t
        : throw new StateFormatException($"missing or mistyped key '{key}'");

    public void WriteInt64(string key, long value) => Put(key, value);
    public void WriteDouble(string key, double value) => Put(key, value);
    public void WriteBool(string key, bool value) => Put(key, value);
    public void WriteString(string key, string value) => Put(key, value);
    public void WriteFloats(string key, ReadOnlySpan<float> data, ReadOnlySpan<int> shape) => Put(key, (data.ToArray(), shape.ToArray()));
    public void WriteDoubles(string key, ReadOnlySpan<double> data, ReadOnlySpan<int> shape) => Put(key, (data.ToArray(), shape.ToArray()));
    public void WriteInt32s(string key, ReadOnlySpan<int> data, ReadOnlySpan<int> shape) => Put(key, (data.ToArray(), shape.ToArray()));
    public void WriteInt64s(string key, ReadOnlySpan<long> data, ReadOnlySpan<int> shape) => Put(key, (data.ToArray(), shape.ToArray()));
    public void WriteBytes(string key, ReadOnlySpan<byte> data) => Put(key, data.ToArray());
    public void WriteRng(string key, RngStream rng) => Put(key, rng.GetState());

    IStateWriter IStateWriter.Section(string key)
    {
        var s = new MemoryState();
        Put(key, s);
        return s;
    }

    public bool Contains(string key) => _values.ContainsKey(key);
    public long ReadInt64(string key) => Get<long>(key);
    public double ReadDouble(string key) => Get<double>(key);
    public bool ReadBool(string key) => Get<bool>(key);
    public string ReadString(string key) => Get<string>(key);

    public float[] ReadFloats(string key, out int[] shape)
    {
        var (d, s) = Get<(float[], int[])>(key);
        shape = s;
        return d;
    }

    public double[] ReadDoubles(string key, out int[] shape)
    {
        var (d, s) = Get<(double[], int[])>(key);
        shape = s;
        return d;
    }

    public int[] ReadInt32s(string key, out int[] shape)
    {
        var (d, s) = Get<(int[], int[])>(key);
        shape = s;
        return d;
    }

    public long[] ReadInt64s(string key, out int[] shape)
    {
        var (d, s) = Get<(long[], int[])>(key);
        shape = s;
        return d;
    }

    public byte[] ReadBytes(string key) => Get<byte[]>(key);
    public void ReadRng(string key, RngStream rng) => rng.SetState(Get<RngState>(key));
    IStateReader IStateReader.Section(string key) => Get<MemoryState>(key);
}
