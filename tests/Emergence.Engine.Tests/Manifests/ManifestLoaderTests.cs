using Emergence.Contracts.Random;
using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class ManifestLoaderTests
{
    private const string Full = """
        experiment: sparknet-faithful
        description: "full manifest"
        plugin: testnet
        seed: 18446744073709551615
        model:
          type: net
          n_neurons: 500
          density: 0.25
          temperature: 1e-6
          view: both_ways
          optional_view: column
          limit: null
          layers: [1, 2, 3]
          inner: {depth: 7}
        trainer:
          lr_edge: 0.5
        strategies:
          movement: greedy
          edge_learning: {name: ema, decay: 0.5}
        visualizers:
          layout: {every: 250, max_edges: 200}
          activations: {enabled: false}
        stop: {max_steps: 10000, wall_time: 1h30m, metric: {name: loss, below: 0.01}}
        checkpoint: {every_steps: 5000, every_minutes: 10, keep_last: 5, on_stop: false}
        metrics: {every: 50}
        visualize: {every: 500, final: false}
        """;

    [Fact]
    public void LoadText_MinimalManifest_FillsEveryDefault()
    {
        var manifest = Manifest.Load(Manifest.Minimal);

        manifest.Experiment.Should().Be("exp-1");
        manifest.Description.Should().BeNull();
        manifest.Plugin.Should().BeSameAs(Manifest.Plugin);
        manifest.Seed.Should().Be(1UL);
        manifest.Model.Name.Should().Be("net");
        manifest.Model.Options.Should().BeOfType<NetModelOptions>().Which.NNeurons.Should().Be(100);
        manifest.Trainer.Name.Should().Be("sgd");
        manifest.Strategies.Keys.Should().Equal("movement", "edge_learning");
        manifest.Strategies["movement"].Name.Should().Be("softmax");
        manifest.Strategies["edge_learning"].Name.Should().Be("hebbian");
        manifest.Visualizers.Should().BeEmpty();
        manifest.Stop.Should().Be(new StopConditions(100, null, null));
        manifest.Checkpoint.Should().Be(new CheckpointPolicy(null, null, 3, true));
        manifest.MetricsEvery.Should().Be(100);
        manifest.VisualizeEvery.Should().Be(0);
        manifest.VisualizeFinal.Should().BeTrue();
        manifest.DaemonEnabled.Should().BeFalse();
    }

    [Fact]
    public void LoadText_FullManifest_BindsEverySection()
    {
        var manifest = Manifest.Load(Full);

        manifest.Description.Should().Be("full manifest");
        manifest.Seed.Should().Be(ulong.MaxValue);
        var model = manifest.Model.Options.Should().BeOfType<NetModelOptions>().Subject;
        model.NNeurons.Should().Be(500);
        model.Density.Should().Be(0.25f);
        model.Temperature.Should().Be(1e-6);
        model.View.Should().Be(WeightView.BothWays);
        model.OptionalView.Should().Be(WeightView.Column);
        model.Limit.Should().BeNull();
        model.Layers.Should().Equal(1, 2, 3);
        model.Inner.Depth.Should().Be(7);
        model.Inner.Label.Should().Be("inner");
        manifest.Trainer.Options.Should().BeOfType<NetTrainerOptions>().Which.LrEdge.Should().Be(0.5);
        manifest.Strategies["movement"].Name.Should().Be("greedy");
        manifest.Strategies["edge_learning"].Options.Should().BeOfType<EmaOptions>().Which.Decay.Should().Be(0.5);
        manifest.Visualizers.Select(v => (v.Name, v.Every, v.Enabled)).Should().Equal(("layout", 250L, true), ("activations", 500L, false));
        manifest.Visualizers[0].Options.Should().BeOfType<LayoutOptions>().Which.MaxEdges.Should().Be(200);
        manifest.EnabledVisualizers.Select(v => v.Name).Should().Equal("layout");
        manifest.Stop.Should().Be(new StopConditions(10000, TimeSpan.FromMinutes(90), new MetricTarget("loss", 0.01, null)));
        manifest.Checkpoint.Should().Be(new CheckpointPolicy(5000, TimeSpan.FromMinutes(10), 5, false));
        manifest.MetricsEvery.Should().Be(50);
        manifest.VisualizeEvery.Should().Be(500);
        manifest.VisualizeFinal.Should().BeFalse();
    }

    [Fact]
    public void LoadText_OtherModelType_BindsThatTypesOptions()
    {
        var manifest = Manifest.Load(Manifest.Minimal + "model: {type: dense, width: 64}\n");

        manifest.Model.Name.Should().Be("dense");
        manifest.Model.Options.Should().BeOfType<DenseModelOptions>().Which.Width.Should().Be(64);
    }

    [Fact]
    public void Load_FileOnDisk_ReadsItAndNamesItInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Manifest.Minimal + "model: {n_neurons: 0}\n");
        try
        {
            var act = () => ManifestLoader.Load(path, [], Manifest.Find, [TestNetPlugin.Name]);

            var error = act.Should().Throw<ManifestException>().Which.Errors.Should().ContainSingle().Subject;
            error.ToString().Should().Be($"{path}:4:20: model.n_neurons: 0 is out of range [1, 500]\n  fix: use a value in [1, 500]");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_ReportsPathAndFix()
    {
        var act = () => ManifestLoader.Load("/nonexistent/x.yaml", [], Manifest.Find, [TestNetPlugin.Name]);

        var error = act.Should().Throw<ManifestException>().Which.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be("/nonexistent/x.yaml");
        error.Message.Should().StartWith("cannot read the manifest");
        error.Fix.Should().Contain("check the path");
    }

    [Fact]
    public void LoadText_YamlSyntaxError_ReportsYamlDotNetPosition()
    {
        var error = Manifest.SingleError("experiment: a\nplugin: testnet\nmodel:\n  layers: [1, 2\n");

        error.Message.Should().StartWith("YAML syntax error: ");
        error.Line.Should().BeGreaterThan(3, error.ToString());
        error.Fix.Should().Contain("indentation");
    }

    [Fact]
    public void LoadText_TabIndentation_IsSyntaxErrorOnThatLine()
    {
        var error = Manifest.SingleError("experiment: a\nplugin: testnet\nmodel:\n\tn_neurons: 5\n");

        error.Message.Should().StartWith("YAML syntax error");
        (error.Line, error.Column).Should().Be((4, 1), error.ToString());
    }

    [Fact]
    public void LoadText_UnknownKeyNearValidOne_SuggestsIt()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model:\n  n_neuron: 5\n");

        error.Should().Be(new ManifestError("test.yaml", 5, 3, "model.n_neuron",
            "unknown key 'n_neuron' in options of model 'net'; did you mean 'n_neurons'?", "rename it to 'n_neurons'"));
    }

    [Fact]
    public void LoadText_UnknownKeyFarFromAll_ListsValidKeys()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "trainer: {zzz: 1}\n");

        error.Message.Should().Be("unknown key 'zzz' in options of trainer 'sgd'");
        error.Fix.Should().Be("valid keys: lr_edge, type");
    }

    [Fact]
    public void LoadText_UnknownTopLevelKey_SuggestsIt()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "chekpoint: {keep_last: 2}\n");

        error.Key.Should().Be("chekpoint");
        error.Message.Should().Be("unknown key 'chekpoint' in the manifest's top level; did you mean 'checkpoint'?");
    }

    [Fact]
    public void LoadText_WrongType_SaysExpectedAndGot()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model: {n_neurons: abc}\n");

        error.Message.Should().Be("expected an integer, got 'abc'");
        error.Key.Should().Be("model.n_neurons");
    }

    [Fact]
    public void LoadText_OutOfRange_NamesTheRange()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model: {n_neurons: 600}\n");

        error.Message.Should().Be("600 is out of range [1, 500]");
    }

    [Fact]
    public void LoadText_EnumValueNotAllowed_ListsAllowedValues()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model: {view: colum}\n");

        error.Message.Should().Be("'colum' is not an allowed value; allowed: row, column, both_ways");
        error.Fix.Should().Be("did you mean 'column'?");
    }

    [Fact]
    public void LoadText_MissingExperimentAndPlugin_ReportsBoth()
    {
        var errors = Manifest.Errors("seed: 3\nstop: {max_steps: 1}\n");

        errors.Select(e => (e.Key, e.Message, e.Line, e.Column)).Should().Equal(
            ("experiment", "missing required key 'experiment'", 1, 1),
            ("plugin", "missing required key 'plugin'", 1, 1));
        errors[1].Fix.Should().Be("add a top-level line 'plugin: testnet'");
    }

    [Fact]
    public void LoadText_EmptyFile_ReportsMissingKeys()
    {
        Manifest.Errors("").Select(e => e.Key).Should().Equal("experiment", "stop", "plugin");
    }

    [Fact]
    public void LoadText_PluginNotLoaded_SuggestsLoadedOneAndHowToBuild()
    {
        var error = Manifest.SingleError("experiment: a\nplugin: testnett\nstop: {max_steps: 1}\n");

        error.ToString().Should().Be(
            "test.yaml:2:9: plugin: no plugin 'testnett' is loaded; did you mean 'testnet'? Loaded: testnet\n  fix: build it (./emergence build) or check --plugins");
    }

    [Fact]
    public void LoadText_UnknownStrategySlot_SuggestsDeclaredSlot()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "strategies: {movment: greedy}\n");

        error.Message.Should().Be("unknown key 'movment' in strategy slots of plugin 'testnet'; did you mean 'movement'?");
        error.Key.Should().Be("strategies.movment");
    }

    [Fact]
    public void LoadText_UnknownStrategyName_SuggestsRegisteredStrategy()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "strategies:\n  movement: sofmax\n");

        error.Should().Be(new ManifestError("test.yaml", 5, 13, "strategies.movement",
            "unknown strategy 'sofmax' for slot 'movement'; did you mean 'softmax'? Plugin 'testnet' registers for slot 'movement': softmax, greedy",
            "replace it with 'softmax'"));
    }

    [Fact]
    public void LoadText_UnknownModelType_ListsRegisteredTypes()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model: {type: sparse}\n");

        error.Key.Should().Be("model.type");
        error.Message.Should().Be("unknown model type 'sparse'. Plugin 'testnet' registers: net, dense");
        error.Fix.Should().Be("use one of: net, dense");
    }

    [Fact]
    public void LoadText_UnknownVisualizer_SuggestsRegisteredOne()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "visualizers: {layuot: {every: 5}}\n");

        error.Message.Should().StartWith("unknown visualizer 'layuot'; did you mean 'layout'?");
    }

    [Fact]
    public void LoadText_ValidatableOptionsRelation_PointsAtTheKey()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model:\n  max_active: 2\n  min_active: 5\n");

        error.Should().Be(new ManifestError("test.yaml", 6, 3, "model.min_active",
            "min_active (5) is larger than max_active (2)", "lower min_active or raise max_active"));
    }

    [Fact]
    public void LoadText_ManifestCheckOnWrittenKey_PointsAtTheKey()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model:\n  n_neurons: 50\n  sparks: 80\n");

        error.Should().Be(new ManifestError("test.yaml", 6, 3, "model.sparks",
            "80 sparks need at least as many neurons, but n_neurons is 50", "lower model.sparks or raise model.n_neurons"));
    }

    [Fact]
    public void LoadText_ManifestCheckOnDefaultedKey_PointsAtTheSection()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model:\n  n_neurons: 5\n");

        error.Key.Should().Be("model.sparks");
        (error.Line, error.Column).Should().Be((4, 1));
    }

    [Fact]
    public void LoadText_DuplicateKeys_ReportsEveryDuplicate()
    {
        var errors = Manifest.Errors(Manifest.Minimal + "seed: 1\nseed: 2\nmodel: {n_neurons: 5, n_neurons: 6, sparks: 1}\n");

        errors.Select(e => (e.Key, e.Line)).Should().Equal(("seed", 5), ("model.n_neurons", 6));
        errors[0].Message.Should().Be("duplicate key 'seed' (first set at line 4, column 1)");
    }

    [Fact]
    public void LoadText_InvalidExperimentName_SuggestsValidName()
    {
        var error = Manifest.SingleError("experiment: My Experiment!\nplugin: testnet\nstop: {max_steps: 1}\n");

        error.Message.Should().Be("invalid experiment name 'My Experiment!': use only lower-case letters, digits, '-' and '_'");
        error.Fix.Should().Be("rename it, e.g. 'experiment: my-experiment'");
    }

    [Fact]
    public void LoadText_InvalidDuration_ShowsAcceptedForms()
    {
        var error = Manifest.SingleError("experiment: a\nplugin: testnet\nstop: {wall_time: 2 hours}\n");

        error.Key.Should().Be("stop.wall_time");
        error.Message.Should().Be("expected a duration, got '2 hours'");
        error.Fix.Should().Be("write a duration like 90s, 10m, 2h, 1d, 1h30m or hh:mm:ss");
    }

    [Fact]
    public void LoadText_NoStopCondition_SaysItRunsForever()
    {
        var error = Manifest.SingleError("experiment: a\nplugin: testnet\n");

        error.Key.Should().Be("stop");
        error.Message.Should().Contain("run forever");
        error.Fix.Should().Contain("add stop.max_steps");
    }

    [Fact]
    public void LoadText_NoStopConditionUnderDaemon_IsValid()
    {
        Manifest.Load("experiment: a\nplugin: testnet\ndaemon: {enabled: true}\n").DaemonEnabled.Should().BeTrue();
    }

    [Fact]
    public void LoadText_MetricWithBelowAndAbove_AsksForExactlyOne()
    {
        var error = Manifest.SingleError("experiment: a\nplugin: testnet\nstop: {metric: {name: loss, below: 1, above: 2}}\n");

        error.Key.Should().Be("stop.metric.above");
        error.Message.Should().Be("stop.metric needs exactly one of 'below' and 'above'");
    }

    [Fact]
    public void LoadText_ManyProblems_ReportsAllInFileOrder()
    {
        var errors = Manifest.Errors("experiment: a\nplugin: testnet\nseed: -1\nmodel: {n_neurons: 0, view: up}\ntrainer: {lr_edge: 2}\nstop: {max_steps: 0}\n");

        errors.Select(e => e.Key).Should().Equal("seed", "model.n_neurons", "model.view", "trainer.lr_edge", "stop.max_steps");
    }

    [Fact]
    public void LoadText_RootIsAList_SaysManifestIsAMap()
    {
        var error = Manifest.SingleError("- a\n- b\n");

        error.Message.Should().Be("a manifest is a map of keys, but this file holds a list");
    }

    [Fact]
    public void LoadText_SecondDocument_IsAnError()
    {
        var errors = Manifest.Errors(Manifest.Minimal + "---\nexperiment: b\n");

        errors.Should().ContainSingle(e => e.Message.Contains("exactly one YAML document"));
    }

    [Fact]
    public void LoadText_RandomlyCorruptedManifests_ThrowOnlyManifestExceptionAndValidOnesRoundTrip()
    {
        var rng = new RngStream(12345);
        const string alphabet = " :{}[],-#&*!|>'\"\n\t0123456789.e_abcxyz~?";
        var unexpected = new List<string>();
        var loaded = 0;
        for (var trial = 0; trial < 1500; trial++)
        {
            var text = Full.ToCharArray().ToList();
            for (var edit = 0; edit < 1 + rng.NextInt(4); edit++)
            {
                var at = rng.NextInt(text.Count);
                switch (rng.NextInt(3))
                {
                    case 0: text.RemoveAt(at); break;
                    case 1: text.Insert(at, alphabet[rng.NextInt(alphabet.Length)]); break;
                    default: text[at] = alphabet[rng.NextInt(alphabet.Length)]; break;
                }
            }
            var yaml = new string(text.ToArray());
            try
            {
                var manifest = Manifest.Load(yaml);
                loaded++;
                Manifest.Load(manifest.ResolvedYaml).Should().Be(manifest, "the resolved manifest of\n{0}\nmust load back equal", yaml);
            }
            catch (ManifestException ex)
            {
                ex.Errors.Should().NotBeEmpty();
            }
            catch (Exception ex)
            {
                unexpected.Add($"{ex.GetType().Name}: {ex.Message}\n{yaml}");
            }
        }

        unexpected.Should().BeEmpty();
        loaded.Should().BeGreaterThan(20, "some corruptions (changed digits, names) still give valid manifests to round-trip");
    }
}
