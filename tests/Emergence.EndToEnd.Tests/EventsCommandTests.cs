namespace Emergence.EndToEnd.Tests;

/// <summary><c>emergence events</c> on a real SelfModifying run: structural changes as data.</summary>
public class EventsCommandTests
{
    [Fact]
    public void Modifications_are_listed_by_type_and_as_csv()
    {
        using var temp = new TempDir();
        var manifest = Path.Combine(CliProcess.RepoRoot, "experiments", "selfmodifying", "quick.yaml");
        var run = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "q", "-q"]);
        run.ExitCode.Should().Be(0, run.ToString());
        var folder = Path.Combine(temp.Path, "runs", "selfmod-quick", "q");

        var csv = CliProcess.Run(temp.Path, ["events", folder, "--type", "modification", "--csv"]);
        csv.ExitCode.Should().Be(0, csv.ToString());
        var lines = csv.Stdout.Trim().Split('\n');
        lines[0].Should().StartWith("step,type,source,sample,strategy,layer,neuron,shape_before,shape_after,reward_before");
        lines.Should().HaveCount(21, "one modification per 1,000 samples over 20,000 samples, plus the header");
        lines.Skip(1).Should().OnlyContain(l => l.Contains(",modification,plugin,"));

        var table = CliProcess.Run(temp.Path, ["events", folder, "-t", "modification_outcome", "--since", "200"]);
        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().Contain("outcome=kept").And.Contain("success=");
        table.Stdout.Split('\n').Where(l => l.Contains("modification_outcome")).Should().OnlyContain(l => long.Parse(l.Trim().Split(' ')[0]) >= 200);
    }
}
