using Emergence.Contracts.Random;
using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class ManifestOverridesTests
{
    [Fact]
    public void Apply_ScalarOverride_ReplacesFileValue()
    {
        var manifest = Manifest.Load(Manifest.Minimal + "model: {n_neurons: 50}\n", "model.n_neurons=200", "seed=42");

        manifest.Model.Options.Should().BeOfType<NetModelOptions>().Which.NNeurons.Should().Be(200);
        manifest.Seed.Should().Be(42UL);
    }

    [Fact]
    public void Apply_PathIntoMissingSection_CreatesIt()
    {
        var manifest = Manifest.Load(Manifest.Minimal, "model.inner.depth=9", "checkpoint.every_steps=10");

        manifest.Model.Options.Should().BeOfType<NetModelOptions>().Which.Inner.Depth.Should().Be(9);
        manifest.Checkpoint.EverySteps.Should().Be(10);
    }

    [Fact]
    public void Apply_FlowMapValue_SetsStrategyLongForm()
    {
        var manifest = Manifest.Load(Manifest.Minimal, "strategies.movement={name: softmax, weight_view: column}");

        manifest.Strategies["movement"].Options.Should().BeOfType<SoftmaxOptions>().Which.WeightView.Should().Be(WeightView.Column);
    }

    [Fact]
    public void Apply_KeyBelowShortFormStrategy_KeepsTheName()
    {
        var manifest = Manifest.Load(Manifest.Minimal + "strategies: {edge_learning: ema}\n", "strategies.edge_learning.decay=0.3");

        manifest.Strategies["edge_learning"].Name.Should().Be("ema");
        manifest.Strategies["edge_learning"].Options.Should().BeOfType<EmaOptions>().Which.Decay.Should().Be(0.3);
    }

    [Fact]
    public void Apply_ListValue_SetsList()
    {
        Manifest.Load(Manifest.Minimal, "model.layers=[3, 4, 5]")
            .Model.Options.Should().BeOfType<NetModelOptions>().Which.Layers.Should().Equal(3, 4, 5);
    }

    [Fact]
    public void Apply_UnknownKeyFromOverride_RefersToTheOverride()
    {
        var error = Manifest.SingleError(Manifest.Minimal, "model.x=5");

        error.ToString().Should().Be("--set model.x=5: model.x: unknown key 'x' in options of model 'net'\n  fix: valid keys: "
            + "n_neurons, big_count, mask, density, temperature, use_bias, name, tag, view, optional_view, limit, layers, rates, labels, inner, sparks, min_active, max_active, type");
    }

    [Fact]
    public void Apply_WrongTypeFromOverride_RefersToTheOverride()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "model:\n  n_neurons: 5\n  sparks: 1\n", "model.n_neurons=lots");

        (error.File, error.Line, error.Message).Should().Be(("--set model.n_neurons=lots", 0, "expected an integer, got 'lots'"));
    }

    [Fact]
    public void Apply_NoEqualsSign_IsBadSyntax()
    {
        var error = Manifest.SingleError(Manifest.Minimal, "model.n_neurons");

        error.File.Should().Be("--set model.n_neurons");
        error.Message.Should().Be("bad override syntax: expected KEY=VALUE, but there is no '='");
        error.Fix.Should().Be("write --set section.key=value, e.g. --set model.n_neurons=500");
    }

    [Fact]
    public void Apply_EmptySegment_IsBadSyntax()
    {
        Manifest.SingleError(Manifest.Minimal, "model..n=1").Message.Should().Be("bad override syntax: 'model..n' is not a dotted key");
    }

    [Fact]
    public void Apply_UnclosedFlowValue_IsYamlSyntaxErrorOfTheOverride()
    {
        var error = Manifest.SingleError(Manifest.Minimal, "model.layers=[1, 2");

        error.File.Should().Be("--set model.layers=[1, 2");
        error.Message.Should().StartWith("YAML syntax error");
    }

    [Fact]
    public void Apply_KeyBelowAValue_SaysItIsNotASection()
    {
        var error = Manifest.SingleError(Manifest.Minimal, "experiment.x=1");

        error.Message.Should().Be("cannot set 'experiment.x': 'experiment' is 'exp-1', not a section");
        error.Fix.Should().Be("set 'experiment' itself, e.g. --set experiment={x: value}");
    }

    [Fact]
    public void Apply_EmptyValue_SetsNull()
    {
        Manifest.Load(Manifest.Minimal + "model: {limit: 5}\n", "model.limit=")
            .Model.Options.Should().BeOfType<NetModelOptions>().Which.Limit.Should().BeNull();
    }

    [Fact]
    public void Apply_RandomOverrides_ThrowOnlyManifestExceptionsThatNameTheOverride()
    {
        var rng = new RngStream(99);
        string[] keys = ["model.n_neurons", "model.inner.depth", "strategies.movement", "strategies.movement.weight_view", "visualizers.layout",
            "stop", "stop.metric.name", "seed", "experiment", "model.layers", "x.y.z", "", "model..a", "checkpoint.keep_last"];
        string[] values = ["", "1", "-1", "abc", "{name: greedy}", "[1, 2", "{", "null", "1e400", "'q'", "[[1]]", "{a: {b: c}}", "2h", "*x", "!!int 3"];
        var unexpected = new List<string>();
        for (var trial = 0; trial < 400; trial++)
        {
            var text = rng.NextInt(10) == 0 ? keys[rng.NextInt(keys.Length)] : $"{keys[rng.NextInt(keys.Length)]}={values[rng.NextInt(values.Length)]}";
            try
            {
                Manifest.Load(Manifest.Minimal, text);
            }
            catch (ManifestException ex)
            {
                if (!ex.Errors.Any(e => e.File == $"--set {text}" && e.Line == 0)) unexpected.Add($"no error names '--set {text}':\n{ex.Message}");
            }
            catch (Exception ex)
            {
                unexpected.Add($"--set {text}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        unexpected.Should().BeEmpty();
    }
}
