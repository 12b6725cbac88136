using System.Diagnostics;

namespace Emergence.Bench;

/// <summary>
/// From command to first step: wall time of <c>emergence run</c> of a one-step sample manifest
/// (process start, plugin discovery and load, manifest validation, run folder, first step,
/// checkpoint, exit) versus the same executable printing its help (the .NET process floor).
/// Target: ≤ 1 s.
/// </summary>
internal sealed class StartupBench : IBench
{
    public string Name => "startup";

    public string Description => "emergence run of a 1-step manifest vs `emergence --help` (target ≤ 1 s)";

    public void Run(bool quick)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "..", "..", "Emergence.Cli", "release", "emergence.dll");
        if (!File.Exists(dll))
        {
            Console.WriteLine($"build the CLI in Release first ({dll} missing): ./emergence --help");
            return;
        }
        var work = Directory.CreateTempSubdirectory("emergence-startup-");
        try
        {
            var manifest = Path.Combine(work.FullName, "one.yaml");
            File.WriteAllText(manifest, "experiment: startup\nplugin: sample\nstop: {max_steps: 1}\n");
            int rounds = quick ? 3 : 7;
            double help = Median(rounds, () => Time(dll, work.FullName, "--help"));
            double run = Median(rounds, () => Time(dll, work.FullName, "run", manifest, "-q"));
            Console.WriteLine("| command | wall time (median) |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| emergence --help (process floor, peer) | {help * 1000:F0} ms |");
            Console.WriteLine($"| emergence run (1 step, to exit) | {run * 1000:F0} ms |");
            Console.WriteLine($"ratio run/help = {run / help:F2}; target ≤ 1 s: {(run <= 1.0 ? "met" : "NOT met")}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static double Median(int rounds, Func<double> measure) =>
        Enumerable.Range(0, rounds).Select(_ => measure()).Order().ElementAt(rounds / 2);

    private static double Time(string dll, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"emergence {string.Join(' ', args)} exited {process.ExitCode}");
        return clock.Elapsed.TotalSeconds;
    }
}
