using System.Text.Json.Nodes;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;
using Emergence.Engine.Tests.Plugins;

namespace Emergence.Engine.Tests.Runs;

/// <summary>
/// Hot reload of a rebuilt plugin in a running experiment: the fixture-daemon plugin's folder gets the
/// version-2 build between steps; the run continues from the same state on the new code and the old load
/// context is collected. The soak test reloads 50 times. The class runs alone (not in parallel with other tests), so the
/// process's memory after GC reflects only the reloads.
/// </summary>
[Collection(nameof(PluginReloadCollection))]
public sealed class PluginReloadTests : IDisposable
{
    private static readonly string V1 = Path.GetDirectoryName(FixturePlugins.MainAssembly("Fixture.Daemon"))!;
    private static readonly string V2 = Path.Combine(Path.GetDirectoryName(FixturePlugins.Root)!, "fixtures-v2", "Fixture.Daemon");
    private readonly TempDir _dir = new();
    private readonly string _pluginDir;

    public PluginReloadTests()
    {
        _pluginDir = Path.Combine(_dir.Path, "plugins", "Fixture.Daemon");
        Deploy(V1);
    }

    public void Dispose() => _dir.Dispose();

    private void Deploy(string build)
    {
        Directory.CreateDirectory(_pluginDir);
        foreach (var file in Directory.GetFiles(build)) File.Copy(file, Path.Combine(_pluginDir, Path.GetFileName(file)), overwrite: true);
    }

    private PreparedRun Prepare(PluginCatalog catalog, long maxSteps, int stateFloats, RunControl control, Action<long>? afterStep = null)
    {
        var yaml = $$"""
            experiment: reload
            plugin: fixture-daemon
            seed: 3
            model: {state_floats: {{stateFloats}}}
            strategies: {increment: random}
            stop: {max_steps: {{maxSteps}}}
            checkpoint: {every_steps: 1000000}
            metrics: {every: 1}
            """;
        var manifest = ManifestLoader.LoadText(yaml, "reload.yaml", [], catalog.Find, catalog.Names);
        var request = new RunRequest
        {
            RunsRoot = Path.Combine(_dir.Path, "runs"), Quiet = true, Control = control,
            Progress = (step, _) => afterStep?.Invoke(step),
        };
        return RunHost.PrepareStart(manifest, [], request, TimeProvider.System, catalog);
    }

    /// <summary>A command's reply; the run has ended, so every command has been answered.</summary>
    private static ControlReply Outcome(ControlCommand command) =>
        command.Reply.IsCompleted ? command.Reply.GetAwaiter().GetResult() : throw new InvalidOperationException("command was never answered");

    private static List<JsonObject> Events(RunFolder folder, string type) =>
        File.ReadLines(folder.EventsPath).Select(l => JsonNode.Parse(l)!.AsObject()).Where(e => (string)e["type"]! == type).ToList();

    [Fact]
    public void A_rebuilt_plugin_takes_over_the_state_at_a_step_boundary_and_the_old_context_is_collected()
    {
        var catalog = PluginCatalog.Discover([Path.GetDirectoryName(_pluginDir)!]);
        using var control = new RunControl();
        ControlCommand? reload = null;
        using var prepared = Prepare(catalog, 12, 1000, control, step =>
        {
            if (step != 6) return;
            Deploy(V2);
            reload = control.Send(new ReloadCommand("test"));
        });
        var result = prepared.Run(CancellationToken.None);
        result.Step.Should().Be(12);
        Outcome(reload!).Ok.Should().BeTrue(Outcome(reload!).Message);

        var reloaded = Events(prepared.Folder, "plugin_reloaded").Should().ContainSingle().Subject;
        ((long)reloaded["step"]!).Should().Be(6);
        ((string)reloaded["old_version"]!).Should().Be("1.0.0");
        ((string)reloaded["new_version"]!).Should().Be("2.0.0");
        var collected = Events(prepared.Folder, "plugin_context_collected").Should().ContainSingle().Subject;
        ((string)collected["old_version"]!).Should().Be("1.0.0");
        Events(prepared.Folder, "plugin_context_leaked").Should().BeEmpty();
        var metrics = File.ReadLines(prepared.Folder.MetricsPath).Skip(1).Select(l => l.Split(',')).ToList();
        metrics.Where(m => m[1] == "version").Select(m => (m[0], m[2])).Should().Equal(
            Enumerable.Range(1, 12).Select(s => (s.ToString(), s <= 6 ? "1" : "2")));
        // The state carried over: the step count and the counter continue without a gap.
        metrics.Where(m => m[1] == "value").Select(m => long.Parse(m[0])).Should().Equal(Enumerable.Range(1, 12).Select(s => (long)s));
        catalog.Find("fixture-daemon")!.Info.Version.Should().Be("2.0.0");
    }

    [Fact]
    public void Trajectory_is_unchanged_by_a_reload_of_an_identical_build()
    {
        // Same code, different bytes is not needed: a reload that finds the same assembly is a no-op and says so.
        var catalog = PluginCatalog.Discover([Path.GetDirectoryName(_pluginDir)!]);
        using var control = new RunControl();
        ControlCommand? reload = null;
        using var prepared = Prepare(catalog, 4, 16, control, step =>
        {
            if (step == 2) reload = control.Send(new ReloadCommand("test"));
        });
        prepared.Run(CancellationToken.None);
        Outcome(reload!).Ok.Should().BeFalse();
        Outcome(reload!).Message.Should().Contain("unchanged");
    }

    [Fact]
    public void A_broken_rebuild_keeps_the_old_version_running_from_the_same_state()
    {
        var catalog = PluginCatalog.Discover([Path.GetDirectoryName(_pluginDir)!]);
        using var control = new RunControl();
        ControlCommand? reload = null;
        using var prepared = Prepare(catalog, 8, 16, control, step =>
        {
            if (step != 4) return;
            File.WriteAllBytes(Path.Combine(_pluginDir, "Fixture.Daemon.dll"), [1, 2, 3, 4]);
            reload = control.Send(new ReloadCommand("test"));
        });
        prepared.Run(CancellationToken.None).Step.Should().Be(8);
        Outcome(reload!).Ok.Should().BeFalse();
        var failed = Events(prepared.Folder, "plugin_reload_failed").Should().ContainSingle().Subject;
        ((string)failed["error"]!).Should().Contain("did not load");
        File.ReadLines(prepared.Folder.MetricsPath).Where(l => l.Contains(",version,")).Should().AllSatisfy(l => l.Should().EndWith(",1"));
    }

    [Fact]
    public void Fifty_reloads_collect_every_old_context_and_keep_memory_flat()
    {
        var catalog = PluginCatalog.Discover([Path.GetDirectoryName(_pluginDir)!]);
        using var control = new RunControl();
        var replies = new List<ControlCommand>();
        var memory = new List<long>();
        using var prepared = Prepare(catalog, 51, 250_000, control, step =>
        {
            if (step > 50) return;
            Thread.Sleep(120); // the previous old context is confirmed collected at the next check (at most every 100 ms)
            memory.Add(GC.GetTotalMemory(forceFullCollection: true));
            Deploy(step % 2 == 1 ? V2 : V1);
            replies.Add(control.Send(new ReloadCommand("soak")));
        });
        prepared.Run(CancellationToken.None).Step.Should().Be(51);
        replies.Should().HaveCount(50).And.AllSatisfy(r => Outcome(r).Ok.Should().BeTrue(Outcome(r).Message));
        Events(prepared.Folder, "plugin_reloaded").Should().HaveCount(50);
        Events(prepared.Folder, "plugin_context_collected").Should().HaveCount(50, "every old load context is collected");
        Events(prepared.Folder, "plugin_context_leaked").Should().BeEmpty();
        double first = Median(memory.Take(10)), last = Median(memory.TakeLast(10));
        last.Should().BeLessThan(first * 1.10 + 1_000_000, "memory after GC stays flat across reloads");
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

/// <summary>Runs <see cref="PluginReloadTests"/> on its own, after the parallel tests.</summary>
[CollectionDefinition(nameof(PluginReloadCollection), DisableParallelization = true)]
public sealed class PluginReloadCollection;
