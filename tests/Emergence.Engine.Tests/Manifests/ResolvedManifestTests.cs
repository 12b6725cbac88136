using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class ResolvedManifestTests
{
    private const string Sample = """
        experiment: resolved-test
        plugin: testnet
        seed: 7
        model: {n_neurons: 300, temperature: 1e-6, density: 0.1, tag: "needs \"quotes\": yes", labels: [x, "y z"], optional_view: column}
        strategies: {movement: {name: softmax, temperature: 0.5}, edge_learning: ema}
        visualizers: {layout: {max_edges: 20}, activations: {every: 3, enabled: false}}
        stop: {wall_time: "01:30:00", metric: {name: acc, above: 0.99}}
        checkpoint: {every_minutes: 2.5}
        visualize: {every: 100}
        """;

    [Fact]
    public void ResolvedYaml_LoadedAgain_GivesEqualManifest()
    {
        var first = Manifest.Load(Sample, "trainer.lr_edge=0.125");

        var second = Manifest.Load(first.ResolvedYaml);

        second.Should().Be(first);
        second.ResolvedYaml.Should().Be(first.ResolvedYaml);
        second.FlatParameters.Should().Equal(first.FlatParameters);
        (second.Stop, second.Checkpoint, second.Seed, second.MetricsEvery, second.VisualizeEvery, second.VisualizeFinal)
            .Should().Be((first.Stop, first.Checkpoint, first.Seed, first.MetricsEvery, first.VisualizeEvery, first.VisualizeFinal));
        second.Model.Options.Should().BeEquivalentTo(first.Model.Options);
        second.Strategies["movement"].Options.Should().BeEquivalentTo(first.Strategies["movement"].Options);
        second.Visualizers.Select(v => (v.Name, v.Every, v.Enabled)).Should().Equal(first.Visualizers.Select(v => (v.Name, v.Every, v.Enabled)));
    }

    [Fact]
    public void ResolvedYaml_MinimalManifest_ListsEveryDefaultInFixedOrder()
    {
        var yaml = Manifest.Load(Manifest.Minimal).ResolvedYaml;

        yaml.Should().Be("""
            experiment: "exp-1"
            description: null
            plugin: "testnet"
            seed: 1
            model:
              type: "net"
              n_neurons: 100
              big_count: 5000000000
              mask: 7
              density: 0.5
              temperature: 1.0e-06
              use_bias: true
              name: "net"
              tag: null
              view: row
              optional_view: null
              limit: null
              layers: [4, 8]
              rates: [0.1, 0.2]
              labels: []
              inner:
                depth: 2
                label: "inner"
              sparks: 10
              min_active: 0
              max_active: 100
            trainer:
              type: "sgd"
              lr_edge: 0.05
            strategies:
              movement:
                name: "softmax"
                weight_view: row
                temperature: 1.0
              edge_learning:
                name: "hebbian"
                rate: 0.01
            visualizers: {}
            stop:
              max_steps: 100
              wall_time: null
              metric: null
            checkpoint:
              every_steps: null
              every_minutes: null
              keep_last: 3
              on_stop: true
            metrics:
              every: 100
            visualize:
              every: 0
              final: true
            daemon:
              enabled: false
              max_restarts: 5
              restart_window: 10m
              backoff_initial: 1s
              backoff_max: 1m

            """.Replace("\r\n", "\n"));
    }

    [Fact]
    public void ResolvedYaml_VisualizerWithoutEvery_GetsVisualizeEvery()
    {
        var manifest = Manifest.Load(Sample);

        manifest.Visualizers.Single(v => v.Name == "layout").Every.Should().Be(100);
        manifest.ResolvedYaml.Should().Contain("  layout:\n    every: 100\n    enabled: true\n    max_edges: 20\n");
    }

    [Fact]
    public void FlatParameters_Sample_UsesDottedKeysAndInvariantText()
    {
        var flat = Manifest.Load(Sample).FlatParameters;

        flat["experiment"].Should().Be("resolved-test");
        flat["model.n_neurons"].Should().Be("300");
        flat["model.temperature"].Should().Be("1.0e-06");
        flat["model.inner.depth"].Should().Be("2");
        flat["model.layers"].Should().Be("[4, 8]");
        flat["strategies.movement.name"].Should().Be("softmax");
        flat["strategies.movement.temperature"].Should().Be("0.5");
        flat["visualizers.activations.enabled"].Should().Be("false");
        flat["stop.wall_time"].Should().Be("1h30m");
        flat["stop.metric.above"].Should().Be("0.99");
        flat["checkpoint.every_minutes"].Should().Be("2.5");
        flat.Keys.Should().OnlyHaveUniqueItems().And.HaveCountGreaterThan(40);
    }

    [Fact]
    public void ResolvedYaml_StringWithQuotesAndColon_RoundTrips()
    {
        var manifest = Manifest.Load(Sample);

        manifest.Model.Options.Should().BeOfType<NetModelOptions>().Which.Tag.Should().Be("needs \"quotes\": yes");
        Manifest.Load(manifest.ResolvedYaml).Model.Options.Should().BeOfType<NetModelOptions>().Which.Tag.Should().Be("needs \"quotes\": yes");
    }

    [Fact]
    public void Equals_DifferentValue_IsNotEqual()
    {
        Manifest.Load(Manifest.Minimal).Should().NotBe(Manifest.Load(Manifest.Minimal, "model.n_neurons=101"));
    }
}
