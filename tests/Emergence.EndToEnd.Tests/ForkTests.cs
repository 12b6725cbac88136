using System.Globalization;
using System.Text.Json.Nodes;

namespace Emergence.EndToEnd.Tests;

/// <summary>
/// <c>emergence fork</c>: a counterfactual branch from a run's checkpoint with another strategy is identical to its
/// parent up to the fork step and differs after it; it is linked to its parent and shown by <c>runs --tree</c>.
/// </summary>
public class ForkTests
{
    private const string Manifest = """
        experiment: forked
        plugin: fixture-daemon
        seed: 9
        strategies: {increment: random}
        metrics: {every: 1}
        stop: {max_steps: 100}
        checkpoint: {every_steps: 20, keep_last: 10}
        """;

    private static Dictionary<(long, string), double> Metrics(string runDir) =>
        File.ReadLines(Path.Combine(runDir, "metrics.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => (long.Parse(p[0], CultureInfo.InvariantCulture), p[1]), p => double.Parse(p[2], CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(40)] // at a checkpoint
    [InlineData(50)] // between checkpoints: the parent's checkpoint of step 40 is replayed to step 50
    public void A_fork_with_another_strategy_diverges_from_its_parent_only_after_the_fork_step(long at)
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", Manifest);
        var plugins = new[] { "--plugins", CliProcess.Fixtures };
        var parent = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "parent", "-q", .. plugins]);
        parent.ExitCode.Should().Be(0, parent.ToString());
        var parentDir = Path.Combine(temp.Path, "runs", "forked", "parent");

        var fork = CliProcess.Run(temp.Path, ["fork", parentDir, "--at", at.ToString(CultureInfo.InvariantCulture),
            "--set", "strategies.increment=two", "--run-id", "child", "-q", .. plugins]);
        fork.ExitCode.Should().Be(0, fork.ToString());
        var childDir = Path.Combine(temp.Path, "runs", "forked", "child");

        var (p, c) = (Metrics(parentDir), Metrics(childDir));
        c.Keys.Select(k => k.Item1).Distinct().Order().Should().Equal(Enumerable.Range(1, 100).Select(i => (long)i));
        foreach (var step in Enumerable.Range(1, (int)at))
            c[(step, "value")].Should().Be(p[(step, "value")], $"step {step} is before the fork");
        foreach (var step in Enumerable.Range((int)at + 1, 100 - (int)at))
            (c[(step, "value")] - c[(step - 1, "value")]).Should().Be(2, $"step {step} runs the fork's strategy");
        c[(100, "value")].Should().NotBe(p[(100, "value")]);
        // The RNG stream the trainer draws from is untouched by the swap, so it continues identically.
        c[(100, "noise")].Should().Be(p[(100, "noise")]);

        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(childDir, "run.json")))!;
        ((string)info["parent_run_id"]!).Should().Be("parent");
        info["parent_step"]!.GetValue<long>().Should().Be(at);
        var tree = CliProcess.Run(temp.Path, ["runs", "--tree"]);
        tree.ExitCode.Should().Be(0, tree.ToString());
        tree.Stdout.Should().MatchRegex($@"parent\s+forked\s+completed[^\n]*\n└─ child\s+forked\s+completed\s+step 100\s+\(fork at step {at}\)");
    }

    [Fact]
    public void A_fork_that_changes_a_restart_only_option_is_refused_with_the_reason()
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", Manifest);
        CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "parent", "-q", "--plugins", CliProcess.Fixtures]).ExitCode.Should().Be(0);
        var fork = CliProcess.Run(temp.Path, ["fork", Path.Combine(temp.Path, "runs", "forked", "parent"), "--set", "model.state_floats=64",
            "--plugins", CliProcess.Fixtures]);
        fork.ExitCode.Should().Be(2, fork.ToString());
        fork.Stderr.Should().Contain("model.state_floats").And.Contain("restart-only");
        Directory.GetDirectories(Path.Combine(temp.Path, "runs", "forked")).Should().ContainSingle("nothing was created");
    }
}
