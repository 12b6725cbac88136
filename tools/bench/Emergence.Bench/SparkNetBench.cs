using System.Diagnostics;
using System.Globalization;
using Emergence.Plugins.SparkNet.Standalone;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Bench;

/// <summary>
/// SparkNet step time (n=500, K=3, defaults), ours single-threaded against a vectorised PyTorch
/// implementation of the same step (tools/bench/peers/torch_sparknet.py, 2 threads), without the
/// layout and with the faithful layout computed every graph_update_freq = 5 steps (eager).
/// </summary>
internal sealed class SparkNetBench : IBench
{
    /// <inheritdoc/>
    public string Name => "sparknet";

    /// <inheritdoc/>
    public string Description => "SparkNet step n=500 K=3: ours (1 thread) vs PyTorch vectorised step (2 threads), with and without layout";

    /// <inheritdoc/>
    public void Run(bool quick)
    {
        int steps = quick ? 500 : 5000;
        var (oursNo, cpuNo) = Measure(LayoutSchedule.Lazy, steps, withLayout: false);
        var (oursLayout, cpuLayout) = Measure(LayoutSchedule.Eager, steps, withLayout: true);
        Console.WriteLine($"ours CPU time per step (robust to a busy machine): no layout {cpuNo:F1} us, with layout {cpuLayout:F1} us; load average {LoadAverage()}");
        var peer = RunPeer(steps / 5);
        Console.WriteLine($"{"variant",-22} {"ours us/step",13} {"torch us/step",14} {"speed-up",9}");
        Print("step, no layout", oursNo, peer.GetValueOrDefault("nolayout", double.NaN));
        Print("step + layout every 5", oursLayout, peer.GetValueOrDefault("layout", double.NaN));
    }

    private static void Print(string label, double ours, double theirs) =>
        Console.WriteLine($"{label,-22} {ours,13:F1} {theirs,14:F1} {theirs / ours,9:F2}");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>Best-of-3 mean wall-clock and process-CPU microseconds per step after a warm-up of 1000 steps.</summary>
    private static (double Wall, double Cpu) Measure(LayoutSchedule schedule, int steps, bool withLayout)
    {
        var trainer = new SparkNetTrainerOptions { LayoutSchedule = schedule, GraphUpdateFreq = withLayout ? 5 : int.MaxValue };
        var session = new SparkNetSession(1, trainer: trainer);
        session.Run(1000);
        double best = double.MaxValue, bestCpu = double.MaxValue;
        using var process = Process.GetCurrentProcess();
        for (int rep = 0; rep < 3; rep++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            session.Run(steps);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds / steps);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu0).TotalMicroseconds / steps);
        }
        return (best, bestCpu);
    }

    private static Dictionary<string, double> RunPeer(int steps)
    {
        var result = new Dictionary<string, double>();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine("tools", "bench", "peers", "torch_sparknet.py"));
        psi.ArgumentList.Add(steps.ToString(CultureInfo.InvariantCulture));
        psi.Environment["OPENBLAS_CORETYPE"] = "SKYLAKEX";
        psi.Environment["OMP_NUM_THREADS"] = "2";
        using var proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = proc.StandardError.ReadToEndAsync();
        while (proc.StandardOutput.ReadLine() is { } line)
        {
            var f = line.Split(' ');
            if (f.Length >= 3 && f[0] == "sparknet") result[f[1]] = double.Parse(f[2], CultureInfo.InvariantCulture);
            else Console.WriteLine($"peer {line}");
        }
        proc.WaitForExit();
        if (proc.ExitCode != 0) Console.WriteLine($"peer failed (exit {proc.ExitCode}): {stderr.Result.Trim()}");
        return result;
    }
}
