using System.Text.Json;

namespace Emergence.EndToEnd.Tests;

/// <summary>Stop conditions and failures through the real CLI.</summary>
public class RunLifecycleTests
{
    private static JsonElement Info(string temp, string experiment, string run) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(temp, "runs", experiment, run, "run.json"))).RootElement;

    [Fact]
    public void Run_MetricTarget_StopsAsSoonAsItIsMet()
    {
        using var temp = new TempDir();
        var manifest = Path.Combine(CliProcess.RepoRoot, "experiments", "sample", "walk.yaml");
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "r", "-q",
            "--set", "stop.metric={name: moves, above: 4000}", "--set", "metrics.every=10"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var info = Info(temp.Path, "sample-walk", "r");
        info.GetProperty("status").GetString().Should().Be("completed");
        info.GetProperty("step").GetInt64().Should().Be(260, "16 walkers make 4,160 moves by step 260, the first metric step above 4,000");
        info.GetProperty("reason").GetString().Should().Contain("metric moves");
    }

    [Fact]
    public void Run_WallTime_StopsResumablyWithACheckpoint()
    {
        using var temp = new TempDir();
        var manifest = Path.Combine(CliProcess.RepoRoot, "experiments", "sample", "walk.yaml");
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "r", "-q",
            "--set", "stop={max_steps: 1000000000000, wall_time: 1s}", "--set", "visualizers={}"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var info = Info(temp.Path, "sample-walk", "r");
        info.GetProperty("status").GetString().Should().Be("stopped");
        info.GetProperty("reason").GetString().Should().Be("wall_time reached");
        var step = info.GetProperty("step").GetInt64();
        Directory.GetFiles(Path.Combine(temp.Path, "runs", "sample-walk", "r", "checkpoints"))
            .Should().Contain(f => f.EndsWith($"ckpt-{step:D12}.msgpack", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_TrainerThrows_FailsWithReasonAndKeepsTheLastCheckpoint()
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", """
            experiment: failing
            plugin: fixture-good
            trainer: {fail_at: 25}
            stop: {max_steps: 100}
            checkpoint: {every_steps: 10}
            metrics: {every: 1}
            """);
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--plugins", CliProcess.Fixtures, "--run-id", "r", "-q"]);
        result.ExitCode.Should().Be(1, result.ToString());
        var info = Info(temp.Path, "failing", "r");
        info.GetProperty("status").GetString().Should().Be("failed");
        info.GetProperty("reason").GetString().Should().Contain("fixture trainer failure at step 25");
        Directory.GetFiles(Path.Combine(temp.Path, "runs", "failing", "r", "checkpoints")).Select(Path.GetFileName)
            .Should().BeEquivalentTo("ckpt-000000000010.msgpack", "ckpt-000000000020.msgpack");
    }

    [Fact]
    public void Run_VisualizerThrows_LogsAWarningAndCompletes()
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", """
            experiment: broken-viz
            plugin: fixture-good
            visualizers: {broken: {every: 5}}
            stop: {max_steps: 20}
            """);
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--plugins", CliProcess.Fixtures, "--run-id", "r"]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().Contain("visualizer broken failed at step 5").And.Contain("the run continues");
        Info(temp.Path, "broken-viz", "r").GetProperty("status").GetString().Should().Be("completed");
        File.ReadAllText(Path.Combine(temp.Path, "runs", "broken-viz", "r", "log.jsonl")).Should().Contain("fixture visualizer failure");
    }
}
