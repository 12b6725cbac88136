namespace Emergence.Engine.Artifacts;

/// <summary>
/// Splits a series into drawable pieces: a non-finite y breaks the line. Above
/// <see cref="DownsampleThreshold"/> points, each pixel column keeps only its first, lowest, highest and
/// last point, so spikes survive while the drawing stays small. Only the drawing is reduced; the data
/// file never is.
/// </summary>
internal static class PolylineBuilder
{
    /// <summary>Series with more points than this are reduced per pixel column.</summary>
    public const int DownsampleThreshold = 4000;

    /// <summary>
    /// Returns the point indices of each unbroken piece, in order. <paramref name="x"/> holds pixel
    /// x-coordinates (non-decreasing), <paramref name="y"/> the values (NaN or ±∞ for gaps).
    /// </summary>
    public static List<List<int>> Build(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var pieces = new List<List<int>>();
        var current = new List<int>();
        if (x.Length <= DownsampleThreshold)
        {
            for (int i = 0; i < y.Length; i++)
            {
                if (double.IsFinite(y[i])) current.Add(i);
                else Close(pieces, ref current);
            }
        }
        else
        {
            for (int start = 0; start < x.Length;)
            {
                int end = start;
                while (end < x.Length && Math.Floor(x[end]) == Math.Floor(x[start])) end++;
                AddColumn(y, start, end, pieces, ref current);
                start = end;
            }
        }

        Close(pieces, ref current);
        return pieces;
    }

    // One pixel column [start, end): finite points before its first gap continue the current piece,
    // points between its first and last gap become one piece of their own, points after the last gap
    // start a new piece.
    private static void AddColumn(ReadOnlySpan<double> y, int start, int end, List<List<int>> pieces, ref List<int> current)
    {
        int firstGap = -1, lastGap = -1;
        for (int i = start; i < end; i++)
        {
            if (double.IsFinite(y[i])) continue;
            if (firstGap < 0) firstGap = i;
            lastGap = i;
        }

        if (firstGap < 0)
        {
            current.AddRange(Representatives(y, start, end));
            return;
        }

        current.AddRange(Representatives(y, start, firstGap));
        Close(pieces, ref current);
        var middle = Representatives(y, firstGap + 1, lastGap);
        if (middle.Count > 0) pieces.Add(middle);
        current.AddRange(Representatives(y, lastGap + 1, end));
    }

    // First, lowest, highest and last finite point of [start, end), in index order, without repeats.
    private static List<int> Representatives(ReadOnlySpan<double> y, int start, int end)
    {
        int first = -1, last = -1, low = -1, high = -1;
        for (int i = start; i < end; i++)
        {
            if (!double.IsFinite(y[i])) continue;
            if (first < 0) first = i;
            last = i;
            if (low < 0 || y[i] < y[low]) low = i;
            if (high < 0 || y[i] > y[high]) high = i;
        }

        if (first < 0) return [];
        var picked = new SortedSet<int> { first, low, high, last };
        return [.. picked];
    }

    private static void Close(List<List<int>> pieces, ref List<int> current)
    {
        if (current.Count == 0) return;
        pieces.Add(current);
        current = [];
    }
}
