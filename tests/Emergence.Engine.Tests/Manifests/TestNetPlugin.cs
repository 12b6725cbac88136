using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Components;
using Emergence.Contracts.Options;
using Emergence.Contracts.Plugins;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Tests.Manifests;

public enum WeightView { Row, Column, [OptionName("both_ways")] BothWays }

public sealed class InnerOptions
{
    [Range(0, 10)] public int Depth { get; set; } = 2;
    public string Label { get; set; } = "inner";
}

public sealed class NetModelOptions : IValidatableOptions
{
    [Description("Number of neurons. Default 100. Range [1, 500].")]
    [Range(1, 500)] public int NNeurons { get; set; } = 100;
    public long BigCount { get; set; } = 5_000_000_000;
    public ulong Mask { get; set; } = 7;
    [Range(0.0, 1.0)] public float Density { get; set; } = 0.5f;
    [LiveEditable] public double Temperature { get; set; } = 1e-6;
    public bool UseBias { get; set; } = true;
    public string Name { get; set; } = "net";
    public string? Tag { get; set; }
    public WeightView View { get; set; } = WeightView.Row;
    public WeightView? OptionalView { get; set; }
    public int? Limit { get; set; }
    public List<int> Layers { get; set; } = [4, 8];
    public double[] Rates { get; set; } = [0.1, 0.2];
    public List<string> Labels { get; set; } = [];
    public InnerOptions Inner { get; set; } = new();
    [OptionName("sparks")] public int NumSparks { get; set; } = 10;
    [Range(0, 1000)] public int MinActive { get; set; }
    [Range(0, 1000)] public int MaxActive { get; set; } = 100;

    public void Validate(OptionErrors errors)
    {
        if (MinActive > MaxActive)
            errors.Add("min_active", $"min_active ({MinActive}) is larger than max_active ({MaxActive})", "lower min_active or raise max_active");
    }
}

public sealed class DenseModelOptions
{
    [Range(1, 4096)] public int Width { get; set; } = 16;
}

public sealed class NetTrainerOptions
{
    [Range(0.0, 1.0)] public double LrEdge { get; set; } = 0.05;
}

public sealed class NoOptions;

public sealed class SoftmaxOptions
{
    public WeightView WeightView { get; set; } = WeightView.Row;
    public double Temperature { get; set; } = 1.0;
}

public sealed class HebbianOptions
{
    public double Rate { get; set; } = 0.01;
}

public sealed class EmaOptions
{
    [Range(0.0, 1.0)] public double Decay { get; set; } = 0.9;
}

public sealed class LayoutOptions
{
    [Range(1, 100000)] public int MaxEdges { get; set; } = 500;
}

public sealed class ActivationsOptions
{
    public string Colormap { get; set; } = "viridis";
}

public interface IMovement;

public interface IEdgeLearning;

/// <summary>A plugin with every supported option type, two slots, two visualizers and a cross-section check.</summary>
internal static class TestNetPlugin
{
    public const string Name = "testnet";

    public static PluginDescriptor Create()
    {
        var registry = new PluginRegistry(new PluginDescriptor(new PluginInfo(Name, "1.0.0", "Test networks.")));
        registry.AddModel<NetModelOptions>("net", "A test net.", (_, _) => throw new NotSupportedException());
        registry.AddModel<DenseModelOptions>("dense", "A dense net.", (_, _) => throw new NotSupportedException());
        registry.AddTrainer<NetTrainerOptions>("sgd", "Plain SGD.", (_, _) => throw new NotSupportedException());
        registry.AddSlot<IMovement>("movement", "softmax", "How sparks move.");
        registry.AddStrategy<IMovement, SoftmaxOptions>("movement", "softmax", "Softmax over weights.", (_, _) => throw new NotSupportedException());
        registry.AddStrategy<IMovement, NoOptions>("movement", "greedy", "Strongest edge.", (_, _) => throw new NotSupportedException());
        registry.AddSlot<IEdgeLearning>("edge_learning", "hebbian", "How edges learn.");
        registry.AddStrategy<IEdgeLearning, HebbianOptions>("edge_learning", "hebbian", "Hebbian.", (_, _) => throw new NotSupportedException());
        registry.AddStrategy<IEdgeLearning, EmaOptions>("edge_learning", "ema", "Moving average.", (_, _) => throw new NotSupportedException());
        registry.AddVisualizer<ActivationsOptions>("activations", "Heatmap.", (_, _) => throw new NotSupportedException());
        registry.AddVisualizer<LayoutOptions>("layout", "Force layout.", (_, _) => throw new NotSupportedException());
        registry.AddManifestCheck(check =>
        {
            if (check.Options<NetModelOptions>("model") is { } model && model.NumSparks > model.NNeurons)
                check.Error("model.sparks", $"{model.NumSparks} sparks need at least as many neurons, but n_neurons is {model.NNeurons}",
                    "lower model.sparks or raise model.n_neurons");
        });
        registry.Complete();
        return registry.Descriptor;
    }
}

/// <summary>Loads manifests against <see cref="TestNetPlugin"/>.</summary>
internal static class Manifest
{
    public static readonly PluginDescriptor Plugin = TestNetPlugin.Create();

    public const string Minimal = "experiment: exp-1\nplugin: testnet\nstop: {max_steps: 100}\n";

    public static BoundManifest Load(string yaml, params string[] overrides)
        => ManifestLoader.LoadText(yaml, "test.yaml", overrides, Find, [TestNetPlugin.Name]);

    public static PluginDescriptor? Find(string name) => name == TestNetPlugin.Name ? Plugin : null;

    public static IReadOnlyList<ManifestError> Errors(string yaml, params string[] overrides)
    {
        var act = () => Load(yaml, overrides);
        return act.Should().Throw<ManifestException>().Which.Errors;
    }

    public static ManifestError SingleError(string yaml, params string[] overrides)
    {
        var errors = Errors(yaml, overrides);
        errors.Should().HaveCount(1, string.Join("\n", errors));
        return errors[0];
    }
}
