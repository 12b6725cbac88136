namespace Emergence.EndToEnd.Tests;

public class ValidateCommandTests
{
    [Fact]
    public void Validate_EveryShippedManifest_IsValid()
    {
        var manifests = Directory.GetFiles(Path.Combine(CliProcess.RepoRoot, "experiments"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains("sweep", StringComparison.Ordinal)).Order().ToArray();
        manifests.Should().NotBeEmpty();
        using var temp = new TempDir();
        var result = CliProcess.Run(temp.Path, ["validate", .. manifests]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(manifests.Length);
    }

    [Fact]
    public void Validate_BadManifest_ReportsEveryErrorWithPositionAndExits2()
    {
        using var temp = new TempDir();
        var path = temp.Write("bad.yaml", """
            experiment: bad
            plugin: sample
            model:
              walkerz: 3
              initial_spread: -1
            trainer:
              tracked: many
            stop: {max_steps: 10}
            """);
        var result = CliProcess.Run(temp.Path, ["validate", path]);
        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("bad.yaml:4:3: model.walkerz").And.Contain("walkers");
        result.Stderr.Should().Contain("bad.yaml:5:").And.Contain("model.initial_spread");
        result.Stderr.Should().Contain("bad.yaml:7:").And.Contain("trainer.tracked");
        result.Stderr.Should().Contain("3 error(s); nothing was run.");
    }

    [Fact]
    public void Run_UnknownPlugin_SuggestsTheClosestNameAndExits2()
    {
        using var temp = new TempDir();
        var path = temp.Write("m.yaml", "experiment: x\nplugin: sampel\nstop: {max_steps: 1}\n");
        var result = CliProcess.Run(temp.Path, ["run", path]);
        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("m.yaml:2:").And.Contain("sampel").And.Contain("sample");
        Directory.Exists(Path.Combine(temp.Path, "runs")).Should().BeFalse("nothing runs when the manifest is invalid");
    }

    [Fact]
    public void Schema_ListsPluginOptions()
    {
        using var temp = new TempDir();
        var result = CliProcess.Run(temp.Path, ["schema"]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("\"initial_spread\"").And.Contain("\"step_rule\"").And.Contain("2020-12");
    }
}
