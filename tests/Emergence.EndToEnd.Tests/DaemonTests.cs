using System.Globalization;
using System.Text.Json.Nodes;

namespace Emergence.EndToEnd.Tests;

/// <summary>
/// The daemon end to end, with real processes: a SparkNet experiment and the fixture-daemon plugin on a temporary
/// root. Live swaps by manifest edit and by command, hot reload of a rebuilt plugin, kill -9 of a worker, repeated
/// crashes, rejected changes, and SIGTERM checkpointing everything.
/// </summary>
public class DaemonTests
{
    private static readonly string FixtureV1 = Path.Combine(CliProcess.Fixtures, "Fixture.Daemon");
    private static readonly string FixtureV2 = Path.Combine(Path.GetDirectoryName(CliProcess.Fixtures)!, "fixtures-v2", "Fixture.Daemon");

    private static void Deploy(string build, string root)
    {
        var target = Path.Combine(root, "plugins", "Fixture.Daemon");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(build)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }

    private static string Counter(string name, string extra = "", int delayMs = 20) => $$"""
        experiment: {{name}}
        plugin: fixture-daemon
        seed: 3
        trainer: {step_delay_ms: {{delayMs}}}
        strategies: {increment: random}
        metrics: {every: 1}
        checkpoint: {every_steps: 25, keep_last: 3}
        daemon: {enabled: true, backoff_initial: 0.2s, backoff_max: 1s}
        {{extra}}
        """;

    private static List<(long Step, string Name, double Value)> Metrics(string runDir) =>
        File.ReadLines(Path.Combine(runDir, "metrics.csv")).Skip(1).Select(l => l.Split(','))
            .Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), p[1], double.Parse(p[2], CultureInfo.InvariantCulture))).ToList();

    /// <summary>Every step from 1 on has metrics, and no (step, metric) pair is recorded twice: no lost and no repeated step.</summary>
    private static void StepsContinuous(string runDir)
    {
        var metrics = Metrics(runDir);
        var steps = metrics.Select(m => m.Step).Distinct().Order().ToList();
        steps.Should().Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), "steps are continuous");
        metrics.GroupBy(m => (m.Step, m.Name)).Should().OnlyContain(g => g.Count() == 1, "no step is recorded twice");
    }

    [Fact]
    public void A_manifest_edit_and_a_swap_command_change_strategies_at_a_step_boundary()
    {
        using var temp = new TempDir();
        var manifest = Path.Combine(temp.Path, "experiments", "spark.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        const string Spark = """
            experiment: spark
            plugin: sparknet
            seed: 5
            model: {n_neurons: 100, grid_h: 10, grid_w: 10, num_sparks: 3}
            strategies: {movement: softmax}
            metrics: {every: 1}
            checkpoint: {every_steps: 200}
            daemon: {enabled: true}
            """;
        File.WriteAllText(manifest, Spark);
        using var daemon = new DaemonProcess(temp.Path);
        daemon.WaitUntil(() => daemon.Step("spark") > 50, "spark runs");

        File.WriteAllText(manifest, Spark.Replace("movement: softmax", "movement: proportional"));
        daemon.WaitUntil(() => daemon.Events("spark", "swap").Count == 1, "the manifest edit is applied");
        var edit = daemon.Events("spark", "swap")[0];
        ((string)edit["origin"]!).Should().Be("manifest edit");
        ((string)edit["strategies"]!["movement"]!["new"]!).Should().Be("proportional");

        var swap = daemon.Cli("swap", "spark", "strategies.memory=diffusion");
        swap.ExitCode.Should().Be(0, swap.ToString());
        swap.Stdout.Should().Contain("applied at step");
        daemon.Events("spark", "swap").Should().HaveCount(2);
        daemon.Experiment("spark")!["strategies"]!["memory"]!.GetValue<string>().Should().Be("diffusion");

        var reset = daemon.Cli("command", "spark", "reset", "reset_weights=true");
        reset.ExitCode.Should().Be(0, reset.ToString());
        daemon.Events("spark", "reset").Should().ContainSingle().Which["reset_weights"]!.GetValue<bool>().Should().BeTrue();
        var unknown = daemon.Cli("command", "spark", "rest");
        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Stderr.Should().Contain("no command 'rest'").And.Contain("reset");

        daemon.Terminate().Should().Be(0, daemon.Output);
        StepsContinuous(RunDir(temp.Path, "spark"));
    }

    private static string RunDir(string root, string experiment) => Directory.GetDirectories(Path.Combine(root, "runs", experiment)).Single();

    [Fact]
    public void Invalid_changes_are_rejected_and_the_experiment_is_unaffected()
    {
        using var temp = new TempDir();
        Deploy(FixtureV1, temp.Path);
        var manifest = Path.Combine(temp.Path, "experiments", "count.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.WriteAllText(manifest, Counter("count"));
        using var daemon = new DaemonProcess(temp.Path);
        daemon.WaitUntil(() => daemon.Step("count") > 5, "count runs");

        var unknown = daemon.Cli("swap", "count", "strategies.increment=tow");
        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Stderr.Should().Contain("rejected").And.Contain("unknown strategy 'tow'").And.Contain("two");
        var range = daemon.Cli("swap", "count", "trainer.scale=-5");
        range.ExitCode.Should().Be(2, range.ToString());
        range.Stderr.Should().Contain("trainer.scale");

        File.WriteAllText(manifest, Counter("count").Replace("strategies: {increment: random}", "strategies: {increment: {name: random, mx: 4}}"));
        daemon.WaitUntil(() => daemon.Experiment("count")?["last_change_error"] is not null, "the bad edit is reported");
        ((string)daemon.Experiment("count")!["last_change_error"]!).Should().Contain("mx").And.Contain("max");

        var before = daemon.Step("count");
        daemon.WaitUntil(() => daemon.Step("count") > before + 5, "count keeps running");
        var state = daemon.Experiment("count")!;
        ((string)state["state"]!).Should().Be("running");
        ((string)state["strategies"]!["increment"]!).Should().Be("random");
        daemon.Events("count", "swap").Should().BeEmpty();
        daemon.Events("count", "swap_rejected").Should().HaveCount(3);
    }

    [Fact]
    public void A_rebuilt_plugin_is_hot_reloaded_with_continuous_state_and_the_old_context_collected()
    {
        using var temp = new TempDir();
        Deploy(FixtureV1, temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, "experiments", "count.yaml").Also(p => Directory.CreateDirectory(Path.GetDirectoryName(p)!)), Counter("count"));
        using var daemon = new DaemonProcess(temp.Path);
        daemon.WaitUntil(() => daemon.Step("count") > 10, "count runs");

        Deploy(FixtureV2, temp.Path);
        daemon.WaitUntil(() => daemon.Events("count", "plugin_context_collected").Count == 1, "the reload happened and the old context was collected");
        var reload = daemon.Events("count", "plugin_reloaded").Single();
        ((string)reload["new_version"]!).Should().Be("2.0.0");
        long reloadStep = reload["step"]!.GetValue<long>();
        daemon.WaitUntil(() => daemon.Step("count") > reloadStep + 10, "v2 runs");
        ((string)daemon.Experiment("count")!["plugin_version"]!).Should().Be("2.0.0");
        daemon.Terminate().Should().Be(0, daemon.Output);

        var runDir = RunDir(temp.Path, "count");
        StepsContinuous(runDir);
        Metrics(runDir).Where(m => m.Name == "version").Should().AllSatisfy(m => m.Value.Should().Be(m.Step <= reloadStep ? 1 : 2));
    }

    [Fact]
    public void A_killed_worker_restarts_from_its_checkpoint_and_nothing_is_corrupt()
    {
        using var temp = new TempDir();
        Deploy(FixtureV1, temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, "experiments", "count.yaml").Also(p => Directory.CreateDirectory(Path.GetDirectoryName(p)!)),
            Counter("count", "stop: {max_steps: 150}", delayMs: 10));
        using var daemon = new DaemonProcess(temp.Path);
        daemon.WaitUntil(() => daemon.Step("count") > 60, "count passes a checkpoint");
        var pid = daemon.Experiment("count")!["pid"]!.GetValue<int>();
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        daemon.WaitUntil(() => (string?)daemon.Experiment("count")?["state"] == "completed", "the restarted worker completes", 120);
        var state = daemon.Experiment("count")!;
        state["restarts"]!.GetValue<int>().Should().Be(1);
        ((string)state["last_crash"]!).Should().Contain("SIGKILL");
        daemon.Terminate().Should().Be(0);

        var runDir = RunDir(temp.Path, "count");
        StepsContinuous(runDir);
        var check = CliProcess.Run(temp.Path, ["inspect", runDir, "--hash"]);
        check.ExitCode.Should().Be(0, check.ToString());

        // The same manifest run straight through, without the daemon, ends in the same state.
        var straight = CliProcess.Run(temp.Path, ["run", Path.Combine(temp.Path, "experiments", "count.yaml"), "--runs", Path.Combine(temp.Path, "straight"),
            "--run-id", "s", "-q", "--plugins", Path.Combine(temp.Path, "plugins"), "--set", "trainer.step_delay_ms=0"]);
        straight.ExitCode.Should().Be(0, straight.ToString());
        var expected = CliProcess.Run(temp.Path, ["inspect", Path.Combine(temp.Path, "straight", "count", "s"), "--hash"]);
        Hash(check.Stdout).Should().Be(Hash(expected.Stdout));
    }

    private static string Hash(string inspectOutput) => inspectOutput.Trim().Split(' ')[0];

    [Fact]
    public void Repeated_crashes_mark_the_experiment_failed_with_the_reason_and_the_daemon_survives_a_stack_overflow()
    {
        using var temp = new TempDir();
        Deploy(FixtureV1, temp.Path);
        var experiments = Path.Combine(temp.Path, "experiments");
        Directory.CreateDirectory(experiments);
        File.WriteAllText(Path.Combine(experiments, "crashy.yaml"), Counter("crashy", delayMs: 1)
            .Replace("trainer: {step_delay_ms: 1}", "trainer: {step_delay_ms: 1, crash_at: 30}")
            .Replace("daemon: {enabled: true, backoff_initial: 0.2s, backoff_max: 1s}", "daemon: {enabled: true, max_restarts: 2, backoff_initial: 0.1s}"));
        var marker = Path.Combine(temp.Path, "overflowed");
        File.WriteAllText(Path.Combine(experiments, "overflow.yaml"), Counter("overflow", "stop: {max_steps: 60}", delayMs: 1)
            .Replace("trainer: {step_delay_ms: 1}", $"trainer: {{step_delay_ms: 1, crash_at: 40, crash_mode: stack_overflow, crash_once_file: \"{marker}\"}}"));
        using var daemon = new DaemonProcess(temp.Path);

        daemon.WaitUntil(() => (string?)daemon.Experiment("crashy")?["state"] == "failed", "crashy is marked failed", 120);
        var crashy = daemon.Experiment("crashy")!;
        ((string)crashy["reason"]!).Should().Contain("crashed 3 times").And.Contain("max_restarts is 2").And.Contain("deliberate failure");
        daemon.WaitUntil(() => (string?)daemon.Experiment("overflow")?["state"] == "completed", "overflow recovers and completes", 120);
        ((string)daemon.Experiment("overflow")!["last_crash"]!).Should().Contain("SIGABRT");
        daemon.Process.HasExited.Should().BeFalse("no plugin can take the daemon down");
        daemon.Terminate().Should().Be(0);
    }

    [Fact]
    public void Sigterm_checkpoints_every_experiment_and_exits_zero_and_a_new_daemon_continues()
    {
        using var temp = new TempDir();
        Deploy(FixtureV1, temp.Path);
        var experiments = Path.Combine(temp.Path, "experiments");
        Directory.CreateDirectory(experiments);
        File.WriteAllText(Path.Combine(experiments, "a.yaml"), Counter("a"));
        File.WriteAllText(Path.Combine(experiments, "b.yaml"), Counter("b", delayMs: 5));
        long stepA;
        using (var daemon = new DaemonProcess(temp.Path))
        {
            daemon.WaitUntil(() => daemon.Step("a") > 5 && daemon.Step("b") > 5, "both run");
            daemon.Terminate().Should().Be(0, daemon.Output);
        }
        foreach (var name in new[] { "a", "b" })
        {
            var runDir = RunDir(temp.Path, name);
            var info = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "run.json")))!;
            ((string)info["status"]!).Should().Be("stopped");
            var step = info["step"]!.GetValue<long>();
            File.Exists(Path.Combine(runDir, "checkpoints", $"ckpt-{step:D12}.msgpack")).Should().BeTrue($"{name} checkpointed its final step {step}");
        }
        stepA = JsonNode.Parse(File.ReadAllText(Path.Combine(RunDir(temp.Path, "a"), "run.json")))!["step"]!.GetValue<long>();
        using (var daemon = new DaemonProcess(temp.Path))
        {
            daemon.WaitUntil(() => daemon.Step("a") > stepA + 3, "a continues in the same run");
            Directory.GetDirectories(Path.Combine(temp.Path, "runs", "a")).Should().ContainSingle();
            daemon.Terminate().Should().Be(0);
        }
        StepsContinuous(RunDir(temp.Path, "a"));
    }

    [Fact]
    public void Listening_beyond_localhost_needs_a_token_and_a_token_is_enforced()
    {
        using var temp = new TempDir();
        var open = CliProcess.Run(temp.Path, ["daemon", "--root", temp.Path, "--listen", "0.0.0.0:0"]);
        open.ExitCode.Should().Be(2, open.ToString());
        open.Stderr.Should().Contain("needs a token").And.Contain("--token");

        using var daemon = new DaemonProcess(temp.Path, "--token", "s3cret");
        var refused = daemon.Cli("status");
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain("token");
        var allowed = daemon.Cli("status", "--token", "s3cret");
        allowed.ExitCode.Should().Be(0, allowed.ToString());
        allowed.Stdout.Should().Contain("EXPERIMENT");
    }

    [Fact]
    public void A_new_manifest_starts_and_a_disabled_or_removed_one_stops_after_a_checkpoint()
    {
        using var temp = new TempDir();
        Deploy(FixtureV1, temp.Path);
        var experiments = Path.Combine(temp.Path, "experiments");
        Directory.CreateDirectory(experiments);
        File.WriteAllText(Path.Combine(experiments, "a.yaml"), Counter("a"));
        using var daemon = new DaemonProcess(temp.Path);
        daemon.WaitUntil(() => daemon.Step("a") > 3, "a runs");

        File.WriteAllText(Path.Combine(experiments, "b.yaml"), Counter("b"));
        daemon.WaitUntil(() => daemon.Step("b") > 3, "the new manifest b starts");

        File.WriteAllText(Path.Combine(experiments, "a.yaml"), Counter("a").Replace("daemon: {enabled: true,", "daemon: {enabled: false,"));
        File.Delete(Path.Combine(experiments, "b.yaml"));
        daemon.WaitUntil(() => (string?)daemon.Experiment("a")?["state"] == "disabled" && (string?)daemon.Experiment("b")?["state"] == "disabled",
            "both are stopped");
        foreach (var name in new[] { "a", "b" })
        {
            var runDir = RunDir(temp.Path, name);
            var info = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "run.json")))!;
            ((string)info["status"]!).Should().Be("stopped");
            File.Exists(Path.Combine(runDir, "checkpoints", $"ckpt-{info["step"]!.GetValue<long>():D12}.msgpack")).Should().BeTrue();
        }
        daemon.Experiment("a")!["pid"].Should().BeNull();
    }
}

internal static class FluentExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
