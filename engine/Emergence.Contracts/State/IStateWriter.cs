using Emergence.Contracts.Random;

namespace Emergence.Contracts.State;

/// <summary>
/// Writes a tree of named values. Keys are unique within a section (writing a key twice is an
/// error). Arrays are copied when written, so the caller may keep mutating its buffers.
/// </summary>
public interface IStateWriter
{
    /// <summary>Writes an integer.</summary>
    void WriteInt64(string key, long value);

    /// <summary>Writes a floating point number (kept as float64).</summary>
    void WriteDouble(string key, double value);

    /// <summary>Writes a boolean.</summary>
    void WriteBool(string key, bool value);

    /// <summary>Writes a string.</summary>
    void WriteString(string key, string value);

    /// <summary>Writes a float32 tensor; the product of <paramref name="shape"/> must equal the data length.</summary>
    void WriteFloats(string key, ReadOnlySpan<float> data, ReadOnlySpan<int> shape);

    /// <summary>Writes a float64 tensor; the product of <paramref name="shape"/> must equal the data length.</summary>
    void WriteDoubles(string key, ReadOnlySpan<double> data, ReadOnlySpan<int> shape);

    /// <summary>Writes an int32 tensor; the product of <paramref name="shape"/> must equal the data length.</summary>
    void WriteInt32s(string key, ReadOnlySpan<int> data, ReadOnlySpan<int> shape);

    /// <summary>Writes an int64 tensor; the product of <paramref name="shape"/> must equal the data length.</summary>
    void WriteInt64s(string key, ReadOnlySpan<long> data, ReadOnlySpan<int> shape);

    /// <summary>Writes opaque bytes.</summary>
    void WriteBytes(string key, ReadOnlySpan<byte> data);

    /// <summary>Writes the full state of an RNG stream (including any cached normal).</summary>
    void WriteRng(string key, RngStream rng);

    /// <summary>Opens a nested section; its keys live in their own namespace.</summary>
    IStateWriter Section(string key);

    /// <summary>Writes a 1-D float32 tensor.</summary>
    void WriteFloats(string key, ReadOnlySpan<float> data) => WriteFloats(key, data, [data.Length]);

    /// <summary>Writes a 1-D float64 tensor.</summary>
    void WriteDoubles(string key, ReadOnlySpan<double> data) => WriteDoubles(key, data, [data.Length]);

    /// <summary>Writes a 1-D int32 tensor.</summary>
    void WriteInt32s(string key, ReadOnlySpan<int> data) => WriteInt32s(key, data, [data.Length]);

    /// <summary>Writes a 1-D int64 tensor.</summary>
    void WriteInt64s(string key, ReadOnlySpan<long> data) => WriteInt64s(key, data, [data.Length]);
}
