using System.Text.Json;

namespace Emergence.EndToEnd.Tests;

public class RunCommandTests
{
    [Fact]
    public void Run_SampleManifest_WritesACompleteRunFolder()
    {
        using var temp = new TempDir();
        var manifest = Path.Combine(CliProcess.RepoRoot, "experiments", "sample", "walk.yaml");
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--set", "stop.max_steps=2000", "--run-id", "r1"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var run = Path.Combine(temp.Path, "runs", "sample-walk", "r1");
        File.ReadAllText(Path.Combine(run, "manifest.yaml")).Should().Contain("max_steps: 2000");
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        info.RootElement.GetProperty("status").GetString().Should().Be("completed");
        info.RootElement.GetProperty("step").GetInt64().Should().Be(2000);
        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        metrics[0].Should().Be("step,name,value");
        metrics.Should().Contain(l => l.StartsWith("2000,msd,", StringComparison.Ordinal));
        Directory.GetFiles(Path.Combine(run, "checkpoints")).Should().ContainSingle().Which.Should().EndWith("ckpt-000000002000.msgpack");
        File.Exists(Path.Combine(run, "artifacts", "positions", "positions_00002000.png")).Should().BeTrue();
        File.Exists(Path.Combine(run, "artifacts", "metrics", "msd.svg")).Should().BeTrue();
        File.Exists(Path.Combine(temp.Path, "runs", "index.db")).Should().BeTrue();

        var runs = CliProcess.Run(temp.Path, ["runs", "--metrics"]);
        runs.Stdout.Should().Contain("r1").And.Contain("sample-walk").And.Contain("completed").And.Contain("msd");
    }

    [Fact]
    public void Run_MissingManifest_ExitsWithCode2()
    {
        using var temp = new TempDir();
        var result = CliProcess.Run(temp.Path, ["run", "nope.yaml"]);
        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("manifest 'nope.yaml' does not exist");
    }

    [Fact]
    public void Run_PluginFactoryThrows_ExitsWithCode3AndNamesTheComponent()
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", "experiment: boom\nplugin: fixture-throwing-factory\nstop: {max_steps: 5}\n");
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--plugins", CliProcess.Fixtures]);
        result.ExitCode.Should().Be(3, result.ToString());
        result.Stderr.Should().Contain("model: building model 'm' failed: InvalidOperationException: fixture model factory failure");
    }

    [Fact]
    public void Plugins_ListsSampleWithSlotsAndStrategies()
    {
        using var temp = new TempDir();
        var result = CliProcess.Run(temp.Path, ["plugins", "--options"]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("sample 1.0.0").And.Contain("slot        step_rule").And.Contain("strategy  constant")
            .And.Contain("initial_spread");
    }
}
