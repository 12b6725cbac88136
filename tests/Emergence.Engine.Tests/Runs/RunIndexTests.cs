using Emergence.Engine.Runs;
using Emergence.Engine.Tests.Plugins;

namespace Emergence.Engine.Tests.Runs;

public class RunIndexTests
{
    private static RunInfo Info(string id, string experiment, string status) => new()
    {
        RunId = id, Experiment = experiment, Plugin = "sample", PluginVersion = "1.0.0", PluginAssemblySha256 = "ab",
        EngineVersion = "0.1.0", Seed = 1, SourceManifest = "x.yaml", Status = status,
        Created = new DateTimeOffset(2026, 11, 22, 8, 0, int.Parse(id[^1..]), TimeSpan.Zero),
        Updated = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Query_Filters_ReturnMatchingRunsNewestFirst()
    {
        using var temp = new TempDir();
        using (var index = RunIndex.Open(temp.Path))
        {
            index.Upsert(Info("r1", "alpha", "completed"), "/runs/alpha/r1");
            index.Upsert(Info("r2", "alpha", "failed"), "/runs/alpha/r2");
            index.Upsert(Info("r3", "beta", "completed"), "/runs/beta/r3");
            index.SetParameters("r1", new Dictionary<string, string> { ["model.n"] = "500" });
            index.SetParameters("r3", new Dictionary<string, string> { ["model.n"] = "100" });
            index.Upsert(Info("r2", "alpha", "completed") with { Step = 42 }, "/runs/alpha/r2");
        }
        using var reopened = RunIndex.Open(temp.Path);
        reopened.Query().Select(r => r.RunId).Should().Equal("r3", "r2", "r1");
        reopened.Query(experiment: "alpha").Select(r => r.RunId).Should().Equal("r2", "r1");
        reopened.Query(status: "completed", experiment: "alpha").Should().HaveCount(2);
        reopened.Query().Single(r => r.RunId == "r2").Step.Should().Be(42);
        reopened.Query(parameters: new Dictionary<string, string> { ["model.n"] = "100" }).Select(r => r.RunId).Should().Equal("r3");
    }

    [Fact]
    public void SetMetrics_Twice_KeepsTheLatestValues()
    {
        using var temp = new TempDir();
        using var index = RunIndex.Open(temp.Path);
        index.Upsert(Info("r1", "alpha", "running"), "/r1");
        index.SetMetrics("r1", 10, new Dictionary<string, double> { ["loss"] = 1.5, ["nan"] = double.NaN });
        index.SetMetrics("r1", 20, new Dictionary<string, double> { ["loss"] = 0.5 });
        var metrics = index.Metrics("r1");
        metrics["loss"].Should().Be(0.5);
        double.IsNaN(metrics["nan"]).Should().BeTrue();
    }
}
