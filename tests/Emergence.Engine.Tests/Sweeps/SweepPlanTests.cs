using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;
using Emergence.Engine.Sweeps;
using Emergence.Engine.Tests.Plugins;

namespace Emergence.Engine.Tests.Sweeps;

public sealed class SweepPlanTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly PluginCatalog _catalog;

    public SweepPlanTests()
    {
        _catalog = FixturePlugins.CatalogOfCopy("Fixture.Daemon", _dir.Path);
        File.WriteAllText(Path.Combine(_dir.Path, "base.yaml"), "experiment: sw\nplugin: fixture-daemon\nseed: 1\nstop: {max_steps: 10}\n");
    }

    public void Dispose() => _dir.Dispose();

    private SweepManifest Sweep(string yaml)
    {
        var path = Path.Combine(_dir.Path, "sweep.yaml");
        File.WriteAllText(path, yaml);
        return SweepManifest.Load(path);
    }

    [Fact]
    public void Trials_are_configurations_times_grid_times_seeds_with_deterministic_run_ids()
    {
        var sweep = Sweep("""
            sweep: s
            base: base.yaml
            seeds: [1, 2]
            configurations:
              one: {strategies.increment: one}
              two: {strategies.increment: two}
            grid:
              trainer.scale: [1, 2, 3]
            """);
        var trials = SweepPlan.Expand(sweep, _catalog);
        trials.Should().HaveCount(12);
        trials.Select(t => t.RunId).Should().OnlyHaveUniqueItems();
        trials[0].RunId.Should().Be("s-one-scale1-s1");
        trials[^1].RunId.Should().Be("s-two-scale3-s2");
        trials[^1].Overrides.Should().Equal("strategies.increment=two", "trainer.scale=3", "seed=2");
        trials[^1].Parameters["trainer.scale"].Should().Be("3.0");
        SweepPlan.Expand(sweep, _catalog).Select(t => t.RunId).Should().Equal(trials.Select(t => t.RunId), "run ids are deterministic");
    }

    [Fact]
    public void Configurations_that_resolve_to_the_same_manifest_run_once()
    {
        var trials = SweepPlan.Expand(Sweep("""
            sweep: s
            base: base.yaml
            seeds: [5]
            configurations:
              a: {strategies.increment: one}
              b: {}
              c: {trainer.scale: 2}
            """), _catalog);
        trials.Should().HaveCount(3);
        trials[1].DuplicateOf.Should().Be("s-a-s5", "'one' is the default strategy, so b resolves exactly like a");
        trials[1].RunId.Should().Be("s-a-s5");
        trials[2].DuplicateOf.Should().BeNull();
    }

    [Fact]
    public void Invalid_overrides_are_reported_at_their_line_in_the_sweep_file_all_at_once()
    {
        var sweep = Sweep("""
            sweep: s
            base: base.yaml
            configurations:
              a: {trainer.scael: 2}
              b: {strategies.increment: tree}
            """);
        var act = () => SweepPlan.Expand(sweep, _catalog);
        var errors = act.Should().Throw<ManifestException>().Which.Errors;
        errors.Should().Contain(e => e.Line == 4 && e.File.EndsWith("sweep.yaml") && e.Message.Contains("did you mean 'scale'"));
        errors.Should().Contain(e => e.Line == 5 && e.Message.Contains("tree"));
    }

    [Fact]
    public void A_bad_sweep_file_names_every_problem()
    {
        var act = () => Sweep("""
            sweep: Bad Name
            base: missing.yaml
            seeds: [1, x]
            parallel: many
            grdi: {}
            """);
        var errors = act.Should().Throw<ManifestException>().Which.Errors;
        errors.Select(e => e.Key).Should().Contain(["sweep", "base", "seeds", "parallel", "grdi"]);
        errors.Should().Contain(e => e.Key == "grdi" && e.Message.Contains("did you mean 'grid'"));
    }
}
