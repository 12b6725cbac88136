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
    private const long Steps = 200_000;

    private static string Manifest(TempDir temp) => temp.Write("walk.yaml", $"""
        experiment: resume-walk
        plugin: sample
        seed: 11
        model: {"{"}walkers: 16{"}"}
        trainer: {"{"}tracked: 3{"}"}
        stop: {"{"}max_steps: {Steps}{"}"}
        checkpoint: {"{"}every_steps: 5000, keep_last: 3{"}"}
        metrics: {"{"}every: 250{"}"}
        """);

    [Fact]
    public void Resume_AfterSigint_MatchesAStraightRun()
    {
        using var temp = new TempDir();
        var manifest = Manifest(temp);
        var straight = RunStraight(temp, manifest);

        using (var process = CliProcess.Start(temp.Path, "run", manifest, "--run-id", "stopped", "-q"))
        {
            WaitForCheckpoint(Path.Combine(temp.Path, "runs", "resume-walk", "stopped"), process);
            CliProcess.Signal(process, 2);
            var stopped = CliProcess.Wait(process);
            stopped.ExitCode.Should().Be(0, stopped.ToString());
            stopped.Stderr.Should().Contain("stopped at step");
        }
        var folder = Path.Combine(temp.Path, "runs", "resume-walk", "stopped");
        Status(folder).Should().Be("stopped");
        Step(folder).Should().BeLessThan(Steps);

        var resumed = CliProcess.Run(temp.Path, ["resume", folder, "-q"]);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        Status(folder).Should().Be("completed");
        Hash(temp, folder).Should().Be(straight.Hash);
        File.ReadAllText(Path.Combine(folder, "metrics.csv")).Should().Be(straight.Metrics);
    }

    [Fact]
    public void Resume_AfterKill9_RollsBackLateMetricsAndMatchesAStraightRun()
    {
        using var temp = new TempDir();
        var manifest = Manifest(temp);
        var straight = RunStraight(temp, manifest);

        var folder = Path.Combine(temp.Path, "runs", "resume-walk", "killed");
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
        Hash(temp, folder).Should().Be(straight.Hash);
        File.ReadAllText(Path.Combine(folder, "metrics.csv")).Should().Be(straight.Metrics);
        File.ReadAllLines(Path.Combine(folder, "events.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString())
            .Should().Equal("run_started", "run_resumed", "run_ended");
    }

    private static (string Hash, string Metrics) RunStraight(TempDir temp, string manifest)
    {
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "straight", "-q"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var folder = Path.Combine(temp.Path, "runs", "resume-walk", "straight");
        return (Hash(temp, folder), File.ReadAllText(Path.Combine(folder, "metrics.csv")));
    }

    private static string Hash(TempDir temp, string folder)
    {
        var result = CliProcess.Run(temp.Path, ["inspect", folder, "--hash"]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain($"step {Steps}");
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
