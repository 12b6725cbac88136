namespace Emergence.Fuzz;

/// <summary>
/// Catches hangs: if one input runs longer than the limit, saves it as a finding and exits the
/// process (a hung decoder cannot be interrupted from inside).
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly TimeSpan _limit;
    private readonly Findings _findings;
    private readonly Timer _timer;
    private readonly object _gate = new();
    private byte[]? _current;
    private long _startedTicks;

    public Watchdog(TimeSpan limit, Findings findings)
    {
        _limit = limit;
        _findings = findings;
        _timer = new Timer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Begin(byte[] input)
    {
        lock (_gate)
        {
            _current = input;
            _startedTicks = Environment.TickCount64;
        }
    }

    public void End()
    {
        lock (_gate) _current = null;
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        lock (_gate)
        {
            if (_current is null || Environment.TickCount64 - _startedTicks < _limit.TotalMilliseconds) return;
            _findings.Report($"Hang: still running after {_limit.TotalSeconds} s", _current);
            Console.Out.Flush();
            Environment.Exit(3);
        }
    }
}
