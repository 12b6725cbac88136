using Emergence.Contracts.Options;
using Emergence.Contracts.Plugins;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Tests.Manifests;

public sealed class ManifestBinderTests
{
    public sealed class ThrowingOptions : IValidatableOptions
    {
        public int Size { get; set; } = 1;

        public void Validate(OptionErrors errors) => throw new InvalidOperationException("boom");
    }

    public sealed class DictionaryOptions
    {
        public Dictionary<string, int> Map { get; set; } = [];
    }

    private static PluginDescriptor Broken(bool throwingCheck)
    {
        var registry = new PluginRegistry(new PluginDescriptor(new PluginInfo("broken", "1.0.0", "Broken on purpose.")));
        if (throwingCheck)
        {
            registry.AddModel<NoOptions>("m", "Fine.", (_, _) => throw new NotSupportedException());
            registry.AddTrainer<NoOptions>("t", "Fine.", (_, _) => throw new NotSupportedException());
            registry.AddManifestCheck(_ => throw new InvalidOperationException("check boom"));
        }
        else
        {
            registry.AddModel<ThrowingOptions>("m", "Throws in Validate.", (_, _) => throw new NotSupportedException());
            registry.AddTrainer<DictionaryOptions>("t", "Unsupported option type.", (_, _) => throw new NotSupportedException());
        }
        registry.Complete();
        return registry.Descriptor;
    }

    private static IReadOnlyList<ManifestError> Errors(PluginDescriptor plugin, string yaml)
    {
        var act = () => ManifestLoader.LoadText(yaml, "b.yaml", [], n => n == "broken" ? plugin : null, ["broken"]);
        return act.Should().Throw<ManifestException>().Which.Errors;
    }

    [Fact]
    public void Bind_PluginBugs_AreReportedAsPluginBugsNotCrashes()
    {
        var errors = Errors(Broken(false), "experiment: a\nplugin: broken\nstop: {max_steps: 1}\nmodel: {size: 2}\n");

        errors.Select(e => (e.Key, e.Line)).Should().Equal(("trainer", 2), ("model", 4));
        errors[1].Message.Should().Be("validating these options failed inside plugin 'broken': InvalidOperationException: boom");
        errors[1].Fix.Should().Be("this is a bug in plugin 'broken'; report it with this manifest");
        errors[0].Message.Should().StartWith("plugin 'broken' cannot be configured: ");
        errors[0].Message.Should().Contain("DictionaryOptions.Map has type Dictionary`2");
    }

    [Fact]
    public void Bind_ThrowingManifestCheck_IsReportedAsPluginBug()
    {
        var plugin = Broken(true);
        var error = Errors(plugin, "experiment: a\nplugin: broken\nstop: {max_steps: 1}\n").Should().ContainSingle().Subject;

        error.Message.Should().Be("a manifest check of plugin 'broken' failed: InvalidOperationException: check boom");
    }

    [Fact]
    public void Bind_StrategyLongFormWithoutName_UsesSlotDefault()
    {
        var manifest = Manifest.Load(Manifest.Minimal + "strategies: {edge_learning: {rate: 0.5}}\n");

        manifest.Strategies["edge_learning"].Name.Should().Be("hebbian");
        manifest.Strategies["edge_learning"].Options.Should().BeOfType<HebbianOptions>().Which.Rate.Should().Be(0.5);
    }

    [Fact]
    public void Bind_StrategyOptionOfOtherStrategy_IsUnknownKey()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "strategies: {edge_learning: {name: ema, rate: 0.5}}\n");

        error.Message.Should().Be("unknown key 'rate' in options of strategy 'ema' (slot 'edge_learning')");
        error.Fix.Should().Be("valid keys: decay, name");
    }

    [Fact]
    public void Bind_VisualizerWithNullValue_IsEnabledWithDefaults()
    {
        var manifest = Manifest.Load(Manifest.Minimal + "visualizers:\n  activations:\n");

        manifest.Visualizers.Should().ContainSingle().Which.Should().Match<VisualizerSelection>(v => v.Name == "activations" && v.Enabled && v.Every == 0);
    }

    [Fact]
    public void Bind_VisualizerUnknownOption_ListsItsKeysAndEngineKeys()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "visualizers: {layout: {evrey: 5}}\n");

        error.Message.Should().Be("unknown key 'evrey' in options of visualizer 'layout'; did you mean 'every'?");
    }

    [Fact]
    public void Bind_SectionIsList_AsksForMap()
    {
        Manifest.SingleError(Manifest.Minimal + "strategies: [softmax]\n").Message.Should().Be("expected a map, got a list");
    }

    [Fact]
    public void Bind_VisualizerIsScalar_ReportsOnce()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "visualizers: {layout: 5}\n");

        error.Message.Should().Be("expected a map of options of visualizer 'layout', got '5'");
        error.Fix.Should().Be("write 'layout: {every: 500}', or 'layout: {}' for its defaults");
    }

    [Fact]
    public void Bind_EngineSectionUnknownKey_NamesTheSection()
    {
        var error = Manifest.SingleError(Manifest.Minimal + "checkpoint: {keep: 2}\n");

        error.Message.Should().Be("unknown key 'keep' in 'checkpoint' settings; did you mean 'keep_last'?");
    }
}
