using Emergence.Contracts.Random;

namespace Emergence.Contracts.State;

/// <summary>
/// Reads what an <see cref="IStateWriter"/> wrote. A missing key or a value of another type throws
/// <see cref="StateFormatException"/> naming the full key path.
/// </summary>
public interface IStateReader
{
    /// <summary>The keys of this section, in the order they were written.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>True when this section has <paramref name="key"/>.</summary>
    bool Contains(string key);

    /// <summary>Reads an integer.</summary>
    long ReadInt64(string key);

    /// <summary>Reads a floating point number.</summary>
    double ReadDouble(string key);

    /// <summary>Reads a boolean.</summary>
    bool ReadBool(string key);

    /// <summary>Reads a string.</summary>
    string ReadString(string key);

    /// <summary>Reads a float32 tensor and its shape.</summary>
    float[] ReadFloats(string key, out int[] shape);

    /// <summary>Reads a float64 tensor and its shape.</summary>
    double[] ReadDoubles(string key, out int[] shape);

    /// <summary>Reads an int32 tensor and its shape.</summary>
    int[] ReadInt32s(string key, out int[] shape);

    /// <summary>Reads an int64 tensor and its shape.</summary>
    long[] ReadInt64s(string key, out int[] shape);

    /// <summary>Reads opaque bytes.</summary>
    byte[] ReadBytes(string key);

    /// <summary>Restores an RNG stream's full state into <paramref name="rng"/>.</summary>
    void ReadRng(string key, RngStream rng);

    /// <summary>Opens a nested section.</summary>
    IStateReader Section(string key);

    /// <summary>Reads a float32 tensor into <paramref name="destination"/>, whose length must match exactly.</summary>
    void ReadFloats(string key, Span<float> destination)
    {
        var data = ReadFloats(key, out _);
        if (data.Length != destination.Length)
            throw new StateFormatException($"state '{key}' has {data.Length} floats, expected {destination.Length}");
        data.CopyTo(destination);
    }

    /// <summary>Reads a float64 tensor into <paramref name="destination"/>, whose length must match exactly.</summary>
    void ReadDoubles(string key, Span<double> destination)
    {
        var data = ReadDoubles(key, out _);
        if (data.Length != destination.Length)
            throw new StateFormatException($"state '{key}' has {data.Length} doubles, expected {destination.Length}");
        data.CopyTo(destination);
    }

    /// <summary>Reads an int32 tensor into <paramref name="destination"/>, whose length must match exactly.</summary>
    void ReadInt32s(string key, Span<int> destination)
    {
        var data = ReadInt32s(key, out _);
        if (data.Length != destination.Length)
            throw new StateFormatException($"state '{key}' has {data.Length} int32s, expected {destination.Length}");
        data.CopyTo(destination);
    }
}
