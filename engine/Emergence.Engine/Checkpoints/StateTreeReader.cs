using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Checkpoints;

/// <summary>
/// Reads a decoded state tree (see <see cref="StateTreeWriter"/> for the layout). Every error is a
/// <see cref="StateFormatException"/> naming the full dotted key path, what was expected and what was found.
/// Tensor data is decoded with one memcpy from the checkpoint bytes.
/// </summary>
internal sealed class StateTreeReader : IStateReader
{
    private readonly string _path;
    private readonly Dictionary<string, MsgPackValue> _values;
    private readonly List<string> _keys;

    /// <summary>Reads the map <paramref name="section"/>; <paramref name="path"/> prefixes key paths in messages.</summary>
    public StateTreeReader(MsgPackValue section, string path = "")
    {
        _path = path;
        if (section.Kind != MsgPackKind.Map)
            throw new StateFormatException($"state '{(path.Length == 0 ? "(root)" : path)}': expected a section (map) but found {section}");
        var pairs = section.AsMap();
        _values = new Dictionary<string, MsgPackValue>(pairs.Count, StringComparer.Ordinal);
        _keys = new List<string>(pairs.Count);
        foreach (var (key, value) in pairs)
        {
            if (key.Kind != MsgPackKind.Str)
                throw new StateFormatException($"state '{(path.Length == 0 ? "(root)" : path)}': keys must be strings but found {key}");
            var name = key.AsString();
            if (!_values.TryAdd(name, value)) throw new StateFormatException($"state '{PathOf(name)}': key appears twice");
            _keys.Add(name);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Keys => _keys;

    /// <inheritdoc />
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public long ReadInt64(string key)
    {
        var value = Get(key, MsgPackKind.Int, "an integer");
        if (value.IsLargeUnsigned) throw Error(key, $"integer {value} does not fit in a signed 64-bit value");
        return value.AsInt64();
    }

    /// <inheritdoc />
    public double ReadDouble(string key)
    {
        var value = Get(key);
        return value.Kind is MsgPackKind.Float64 or MsgPackKind.Float32 ? value.AsDouble() : throw Mismatch(key, "a float64", value);
    }

    /// <inheritdoc />
    public bool ReadBool(string key) => Get(key, MsgPackKind.Bool, "a bool").AsBool();

    /// <inheritdoc />
    public string ReadString(string key) => Get(key, MsgPackKind.Str, "a string").AsString();

    /// <inheritdoc />
    public byte[] ReadBytes(string key) => Get(key, MsgPackKind.Bin, "bytes (bin)").AsBin().ToArray();

    /// <inheritdoc />
    public float[] ReadFloats(string key, out int[] shape) => ReadTensor<float>(key, StateTensor.Float32, out shape);

    /// <inheritdoc />
    public double[] ReadDoubles(string key, out int[] shape) => ReadTensor<double>(key, StateTensor.Float64, out shape);

    /// <inheritdoc />
    public int[] ReadInt32s(string key, out int[] shape) => ReadTensor<int>(key, StateTensor.Int32, out shape);

    /// <inheritdoc />
    public long[] ReadInt64s(string key, out int[] shape) => ReadTensor<long>(key, StateTensor.Int64, out shape);

    /// <inheritdoc />
    public void ReadRng(string key, RngStream rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        rng.SetState(ReadRngState(Get(key, MsgPackKind.Map, "an RNG map"), PathOf(key)));
    }

    /// <inheritdoc />
    public IStateReader Section(string key) => new StateTreeReader(Get(key, MsgPackKind.Map, "a section (map)"), PathOf(key));

    /// <summary>Validates and converts an RNG map; <paramref name="path"/> names it in errors.</summary>
    public static RngState ReadRngState(MsgPackValue map, string path)
    {
        if (map.Kind != MsgPackKind.Map) throw new StateFormatException($"state '{path}': expected an RNG map but found {map}");
        if (!map.TryGet("rng", out var algorithm) || algorithm.Kind != MsgPackKind.Str || algorithm.AsString() != StateTensor.Xoshiro)
            throw new StateFormatException($"state '{path}': expected rng \"{StateTensor.Xoshiro}\" but found {(map.TryGet("rng", out var a) ? a.ToString() : "no 'rng' key")}");
        if (!map.TryGet("s", out var s) || s.Kind != MsgPackKind.Array || s.AsArray().Count != 4)
            throw new StateFormatException($"state '{path}.s': expected an array of 4 unsigned 64-bit integers but found {(map.TryGet("s", out var f) ? f.ToString() : "nothing")}");
        var words = new ulong[4];
        for (int i = 0; i < 4; i++)
        {
            var word = s.AsArray()[i];
            if (word.Kind != MsgPackKind.Int || (!word.IsLargeUnsigned && word.AsInt64() < 0))
                throw new StateFormatException($"state '{path}.s[{i}]': expected an unsigned 64-bit integer but found {word}");
            words[i] = word.AsUInt64();
        }
        if ((words[0] | words[1] | words[2] | words[3]) == 0)
            throw new StateFormatException($"state '{path}.s': an all-zero xoshiro256** state is invalid");
        if (!map.TryGet("spare", out var spare)) throw new StateFormatException($"state '{path}.spare': missing (expected nil or a float64)");
        if (spare.Kind is not (MsgPackKind.Nil or MsgPackKind.Float64))
            throw new StateFormatException($"state '{path}.spare': expected nil or a float64 but found {spare}");
        return spare.IsNil
            ? new RngState(words[0], words[1], words[2], words[3], false, 0)
            : new RngState(words[0], words[1], words[2], words[3], true, spare.AsDouble());
    }

    private T[] ReadTensor<T>(string key, string dtype, out int[] shape) where T : unmanaged
    {
        var map = Get(key, MsgPackKind.Map, $"a {dtype} tensor");
        string path = PathOf(key);
        if (!map.TryGet("dtype", out var found) || found.Kind != MsgPackKind.Str)
            throw new StateFormatException($"state '{path}': expected a {dtype} tensor but the map has no dtype string");
        if (found.AsString() != dtype)
            throw new StateFormatException($"state '{path}': dtype mismatch, expected {dtype} but found {found.AsString()}");
        shape = ReadShape(map, path, out long count);
        if (!map.TryGet("data", out var data) || data.Kind != MsgPackKind.Bin)
            throw new StateFormatException($"state '{path}.data': expected bin but found {(map.TryGet("data", out var d) ? d.ToString() : "nothing")}");
        int size = System.Runtime.InteropServices.Marshal.SizeOf<T>();
        var bytes = data.AsBin().Span;
        if (count * size != bytes.Length)
            throw new StateFormatException($"state '{path}': shape [{string.Join(", ", shape)}] needs {count} x {size} = {count * size} bytes but data has {bytes.Length}");
        return StateTensor.FromLittleEndian<T>(bytes);
    }

    private static int[] ReadShape(MsgPackValue map, string path, out long count)
    {
        if (!map.TryGet("shape", out var shapeValue) || shapeValue.Kind != MsgPackKind.Array)
            throw new StateFormatException($"state '{path}.shape': expected an array of non-negative integers but found {(map.TryGet("shape", out var s) ? s.ToString() : "nothing")}");
        var dims = shapeValue.AsArray();
        var shape = new int[dims.Count];
        count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            var dim = dims[i];
            if (dim.Kind != MsgPackKind.Int || dim.IsLargeUnsigned || dim.AsInt64() is < 0 or > int.MaxValue)
                throw new StateFormatException($"state '{path}.shape[{i}]': expected a non-negative 32-bit integer but found {dim}");
            shape[i] = (int)dim.AsInt64();
            count *= shape[i];
            if (count > int.MaxValue) throw new StateFormatException($"state '{path}.shape': element count exceeds {int.MaxValue}");
        }
        return shape;
    }

    private MsgPackValue Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_values.TryGetValue(key, out var value)) return value;
        var known = _keys.Count == 0 ? "the section is empty" : "present: " + string.Join(", ", _keys.Take(20));
        throw new StateFormatException($"state '{PathOf(key)}': missing key ({known})");
    }

    private MsgPackValue Get(string key, MsgPackKind kind, string expected)
    {
        var value = Get(key);
        return value.Kind == kind ? value : throw Mismatch(key, expected, value);
    }

    private StateFormatException Mismatch(string key, string expected, MsgPackValue found) =>
        Error(key, $"expected {expected} but found {found}");

    private StateFormatException Error(string key, string message) => new($"state '{PathOf(key)}': {message}");

    private string PathOf(string key) => _path.Length == 0 ? key : _path + "." + key;
}
