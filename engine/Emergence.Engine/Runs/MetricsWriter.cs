using System.Globalization;
using System.Text;
using Emergence.Contracts.Telemetry;

namespace Emergence.Engine.Runs;

/// <summary>
/// Appends every metric value to <c>metrics.csv</c> in long format (<c>step,name,value</c>,
/// invariant culture, round-trip doubles): pandas reads it with <c>pd.read_csv</c> and pivots it.
/// Keeps the latest value of each metric for progress lines, stop targets and the run index.
/// The file length at a checkpoint is saved with it, so a resumed run cuts off values written
/// after that checkpoint and never duplicates a row.
/// </summary>
internal sealed class MetricsWriter : IMetricSink, IDisposable
{
    /// <summary>The header line of a metrics file.</summary>
    public const string Header = "step,name,value";

    private readonly FileStream _file;
    private readonly StreamWriter _writer;
    private readonly Dictionary<string, double> _latest = new(StringComparer.Ordinal);
    private readonly char[] _number = new char[32];
    private long _step;

    /// <summary>Opens (creating if needed) <paramref name="path"/>, truncated to <paramref name="length"/> bytes when given.</summary>
    public MetricsWriter(string path, long? length = null)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 16);
        if (length is { } keep) _file.SetLength(Math.Min(keep, _file.Length));
        _file.Seek(0, SeekOrigin.End);
        _writer = new StreamWriter(_file, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        if (_file.Length == 0) _writer.WriteLine(Header);
    }

    /// <summary>Latest value of every metric recorded so far in this process.</summary>
    public IReadOnlyDictionary<string, double> Latest => _latest;

    /// <summary>Called by the host before each step.</summary>
    public void BeginStep(long step) => _step = step;

    /// <inheritdoc />
    public void Record(string name, double value)
    {
        _latest[name] = value;
        Span<char> buffer = _number;
        _step.TryFormat(buffer, out int n, default, CultureInfo.InvariantCulture);
        _writer.Write(buffer[..n]);
        _writer.Write(',');
        _writer.Write(name);
        _writer.Write(',');
        if (double.IsNaN(value)) _writer.Write("NaN");
        else if (double.IsPositiveInfinity(value)) _writer.Write("Infinity");
        else if (double.IsNegativeInfinity(value)) _writer.Write("-Infinity");
        else
        {
            value.TryFormat(buffer, out n, "R", CultureInfo.InvariantCulture);
            _writer.Write(buffer[..n]);
        }
        _writer.Write('\n');
    }

    /// <summary>Flushes to the OS and returns the file length (what a checkpoint records).</summary>
    public long Flush()
    {
        _writer.Flush();
        return _file.Length;
    }

    public void Dispose()
    {
        _writer.Flush();
        _writer.Dispose();
    }
}
