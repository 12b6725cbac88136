using System.Diagnostics;
using System.Text.Json;

namespace Emergence.EndToEnd.Tests;

/// <summary>
/// Exact resume through the real CLI: a run stopped by SIGINT, or killed with SIGKILL after a
/// checkpoint, then resumed, ends with the same state hash and the same metric stream as a run
/// that never stopped.
/// </summary>
public class ExactResumeTests
{
    /// <summary>A manifest per plugin: the sample walk (fast, many steps) and SparkNet with stateful strategies.</summary>
    private static (string Path, long Steps) Manifest(TempDir temp, string plugin) => plugin switch
    {
        "sample" => (temp.Write("m.yaml", """
            experiment: resume
            plugin: sample
            seed: 11
            model: {walkers: 16}
            trainer: {tracked: 3}
            stop: {max_steps: 200000}
            checkpoint: {every_steps: 5000, keep_last: 3}
            metrics: {every: 250}
            """), 200_000),
        "selfmodifying" => (temp.Write("m.yaml", """
            experiment: resume
            plugin: selfmodifying
            seed: 4
            model: {compat: fixed}
            trainer: {max_digit: 5, check_every: 1000, epsilon: 0.3}
            strategies:
              success: reward_gain
              rollback: {name: reward_drop, window: 50, drop: 0.0}
            visualizers:
              structure: {every: 500}
            stop: {max_steps: 1500}
            checkpoint: {every_steps: 100, keep_last: 2}
            metrics: {every: 25}
            """), 1_500),
        "genreg" => (temp.Write("m.yaml", """
            experiment: resume
            plugin: genreg
            seed: 42
            model: {features: {noise_size: 496}, hidden: 8}
            trainer: {type: ga, target_mse: 0, stagnation_window: 0}
            strategies:
              selection: {name: tournament, k: 3, elites: 4, max_age: 30, immigrants: 2}
              mutation: one_fifth
            visualizers:
              heatmap: {every: 100}
            stop: {max_steps: 800}
            checkpoint: {every_steps: 40, keep_last: 2}
            metrics: {every: 10}
            """), 800),
        _ => (temp.Write("m.yaml", """
            experiment: resume
            plugin: sparknet
            seed: 5
            model: {n_neurons: 100, grid_h: 10, grid_w: 10, num_sparks: 3}
            trainer: {spark_order: shuffled}
            strategies:
              weight_decay: {name: slow_visited}
              layout: persistent
            visualizers:
              activations: {every: 1000}
              layout_player: {every: 500}
            stop: {max_steps: 6000}
            checkpoint: {every_steps: 300, keep_last: 2}
            metrics: {every: 50}
            """), 6_000),
    };

    [Theory]
    [InlineData("sample", 2)]   // SIGINT (Ctrl+C)
    [InlineData("sparknet", 15)] // SIGTERM
    [InlineData("selfmodifying", 15)] // modifications, rollbacks and the meta-learner's state across the stop
    [InlineData("genreg", 15)] // a population with re-sampled Gaussian columns, senescence, immigrants and the 1/5 rule's scale
    public void Resume_AfterStopSignal_MatchesAStraightRun(string plugin, int signal)
    {
        using var temp = new TempDir();
        var (manifest, steps) = Manifest(temp, plugin);
        var straight = RunStraight(temp, manifest, steps);

        using (var process = CliProcess.Start(temp.Path, "run", manifest, "--run-id", "stopped", "-q"))
        {
            WaitForCheckpoint(Path.Combine(temp.Path, "runs", "resume", "stopped"), process);
            CliProcess.Signal(process, signal);
            var stopped = CliProcess.Wait(process);
            stopped.ExitCode.Should().Be(0, stopped.ToString());
            stopped.Stderr.Should().Contain("stopped at step");
        }
        var folder = Path.Combine(temp.Path, "runs", "resume", "stopped");
        Status(folder).Should().Be("stopped");
        Step(folder).Should().BeLessThan(steps);

        var resumed = CliProcess.Run(temp.Path, ["resume", folder, "-q"]);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        Status(folder).Should().Be("completed");
        Hash(temp, folder, steps).Should().Be(straight.Hash);
        File.ReadAllText(Path.Combine(folder, "metrics.csv")).Should().Be(straight.Metrics);
        if (plugin == "sparknet")
        {
            var player = Path.Combine("artifacts", "layout_player", $"layout_player_{steps:D8}.html");
            File.ReadAllText(Path.Combine(folder, player)).Should().Be(
                File.ReadAllText(Path.Combine(temp.Path, "runs", "resume", "straight", player)), "the player's frames are checkpointed");
        }
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("sparknet")]
    [InlineData("genreg")]
    public void Resume_AfterKill9_RollsBackLateMetricsAndMatchesAStraightRun(string plugin)
    {
        using var temp = new TempDir();
        var (manifest, steps) = Manifest(temp, plugin);
        var straight = RunStraight(temp, manifest, steps);

        var folder = Path.Combine(temp.Path, "runs", "resume", "killed");
        using (var process = CliProcess.Start(temp.Path, "run", manifest, "--run-id", "killed", "-q"))
        {
            WaitForCheckpoint(folder, process);
            Thread.Sleep(50); // let it write metric rows past the checkpoint
            CliProcess.Signal(process, 9);
            process.WaitForExit(10_000).Should().BeTrue();
        }
        Status(folder).Should().Be("running", "a killed process cannot record its end");

        var resumed = CliProcess.Run(temp.Path, ["run", folder, "-q"]);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        Hash(temp, folder, steps).Should().Be(straight.Hash);
        File.ReadAllText(Path.Combine(folder, "metrics.csv")).Should().Be(straight.Metrics);
        File.ReadAllLines(Path.Combine(folder, "events.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString())
            .Should().Equal("run_started", "run_resumed", "run_ended");
    }

    private static (string Hash, string Metrics) RunStraight(TempDir temp, string manifest, long steps)
    {
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "straight", "-q"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var folder = Path.Combine(temp.Path, "runs", "resume", "straight");
        return (Hash(temp, folder, steps), File.ReadAllText(Path.Combine(folder, "metrics.csv")));
    }

    private static string Hash(TempDir temp, string folder, long steps)
    {
        var result = CliProcess.Run(temp.Path, ["inspect", folder, "--hash"]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain($"step {steps}");
        return result.Stdout.Split(' ')[0];
    }

    private static void WaitForCheckpoint(string folder, Process process)
    {
        var checkpoints = Path.Combine(folder, "checkpoints");
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, "ckpt-*.msgpack").Length > 0))
        {
            process.HasExited.Should().BeFalse("the run should still be going when its first checkpoint appears");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
            Thread.Sleep(5);
        }
    }

    private static string Status(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "run.json"))).RootElement.GetProperty("status").GetString()!;

    private static long Step(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "run.json"))).RootElement.GetProperty("step").GetInt64();
}
