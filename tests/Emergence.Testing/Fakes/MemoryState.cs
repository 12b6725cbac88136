using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Testing.Fakes;

/// <summary>An in-memory state tree: values are copied on write, keys are unique per section, missing keys throw.</summary>
public sealed class MemoryState : IStateWriter, IStateReader
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Keys => _keys;

    public bool Contains(string key) => _values.ContainsKey(key);

    private void Put(string key, object value)
    {
        if (!_values.TryAdd(key, value)) throw new InvalidOperationException($"key '{key}' written twice");
        _keys.Add(key);
    }

    private T Get<T>(string key) =>
        _values.TryGetValue(key, out var v) ? v is T t ? t : throw new StateFormatException($"'{key}' is {v.GetType().Name}, not {typeof(T).Name}")
            : throw new StateFormatException($"missing key '{key}'");

    public void WriteInt64(string key, long value) => Put(key, value);
    public void WriteDouble(string key, double value) => Put(key, value);
    public void WriteBool(string key, bool value) => Put(key, value);
    public void WriteString(string key, string value) => Put(key, value);
    public void WriteFloats(string key, ReadOnlySpan<float> data, ReadOnlySpan<int> shape) { Put(key, data.ToArray()); _shapes[key] = shape.ToArray(); }
    public void WriteDoubles(string key, ReadOnlySpan<double> data, ReadOnlySpan<int> shape) { Put(key, data.ToArray()); _shapes[key] = shape.ToArray(); }
    public void WriteInt32s(string key, ReadOnlySpan<int> data, ReadOnlySpan<int> shape) { Put(key, data.ToArray()); _shapes[key] = shape.ToArray(); }
    public void WriteInt64s(string key, ReadOnlySpan<long> data, ReadOnlySpan<int> shape) { Put(key, data.ToArray()); _shapes[key] = shape.ToArray(); }
    public void WriteBytes(string key, ReadOnlySpan<byte> data) => Put(key, data.ToArray());
    public void WriteRng(string key, RngStream rng) => Put(key, rng.GetState());

    public IStateWriter Section(string key)
    {
        var section = new MemoryState();
        Put(key, section);
        return section;
    }

    public long ReadInt64(string key) => Get<long>(key);
    public double ReadDouble(string key) => Get<double>(key);
    public bool ReadBool(string key) => Get<bool>(key);
    public string ReadString(string key) => Get<string>(key);
    public float[] ReadFloats(string key, out int[] shape) { var d = (float[])Get<float[]>(key).Clone(); shape = ShapeOf(key, d.Length); return d; }
    public double[] ReadDoubles(string key, out int[] shape) { var d = (double[])Get<double[]>(key).Clone(); shape = ShapeOf(key, d.Length); return d; }
    public int[] ReadInt32s(string key, out int[] shape) { var d = (int[])Get<int[]>(key).Clone(); shape = ShapeOf(key, d.Length); return d; }
    public long[] ReadInt64s(string key, out int[] shape) { var d = (long[])Get<long[]>(key).Clone(); shape = ShapeOf(key, d.Length); return d; }
    public byte[] ReadBytes(string key) => (byte[])Get<byte[]>(key).Clone();
    public void ReadRng(string key, RngStream rng) => rng.SetState(Get<RngState>(key));
    IStateReader IStateReader.Section(string key) => Get<MemoryState>(key);

    private int[] ShapeOf(string key, int length) => _shapes.TryGetValue(key, out var shape) ? (int[])shape.Clone() : [length];

    /// <summary>Every key and value (doubles round-trip exactly), sections indented, in write order: equal dumps mean equal state.</summary>
    public string Dump()
    {
        var text = new System.Text.StringBuilder();
        Dump(text, "");
        return text.ToString();
    }

    private void Dump(System.Text.StringBuilder text, string indent)
    {
        foreach (var key in _keys)
        {
            var value = _values[key];
            text.Append(indent).Append(key).Append(": ");
            switch (value)
            {
                case MemoryState section:
                    text.Append('\n');
                    section.Dump(text, indent + "  ");
                    continue;
                case System.Collections.IEnumerable items and not string:
                    text.Append('[').AppendJoin(", ", items.Cast<object>().Select(Format)).Append(']');
                    break;
                default:
                    text.Append(Format(value));
                    break;
            }
            text.Append('\n');
        }
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
