using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using Emergence.Contracts.Options;
using Emergence.Contracts.Plugins;
using Emergence.Plugins.SparkNet.Layout;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Training;
using Emergence.Plugins.SparkNet.Visualization;

namespace Emergence.Plugins.SparkNet.Tests.Plugin;

/// <summary>Applies the options' [Range] attributes (as the host binder does) plus IValidatableOptions, returning the snake_case keys in error.</summary>
public sealed class OptionsValidationTests
{
    private static List<string> Errors(object options)
    {
        var keys = new List<string>();
        foreach (var p in options.GetType().GetProperties())
        {
            var range = p.GetCustomAttribute<RangeAttribute>();
            var value = p.GetValue(options);
            if (range is not null && value is not null && !range.IsValid(value)) keys.Add(Snake(p.Name));
        }
        if (options is IValidatableOptions v) v.Validate(new OptionErrors((key, _, _) => keys.Add(key)));
        return keys;
    }

    private static string Snake(string name) => Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();

    public static TheoryData<string, object> BadTrainerValues => new()
    {
        { "temperature", 0.0 }, { "graph_update_freq", 0 }, { "state_decay", -0.1 }, { "mem_decay", -0.5 },
        { "mem_decay", 1.5 }, { "lr_global_decay", 1.0 }, { "spark_energy_decay", 1.0 }, { "spark_energy_decay", 0.0 },
        { "spark_min_energy", 0.0 }, { "weight_clip", 0.0 }, { "noise_std", -1.0 }, { "explore_chance", 1.1 },
        { "lr_edge", -0.01 }, { "base_weight_eps", 0.0 }, { "spark_force_steps", -1 }, { "mem_deposit", -0.1 },
    };

    [Theory]
    [MemberData(nameof(BadTrainerValues))]
    public void TrainerOptions_OutOfRange_ErrorNamesKey(string key, object value)
    {
        var options = new SparkNetTrainerOptions();
        var property = typeof(SparkNetTrainerOptions).GetProperties().Single(p => Snake(p.Name) == key);
        property.SetValue(options, value);
        Errors(options).Should().Equal(key);
    }

    [Fact]
    public void Defaults_AllOptionsClasses_AreValid()
    {
        object[] all = [new SparkNetModelOptions(), new SparkNetTrainerOptions(), new SoftmaxMovementOptions(), new CyclingMovementOptions(),
            new RippleEdgeOptions(), new BoostEdgeOptions(), new DiffusionMemoryOptions(), new UnvisitedDecayOptions(), new SlowVisitedDecayOptions(),
            new FaithfulLayoutOptions(), new PersistentLayoutOptions(), new MdsLayoutOptions(), new LeakyActivationOptions(),
            new GridHeatmapOptions(), new WeightsVisualizerOptions(), new LayoutSvgOptions(), new LayoutPlayerOptions()];
        foreach (var o in all) Errors(o).Should().BeEmpty(o.GetType().Name);
    }

    [Fact]
    public void ModelOptions_GridMismatch_ErrorNamesGridH()
    {
        Errors(new SparkNetModelOptions { GridH = 10 }).Should().Equal("grid_h");
    }

    [Fact]
    public void ModelOptions_MoreSparksThanNeurons_ErrorNamesNumSparks()
    {
        Errors(new SparkNetModelOptions { NNeurons = 4, GridH = 2, GridW = 2, NumSparks = 5 }).Should().Equal("num_sparks");
    }

    [Fact]
    public void StrategyOptions_OutOfRange_ErrorNamesKey()
    {
        Errors(new SoftmaxMovementOptions { SaturationThreshold = 1.5 }).Should().Equal("saturation_threshold");
        Errors(new PersistentLayoutOptions { Damping = 1.0 }).Should().Equal("damping");
        Errors(new FaithfulLayoutOptions { Lr = 0 }).Should().Equal("lr");
        Errors(new CyclingMovementOptions { Period = 0 }).Should().Equal("period");
        Errors(new WeightsVisualizerOptions { Range = 0 }).Should().Equal("range");
    }

    [Fact]
    public void ManifestCheck_RippleTopMAndSvgEdges_ErrorsNameSectionKeys()
    {
        var sections = new Dictionary<string, object>
        {
            ["model"] = new SparkNetModelOptions { NNeurons = 6, GridH = 2, GridW = 3, NumSparks = 1 },
            ["strategies.edge_learning"] = new RippleEdgeOptions { TopM = 6 },
            ["visualizers.layout"] = new LayoutSvgOptions { MaxEdges = 31 },
        };
        var errors = new List<string>();
        SparkNetPlugin.Check(new ManifestCheck(s => sections.GetValueOrDefault(s), (key, _, _) => errors.Add(key)));
        errors.Should().Equal("strategies.edge_learning.top_m", "visualizers.layout.max_edges");
    }

    [Fact]
    public void ManifestCheck_ValidSections_NoErrors()
    {
        var sections = new Dictionary<string, object> { ["model"] = new SparkNetModelOptions(), ["strategies.edge_learning"] = new RippleEdgeOptions() };
        var errors = new List<string>();
        SparkNetPlugin.Check(new ManifestCheck(s => sections.GetValueOrDefault(s), (key, _, _) => errors.Add(key)));
        errors.Should().BeEmpty();
    }
}
