using System.Globalization;
using System.Text;

namespace Emergence.Engine.Artifacts;

/// <summary>All values of one metric, ordered by step (stable for equal steps).</summary>
/// <param name="Name">The metric name as written in the file.</param>
/// <param name="Steps">Step of each value.</param>
/// <param name="Values">The values; may hold NaN and ±∞.</param>
internal sealed record MetricSeries(string Name, long[] Steps, double[] Values);

/// <summary>
/// Reads a run's metrics file: CSV in long format, header <c>step,name,value</c>, one value per line,
/// invariant culture, NaN and ±∞ written <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>. The name may be
/// quoted (RFC 4180) when it holds a comma or quote. A last line without its newline is still being
/// written by the run and is ignored.
/// </summary>
internal static class MetricsCsv
{
    /// <summary>The required header line.</summary>
    public const string Header = "step,name,value";

    /// <summary>Reads every metric in the file, ordered by name (ordinal).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public static IReadOnlyList<MetricSeries> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Metrics file '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long complete = CompleteLength(stream);
        using var reader = new StreamReader(new BoundedStream(stream, complete), Encoding.UTF8);
        string? header = reader.ReadLine();
        if (header is null) return [];
        if (header.Trim() != Header)
        {
            throw new InvalidDataException($"{path}:1: expected the header '{Header}' but found '{header}'.");
        }

        var series = new SortedDictionary<string, (List<long> Steps, List<double> Values)>(StringComparer.Ordinal);
        int lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var (step, name, value) = ParseLine(line, path, lineNumber);
            if (!series.TryGetValue(name, out var lists))
            {
                lists = ([], []);
                series.Add(name, lists);
            }

            lists.Steps.Add(step);
            lists.Values.Add(value);
        }

        return series.Select(kv => Sorted(kv.Key, kv.Value.Steps, kv.Value.Values)).ToList();
    }

    private static (long Step, string Name, double Value) ParseLine(string line, string path, int lineNumber)
    {
        int first = line.IndexOf(',', StringComparison.Ordinal);
        int last = line.LastIndexOf(',');
        if (first < 0 || last <= first)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: expected 'step,name,value' but found '{line}'.");
        }

        if (!long.TryParse(line.AsSpan(0, first), NumberStyles.Integer, CultureInfo.InvariantCulture, out long step))
        {
            throw new InvalidDataException($"{path}:{lineNumber}: step '{line[..first]}' is not an integer.");
        }

        if (!double.TryParse(line.AsSpan(last + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new InvalidDataException(
                $"{path}:{lineNumber}: value '{line[(last + 1)..]}' is not a number (NaN and Infinity are written as such).");
        }

        return (step, Unquote(line[(first + 1)..last]), value);
    }

    private static string Unquote(string field) =>
        field.Length >= 2 && field[0] == '"' && field[^1] == '"'
            ? field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
            : field;

    private static MetricSeries Sorted(string name, List<long> steps, List<double> values)
    {
        long[] s = [.. steps];
        double[] v = [.. values];
        bool ordered = true;
        for (int i = 1; i < s.Length && ordered; i++) ordered = s[i - 1] <= s[i];
        if (ordered) return new MetricSeries(name, s, v);

        // Out-of-order steps (for example rows appended after a resume): stable sort keeps file order for ties.
        int[] order = Enumerable.Range(0, s.Length).OrderBy(i => s[i]).ToArray();
        return new MetricSeries(name, order.Select(i => s[i]).ToArray(), order.Select(i => v[i]).ToArray());
    }

    // Length up to and including the last '\n': anything after it is a line still being written.
    private static long CompleteLength(FileStream stream)
    {
        long length = stream.Length;
        var buffer = new byte[4096];
        for (long end = length; end > 0;)
        {
            int count = (int)Math.Min(buffer.Length, end);
            stream.Position = end - count;
            stream.ReadExactly(buffer, 0, count);
            int newline = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (newline >= 0)
            {
                stream.Position = 0;
                return end - count + newline + 1;
            }

            end -= count;
        }

        stream.Position = 0;
        return 0;
    }
}
