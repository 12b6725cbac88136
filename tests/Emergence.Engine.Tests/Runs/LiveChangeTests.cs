using System.Text.Json.Nodes;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Runs;
using Emergence.Engine.Tests.Plugins;

namespace Emergence.Engine.Tests.Runs;

/// <summary>
/// Live changes of a running experiment, in process with the fixture-daemon plugin: strategy swaps and
/// live-editable options at a step boundary, rejections that leave the run untouched, and replay of
/// recorded swaps after a crash.
/// </summary>
public sealed class LiveChangeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly PluginCatalog _catalog;

    public LiveChangeTests()
    {
        _catalog = FixturePlugins.CatalogOfCopy("Fixture.Daemon", _dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    private string Manifest(string extra = "") => $"""
        experiment: live
        plugin: fixture-daemon
        seed: 7
        stop: {"{"}max_steps: 10{"}"}
        checkpoint: {"{"}every_steps: 2, keep_last: 10{"}"}
        metrics: {"{"}every: 1{"}"}
        {extra}
        """;

    /// <summary>Runs a manifest, sending <paramref name="command"/> after step <paramref name="at"/>.</summary>
    private (RunResult Result, RunFolder Folder, ControlReply? Reply) RunWith(string yaml, long at, Func<ControlCommand>? command,
        string runId = "r1")
    {
        var manifest = ManifestLoader.LoadText(yaml, "live.yaml", [], _catalog.Find, _catalog.Names);
        using var control = new RunControl();
        ControlCommand? sent = null;
        var request = new RunRequest
        {
            RunsRoot = Path.Combine(_dir.Path, "runs"), RunId = runId, Quiet = true, Control = control,
            Progress = (step, _) =>
            {
                if (step == at && command is not null) sent = control.Send(command());
            },
        };
        using var prepared = RunHost.PrepareStart(manifest, [], request, TimeProvider.System, _catalog);
        var result = prepared.Run(CancellationToken.None);
        return (result, prepared.Folder, sent?.Reply.Result);
    }

    private static double FinalValue(RunFolder folder) => Metrics(folder, "value").Last().Value;

    private static List<(long Step, double Value)> Metrics(RunFolder folder, string name) =>
        File.ReadLines(folder.MetricsPath).Skip(1).Select(l => l.Split(','))
            .Where(p => p[1] == name).Select(p => (long.Parse(p[0]), double.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture))).ToList();

    private static List<JsonObject> Events(RunFolder folder, string type) =>
        File.ReadLines(folder.EventsPath).Select(l => JsonNode.Parse(l)!.AsObject()).Where(e => (string)e["type"]! == type).ToList();

    [Fact]
    public void A_strategy_swap_takes_effect_at_the_next_step_boundary_and_is_recorded()
    {
        var (result, folder, reply) = RunWith(Manifest(), 5, () => new SwapCommand(["strategies.increment=two"], "test"));
        reply!.Ok.Should().BeTrue(reply.Message);
        reply.Step.Should().Be(5);
        result.End.Should().Be(RunEnd.Completed);
        Metrics(folder, "value").Select(m => m.Value).Should().Equal(1, 2, 3, 4, 5, 7, 9, 11, 13, 15);
        var swap = Events(folder, "swap").Should().ContainSingle().Subject;
        ((long)swap["step"]!).Should().Be(5);
        ((string)swap["strategies"]!["increment"]!["old"]!).Should().Be("one");
        ((string)swap["strategies"]!["increment"]!["new"]!).Should().Be("two");
        var records = new SwapLog(folder.SwapsPath).ReadAll();
        records.Should().ContainSingle().Which.Step.Should().Be(5);
        records[0].Changes.Should().Contain(c => c.Key == "strategies.increment.name" && c.Old == "one" && c.New == "two");
    }

    [Fact]
    public void A_live_editable_option_changes_in_place()
    {
        var (_, folder, reply) = RunWith(Manifest(), 5, () => new SwapCommand(["trainer.scale=3"], "test"));
        reply!.Ok.Should().BeTrue(reply.Message);
        FinalValue(folder).Should().Be(5 + 5 * 3);
        Events(folder, "swap").Single()["live_options"]!.AsArray().Select(n => (string)n!).Should().Equal("trainer.scale");
    }

    [Fact]
    public void An_unknown_strategy_is_rejected_and_the_run_is_unaffected()
    {
        var (_, folder, reply) = RunWith(Manifest(), 5, () => new SwapCommand(["strategies.increment=tree"], "test"));
        reply!.Ok.Should().BeFalse();
        reply.Errors.Should().Contain(e => e.Contains("tree") && e.Contains("two"));
        FinalValue(folder).Should().Be(10);
        File.Exists(folder.SwapsPath).Should().BeFalse();
        Events(folder, "swap_rejected").Should().ContainSingle();
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_validation_error()
    {
        var (_, folder, reply) = RunWith(Manifest(), 3, () => new SwapCommand(["trainer.scale=-1"], "test"));
        reply!.Ok.Should().BeFalse();
        reply.Errors.Should().Contain(e => e.Contains("trainer.scale"));
        FinalValue(folder).Should().Be(10);
    }

    [Fact]
    public void A_restart_only_option_is_rejected_and_says_so()
    {
        var (_, folder, reply) = RunWith(Manifest(), 3, () => new SwapCommand(["model.state_floats=32"], "test"));
        reply!.Ok.Should().BeFalse();
        reply.Errors.Should().ContainSingle().Which.Should().Contain("model.state_floats").And.Contain("restart-only");
        FinalValue(folder).Should().Be(10);
    }

    [Fact]
    public void An_edited_manifest_swaps_what_changed()
    {
        var edited = Manifest("strategies: {increment: {name: random, max: 5}}\ntrainer: {scale: 2}");
        var (_, folder, reply) = RunWith(Manifest(), 4, () => new ManifestEditCommand(edited, "live.yaml", "manifest edit"));
        reply!.Ok.Should().BeTrue(reply.Message);
        var swap = Events(folder, "swap").Single();
        ((string)swap["strategies"]!["increment"]!["new"]!).Should().Be("random");
        swap["live_options"]!.AsArray().Select(n => (string)n!).Should().Equal("trainer.scale");
    }

    [Fact]
    public void Pause_holds_the_run_until_resumed()
    {
        var manifest = ManifestLoader.LoadText(Manifest(), "live.yaml", [], _catalog.Find, _catalog.Names);
        using var control = new RunControl();
        long stepAtResume = -1;
        var request = new RunRequest
        {
            RunsRoot = Path.Combine(_dir.Path, "runs"), RunId = "p", Quiet = true, Control = control,
            Progress = (step, metrics) =>
            {
                if (step != 3) return;
                control.Send(new PauseCommand());
                var resume = new ResumeCommand();
                _ = Task.Run(async () =>
                {
                    await Task.Delay(300);
                    control.Send(resume);
                });
            },
            Status = status =>
            {
                if (!status.Paused && stepAtResume < 0 && status.Step == 3) stepAtResume = status.Step;
            },
        };
        using var prepared = RunHost.PrepareStart(manifest, [], request, TimeProvider.System, _catalog);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        prepared.Run(CancellationToken.None).Step.Should().Be(10);
        clock.ElapsedMilliseconds.Should().BeGreaterThanOrEqualTo(250);
        Events(prepared.Folder, "paused").Single()["step"]!.GetValue<long>().Should().Be(3);
        Events(prepared.Folder, "unpaused").Single()["step"]!.GetValue<long>().Should().Be(3);
    }

    [Fact]
    public void Resuming_replays_a_swap_recorded_after_the_last_checkpoint()
    {
        var yaml = Manifest("strategies: {increment: random}");
        var (_, uninterrupted, _) = RunWith(yaml, 5, () => new SwapCommand(["strategies.increment={name: random, max: 7}", "trainer.scale=2"], "test"), "whole");
        var (_, crashed, _) = RunWith(yaml, 5, () => new SwapCommand(["strategies.increment={name: random, max: 7}", "trainer.scale=2"], "test"), "crashed");
        // Simulate a crash right after step 4's checkpoint: later checkpoints never happened.
        foreach (var file in Directory.GetFiles(crashed.CheckpointsPath).Where(f => !f.EndsWith("000000000004.msgpack")))
            File.Delete(file);
        var result = RunHost.Resume(crashed, _catalog, new RunRequest { RunsRoot = Path.Combine(_dir.Path, "runs"), Quiet = true },
            TimeProvider.System, CancellationToken.None);
        result.Step.Should().Be(10);
        File.ReadAllText(crashed.MetricsPath).Should().Be(File.ReadAllText(uninterrupted.MetricsPath));
        StateOf(crashed).Should().Be(StateOf(uninterrupted));
        new SwapLog(crashed.SwapsPath).ReadAll().Should().ContainSingle("a replayed swap is not recorded twice");
    }

    [Fact]
    public void A_plugin_command_runs_at_the_boundary_and_is_recorded()
    {
        var (_, folder, reply) = RunWith(Manifest(), 5, () => new PluginCommand("bump", ["amount=50"], "test"));
        reply!.Ok.Should().BeTrue(reply.Message);
        Metrics(folder, "value").Select(m => m.Value).Should().Equal(1, 2, 3, 4, 5, 56, 57, 58, 59, 60);
        var ev = Events(folder, "command").Should().ContainSingle().Subject;
        ((string)ev["command"]!).Should().Be("bump");
        ((long)ev["step"]!).Should().Be(5);
        new SwapLog(folder.SwapsPath).ReadAll().Should().ContainSingle().Which.Command.Should().Be("bump");
    }

    [Theory]
    [InlineData("bmp", "amount=1", "no command 'bmp'")]
    [InlineData("bump", "amount=5000", "amount")]
    [InlineData("bump", "amout=5", "did you mean 'amount'")]
    public void A_bad_plugin_command_is_rejected_and_changes_nothing(string name, string arg, string error)
    {
        var (_, folder, reply) = RunWith(Manifest(), 5, () => new PluginCommand(name, [arg], "test"));
        reply!.Ok.Should().BeFalse();
        reply.Errors.Should().Contain(e => e.Contains(error));
        FinalValue(folder).Should().Be(10);
        File.Exists(folder.SwapsPath).Should().BeFalse();
    }

    [Fact]
    public void Resuming_replays_a_plugin_command_recorded_after_the_last_checkpoint()
    {
        var yaml = Manifest("strategies: {increment: random}");
        var (_, whole, _) = RunWith(yaml, 5, () => new PluginCommand("bump", ["noisy=true"], "test"), "whole");
        var (_, crashed, _) = RunWith(yaml, 5, () => new PluginCommand("bump", ["noisy=true"], "test"), "crashed");
        foreach (var file in Directory.GetFiles(crashed.CheckpointsPath).Where(f => !f.EndsWith("000000000004.msgpack")))
            File.Delete(file);
        RunHost.Resume(crashed, _catalog, new RunRequest { RunsRoot = Path.Combine(_dir.Path, "runs"), Quiet = true },
            TimeProvider.System, CancellationToken.None).Step.Should().Be(10);
        File.ReadAllText(crashed.MetricsPath).Should().Be(File.ReadAllText(whole.MetricsPath));
        StateOf(crashed).Should().Be(StateOf(whole));
    }

    private static string StateOf(RunFolder folder)
    {
        var store = new CheckpointStore(folder.CheckpointsPath, 10);
        var last = store.List().MaxBy(c => c.Step)!;
        return StateHash.Of(CheckpointFile.ReadFile(last.Path));
    }
}
