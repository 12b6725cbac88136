using System.Text.Json;
using Emergence.Contracts.Telemetry;

namespace Emergence.Engine.Runs;

/// <summary>
/// Appends events to <c>events.jsonl</c>: one JSON object per line,
/// <c>{"step":N,"type":"...","source":"plugin|host", ...fields}</c>. Truncated on resume to the
/// length saved with the checkpoint, like <see cref="MetricsWriter"/>.
/// </summary>
internal sealed class EventsWriter : IEventSink, IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private long _step;

    /// <summary>Opens (creating if needed) <paramref name="path"/>, truncated to <paramref name="length"/> bytes when given.</summary>
    public EventsWriter(string path, long? length = null)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 14);
        if (length is { } keep) _file.SetLength(Math.Min(keep, _file.Length));
        _file.Seek(0, SeekOrigin.End);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Called by the host before each step.</summary>
    public void BeginStep(long step) => _step = step;

    /// <summary>Number of events written by this process.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    public void Emit(string type, IReadOnlyDictionary<string, object?> fields) => Write(type, "plugin", fields);

    /// <summary>An event from the host itself (run started, resumed, stopped, checkpoint fallback).</summary>
    public void Host(string type, IReadOnlyDictionary<string, object?> fields) => Write(type, "host", fields);

    private void Write(string type, string source, IReadOnlyDictionary<string, object?> fields)
    {
        _json.Reset(_file);
        _json.WriteStartObject();
        _json.WriteNumber("step", _step);
        _json.WriteString("type", type);
        _json.WriteString("source", source);
        foreach (var (key, value) in fields)
        {
            _json.WritePropertyName(key);
            WriteValue(value);
        }
        _json.WriteEndObject();
        _json.Flush();
        _file.WriteByte((byte)'\n');
        Count++;
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _json.WriteNullValue(); break;
            case bool b: _json.WriteBooleanValue(b); break;
            case string s: _json.WriteStringValue(s); break;
            case int i: _json.WriteNumberValue(i); break;
            case long l: _json.WriteNumberValue(l); break;
            case float f when float.IsFinite(f): _json.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): _json.WriteNumberValue(d); break;
            case float or double: _json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case IConvertible c when c.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.Decimal:
                _json.WriteNumberValue(Convert.ToDecimal(c, System.Globalization.CultureInfo.InvariantCulture)); break;
            case System.Collections.IDictionary map:
                _json.WriteStartObject();
                foreach (System.Collections.DictionaryEntry e in map)
                {
                    _json.WritePropertyName(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    WriteValue(e.Value);
                }
                _json.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                _json.WriteStartArray();
                foreach (var item in items) WriteValue(item);
                _json.WriteEndArray();
                break;
            default: _json.WriteStringValue(value.ToString()); break;
        }
    }

    /// <summary>Flushes to the OS and returns the file length (what a checkpoint records).</summary>
    public long Flush()
    {
        _file.Flush();
        return _file.Length;
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
