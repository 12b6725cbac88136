using System.Diagnostics;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;

namespace Emergence.Bench;

/// <summary>
/// SelfModifying training throughput through the real run loop, single-threaded, at the default structure (2 layers × 8
/// neurons; structure checks pushed beyond the run so the shape stays fixed), faithful and fixed. The peer is the original
/// Python implementation's rate as the spec measured it (about 1 ms per training sample). Target: ≥ 200,000 samples/s.
/// </summary>
internal sealed class SelfModifyingBench : IBench
{
    private const double OriginalSamplesPerSecond = 1000; // spec §9: "about 1 ms per step" (one step = one sample)

    public string Name => "selfmod";

    public string Description => "SelfModifying samples/s at 2x8 vs the original's ~1,000/s (target >= 200,000/s)";

    public void Run(bool quick)
    {
        long steps = quick ? 2_000 : 20_000; // × 50 samples
        var catalog = PluginCatalog.Discover(PluginCatalog.DefaultFolders([], null, AppContext.BaseDirectory, Environment.CurrentDirectory));
        Console.WriteLine("| mode | samples/s (median of 3) | × the original |");
        Console.WriteLine("|---|---|---|");
        foreach (var compat in new[] { "faithful", "fixed" })
        {
            var rates = new List<double>();
            for (int round = 0; round < 3; round++) rates.Add(Measure(catalog, compat, steps));
            rates.Sort();
            Console.WriteLine($"| {compat} | {rates[1]:N0} | {rates[1] / OriginalSamplesPerSecond:N0}× |");
        }
        Console.WriteLine("(50 samples per engine step; metrics every 1,000 steps; no structure change during the measurement)");
    }

    private static double Measure(PluginCatalog catalog, string compat, long steps)
    {
        var root = Directory.CreateTempSubdirectory("emergence-selfmod-bench-").FullName;
        try
        {
            using var prepared = Prepare(catalog, compat, steps, root);
            var clock = Stopwatch.StartNew();
            prepared.Run(CancellationToken.None);
            return steps * 50 / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static PreparedRun Prepare(PluginCatalog catalog, string compat, long steps, string root)
    {
        var yaml = $"experiment: selfmod-bench\nplugin: selfmodifying\nmodel: {{compat: {compat}}}\ntrainer: {{max_digit: 3, check_every: 100000, test_problems: 0, epsilon: 0, strategies: []}}\n" +
                   $"stop: {{max_steps: {steps}}}\nmetrics: {{every: 1000}}\ncheckpoint: {{on_stop: false}}\nvisualize: {{final: false}}\n";
        var manifest = ManifestLoader.LoadText(yaml, "selfmod-bench.yaml", [], catalog.Find, catalog.Names);
        return RunHost.PrepareStart(manifest, [], new RunRequest { RunsRoot = root, Quiet = true }, TimeProvider.System);
    }
}
