using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;

namespace Emergence.Bench;

/// <summary>
/// Plugin hot reload with 10 MB of state (the fixture-daemon plugin, its v1 and v2 builds deployed alternately into
/// one running experiment): time per reload at the step boundary, against the peer — writing and reading the same
/// state as a checkpoint file, the cheapest restart there is without hot reload (no process start counted).
/// Soak: every old load context must be confirmed collected, and memory after GC must stay flat
/// (the last 100 reloads within 10% of the first 100). Targets: ≤ 1 s per reload, no lost step.
/// </summary>
internal sealed class ReloadBench : IBench
{
    public string Name => "reload";

    public string Description => "hot reload with 10 MB state, 1,000 reloads soak (target ≤ 1 s each, contexts collected, memory flat)";

    public void Run(bool quick)
    {
        int reloads = quick ? 50 : 1000;
        const int StateFloats = 10 * 1024 * 1024 / 4;
        var fixtures = FindUp(AppContext.BaseDirectory, Path.Combine("artifacts", "fixtures"));
        var v1 = Path.Combine(fixtures, "Fixture.Daemon");
        var v2 = Path.Combine(Path.GetDirectoryName(fixtures)!, "fixtures-v2", "Fixture.Daemon");
        var temp = Directory.CreateTempSubdirectory("emergence-reload-bench-").FullName;
        try
        {
            var pluginDir = Path.Combine(temp, "plugins", "Fixture.Daemon");
            Deploy(v1, pluginDir);
            var catalog = PluginCatalog.Discover([Path.GetDirectoryName(pluginDir)!]);
            using var control = new RunControl();
            var memory = new List<long>();
            var boundary = new List<double>();
            var clock = new Stopwatch();
            var request = new RunRequest
            {
                RunsRoot = Path.Combine(temp, "runs"), Quiet = true, Control = control,
                Progress = (step, _) =>
                {
                    if (clock.IsRunning) boundary.Add(clock.Elapsed.TotalMilliseconds);
                    if (step > reloads) return;
                    memory.Add(GC.GetTotalMemory(forceFullCollection: true));
                    Deploy(step % 2 == 1 ? v2 : v1, pluginDir);
                    control.Send(new ReloadCommand("bench"));
                    clock.Restart();
                },
            };
            using (var prepared = Prepare(catalog, reloads, StateFloats, request))
            {
                prepared.Run(CancellationToken.None);
                Report(prepared.Folder, reloads, memory, boundary, StateFloats);
            }
            Peer(StateFloats, temp);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Binds the manifest in its own frame: a local holding the first manifest would keep the first build alive.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static PreparedRun Prepare(PluginCatalog catalog, int reloads, int stateFloats, RunRequest request)
    {
        var yaml = $"experiment: reload-bench\nplugin: fixture-daemon\nmodel: {{state_floats: {stateFloats}}}\n" +
                   $"stop: {{max_steps: {reloads + 1}}}\ncheckpoint: {{every_steps: 1000000, on_stop: false}}\nmetrics: {{every: 1}}\nvisualize: {{final: false}}\n";
        var manifest = ManifestLoader.LoadText(yaml, "reload-bench.yaml", [], catalog.Find, catalog.Names);
        return RunHost.PrepareStart(manifest, [], request, TimeProvider.System, catalog);
    }

    private static void Report(RunFolder folder, int reloads, List<long> memory, List<double> stepTimes, int stateFloats)
    {
        var events = File.ReadLines(folder.EventsPath).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var reloaded = events.Where(e => (string?)e["type"] == "plugin_reloaded").ToList();
        var reloadMs = reloaded.Select(e => e["reload_ms"]!.GetValue<double>()).Order().ToList();
        int collected = events.Count(e => (string?)e["type"] == "plugin_context_collected");
        int leaked = events.Count(e => (string?)e["type"] == "plugin_context_leaked");
        var steps = File.ReadLines(folder.MetricsPath).Skip(1).Select(l => l.Split(',')).Where(p => p[1] == "value").Select(p => long.Parse(p[0], CultureInfo.InvariantCulture)).ToList();
        bool continuous = steps.SequenceEqual(Enumerable.Range(1, reloads + 1).Select(i => (long)i));
        int window = Math.Min(100, memory.Count / 2);
        double first = memory.Take(window).Average() / 1e6, last = memory.TakeLast(window).Average() / 1e6;
        Console.WriteLine($"state {stateFloats * 4 / 1e6:F1} MB; {reloads} reloads (v1 ↔ v2) in one run");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| reloads applied | {reloaded.Count} / {reloads} |");
        Console.WriteLine($"| reload time (load new build, bind, checkpoint to memory, build, restore) median / p95 / max | " +
                          $"{Pct(reloadMs, 0.5):F1} / {Pct(reloadMs, 0.95):F1} / {reloadMs.LastOrDefault():F1} ms |");
        Console.WriteLine($"| step boundary incl. reload, median | {Pct(stepTimes.Order().ToList(), 0.5):F1} ms |");
        Console.WriteLine($"| old contexts confirmed collected / leaked | {collected} / {leaked} |");
        Console.WriteLine($"| steps continuous (no step lost or repeated) | {continuous} |");
        Console.WriteLine($"| managed memory after GC, first {window} vs last {window} reloads | {first:F1} MB → {last:F1} MB ({(last / first - 1) * 100:+0.0;-0.0}%) |");
    }

    private static void Peer(int stateFloats, string temp)
    {
        // The same 10 MB state as a checkpoint file: write (atomic, fsync) and read back.
        var data = new float[stateFloats];
        var times = new List<double>();
        var store = new CheckpointStore(Path.Combine(temp, "peer"), 1);
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var state = new StateTreeWriter())
            {
                state.Section("model").WriteFloats("data", data, [data.Length]);
                var header = new CheckpointHeader("bench", "fixture-daemon", "1", "", "peer", "peer", i, DateTimeOffset.UtcNow, "");
                var path = store.Save(header, new Dictionary<string, Emergence.Contracts.Random.RngStream>(), state);
                store.WaitForRetention();
                var read = CheckpointFile.ReadFile(path);
                read.State.Section("model").ReadFloats("data", out _);
            }
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"| peer: write + read the same state as a checkpoint file (median of 5) | {Pct(times.Order().ToList(), 0.5):F1} ms |");
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static void Deploy(string build, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(build)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }

    private static string FindUp(string start, string relative)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new DirectoryNotFoundException($"{relative} not found above {start}; build the solution first");
    }
}
