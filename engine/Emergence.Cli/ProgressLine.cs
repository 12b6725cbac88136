using System.Diagnostics;
using System.Globalization;

namespace Emergence.Cli;

/// <summary>
/// A single live status line on an interactive terminal (step, rate, ETA, the key metrics —
/// by default the first three the run recorded),
/// redrawn at most four times a second; silent when stderr is redirected.
/// </summary>
internal sealed class ProgressLine(long? maxSteps, IReadOnlyList<string> keyMetrics)
{
    private readonly long _interval = Stopwatch.Frequency / 4;
    private long _next;
    private long _startStep = -1;
    private long _startTicks;

    /// <summary>True when stderr is a terminal.</summary>
    public static bool Interactive => !Console.IsErrorRedirected;

    public void Update(long step, IReadOnlyDictionary<string, double> metrics)
    {
        long now = Stopwatch.GetTimestamp();
        if (_startStep < 0)
        {
            _startStep = step - 1;
            _startTicks = now;
        }
        if (now < _next) return;
        _next = now + _interval;
        double seconds = (now - _startTicks) / (double)Stopwatch.Frequency;
        double rate = seconds > 0 ? (step - _startStep) / seconds : 0;
        var line = $"step {step:N0}" + (maxSteps is { } max ? $"/{max:N0} ({100.0 * step / max:F0}%)" : "")
                   + $"  {rate:N0} steps/s";
        if (maxSteps is { } m && rate > 0) line += $"  ETA {TimeSpan.FromSeconds((m - step) / rate):hh\\:mm\\:ss}";
        var shown = keyMetrics.Count > 0 ? keyMetrics : metrics.Keys.Take(3);
        foreach (var name in shown)
            if (metrics.TryGetValue(name, out double v)) line += $"  {name} {v.ToString("G4", CultureInfo.InvariantCulture)}";
        int width = Math.Max(20, SafeWidth() - 1);
        Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
    }

    public void Clear()
    {
        if (_startStep >= 0) Console.Error.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}
