using System.Diagnostics;
using System.Runtime.InteropServices;
using Emergence.Contracts.Random;
using Emergence.Engine.Checkpoints;

namespace Emergence.Bench;

/// <summary>
/// Checkpoint save (state tree + CheckpointStore: msgpack, SHA-256 while writing, fsync, rename,
/// directory fsync, retention) against writing and fsyncing the same float32 bytes raw.
/// </summary>
internal sealed class CheckpointBench : IBench
{
    public string Name => "checkpoint";

    public string Description => "100 MB float32 state via CheckpointStore.Save vs raw FileStream write + fsync";

    public void Run(bool quick)
    {
        int megabytes = quick ? 8 : 100;
        int repetitions = quick ? 3 : 5;
        var data = new float[megabytes * (1 << 20) / sizeof(float)];
        new RngStream(1).FillUniform(data);
        var dir = Path.Combine(Path.GetTempPath(), $"emergence-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var store = new CheckpointStore(Path.Combine(dir, "store"), keepLast: 1);
            var rngs = new Dictionary<string, RngStream> { ["simulation"] = new RngStream(2) };
            var raw = new List<double>();
            var build = new List<double>();
            var save = new List<double>();
            var total = new List<double>();
            long size = 0;
            for (int rep = 0; rep < repetitions + 1; rep++) // the first round warms up and is discarded
            {
                double r = TimeRaw(Path.Combine(dir, $"raw-{rep}.bin"), data);
                var clock = Stopwatch.StartNew();
                using var state = new StateTreeWriter();
                state.Section("model").WriteFloats("weights", data, [data.Length / 1024, 1024]);
                double b = clock.Elapsed.TotalMilliseconds;
                var header = new CheckpointHeader("bench", "Bench", "1", new string('0', 64), "bench", "run", rep, DateTimeOffset.UnixEpoch, "");
                var path = store.Save(header, rngs, state);
                double t = clock.Elapsed.TotalMilliseconds;
                size = new FileInfo(path).Length;
                if (rep == 0) continue;
                raw.Add(r);
                build.Add(b);
                save.Add(t - b);
                total.Add(t);
            }
            double rawMs = Median(raw), totalMs = Median(total);
            Console.WriteLine($"state: {megabytes} MB float32 ({data.Length:N0} values), checkpoint file {size:N0} bytes, {repetitions} repetitions, medians, dir {dir}");
            Console.WriteLine($"  raw FileStream write + fsync       {rawMs,9:F1} ms  ({megabytes / rawMs * 1000,7:F0} MB/s)");
            Console.WriteLine($"  StateTreeWriter (copy into tree)   {Median(build),9:F1} ms");
            Console.WriteLine($"  CheckpointStore.Save               {Median(save),9:F1} ms");
            Console.WriteLine($"  checkpoint total (tree + save)     {totalMs,9:F1} ms  ({megabytes / totalMs * 1000,7:F0} MB/s)");
            Console.WriteLine($"  ratio Save / raw                   {Median(save) / rawMs,9:F2}x");
            Console.WriteLine($"  ratio checkpoint total / raw       {totalMs / rawMs,9:F2}x   (target <= 1.5x)");
            if (File.Exists("/proc/loadavg"))
                Console.WriteLine($"  load average at end                {File.ReadAllText("/proc/loadavg").Split(' ')[0],9} (on {Environment.ProcessorCount} cores)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double TimeRaw(string path, float[] data)
    {
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            file.Flush(flushToDisk: true);
        }
        double ms = clock.Elapsed.TotalMilliseconds;
        File.Delete(path);
        return ms;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
