using System.Diagnostics;
using Emergence.Contracts.Components;
using Emergence.Contracts.Telemetry;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;
using Serilog;

namespace Emergence.Bench;

/// <summary>
/// Host overhead: the sample plugin with <c>trainer.noop: true</c> through the real run loop
/// (metrics every 100 steps, stop checks, checkpoint schedule) versus calling the same trainer's
/// Step in a bare loop. Target: ≥ 1,000,000 steps/s through the host.
/// </summary>
internal sealed class HostBench : IBench
{
    public string Name => "host";

    public string Description => "no-op plugin through the run loop vs a bare Step loop (target ≥ 1M steps/s)";

    public void Run(bool quick)
    {
        long steps = quick ? 500_000 : 10_000_000;
        var catalog = PluginCatalog.Discover(PluginCatalog.DefaultFolders([], null, AppContext.BaseDirectory, Environment.CurrentDirectory));
        var yaml = $"experiment: host-bench\nplugin: sample\ntrainer: {{noop: true}}\nstop: {{max_steps: {steps}}}\n" +
                   "metrics: {every: 100}\ncheckpoint: {on_stop: false}\nvisualize: {final: false}\n";
        var manifest = ManifestLoader.LoadText(yaml, "host-bench.yaml", [], catalog.Find, catalog.Names);
        var bare = new List<double>();
        var host = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            bare.Add(BareLoop(manifest, steps));
            host.Add(HostLoop(manifest, steps));
        }
        double b = Median(bare), h = Median(host);
        Console.WriteLine($"| loop | steps/s (median of 3, {steps:N0} steps) |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| bare trainer.Step loop (peer) | {b:N0} |");
        Console.WriteLine($"| emergence run loop | {h:N0} |");
        Console.WriteLine($"ratio host/bare = {h / b:F2}; target ≥ 1,000,000 steps/s: {(h >= 1_000_000 ? "met" : "NOT met")}");
    }

    private static double BareLoop(BoundManifest manifest, long steps)
    {
        var experiment = Experiment.Build(manifest, new NullLog());
        var sink = new NullSink();
        var trainer = experiment.Trainer;
        var clock = Stopwatch.StartNew();
        for (long step = 1; step <= steps; step++)
            trainer.Step(new StepContext(step, step % 100 == 0, sink, sink));
        return steps / clock.Elapsed.TotalSeconds;
    }

    private static double HostLoop(BoundManifest manifest, long steps)
    {
        var dir = Directory.CreateTempSubdirectory("emergence-host-bench-");
        try
        {
            var folder = RunFolder.Create(dir.FullName, manifest.Experiment, "bench");
            var experiment = Experiment.Build(manifest, new NullLog());
            var info = new RunInfo
            {
                RunId = "bench", Experiment = manifest.Experiment, Plugin = "sample", PluginVersion = "", PluginAssemblySha256 = "",
                EngineVersion = "", Seed = manifest.Seed, SourceManifest = "", Created = DateTimeOffset.UnixEpoch,
            };
            using var session = new RunSession(folder, experiment, info, new CheckpointStore(folder.CheckpointsPath, 1),
                new LoggerConfiguration().CreateLogger(), TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var result = session.Run(CancellationToken.None);
            double rate = result.Step / clock.Elapsed.TotalSeconds;
            return result.Step == steps ? rate : throw new InvalidOperationException($"run ended early: {result}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private sealed class NullSink : IMetricSink, IEventSink
    {
        public void Record(string name, double value) { }

        public void Emit(string type, IReadOnlyDictionary<string, object?> fields) { }
    }

    private sealed class NullLog : IRunLog
    {
        public void Info(string message) { }

        public void Warning(string message) { }
    }
}
