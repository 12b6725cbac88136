using System.Reflection;
using Emergence.Contracts.Plugins;

namespace Emergence.Engine.Plugins;

/// <summary>Which role a registered component plays.</summary>
internal enum ComponentKind
{
    Model,
    Trainer,
    Visualizer,
    Strategy,
    Command,
}

/// <summary>
/// One registered component: its name, options type and a factory that takes a bound options
/// instance and the role's context struct (boxed) and returns the component.
/// </summary>
internal sealed record ComponentDescriptor(
    ComponentKind Kind,
    string Name,
    string Description,
    Type OptionsType,
    Func<object, object, object> Factory)
{
    /// <summary>A fresh options instance holding the defaults.</summary>
    public object CreateDefaultOptions() => Activator.CreateInstance(OptionsType)!;
}

/// <summary>A strategy slot and the strategies registered for it.</summary>
internal sealed class SlotDescriptor(string slot, Type strategyType, string defaultStrategy, string description)
{
    public string Slot { get; } = slot;
    public Type StrategyType { get; } = strategyType;
    public string DefaultStrategy { get; } = defaultStrategy;
    public string Description { get; } = description;
    public Dictionary<string, ComponentDescriptor> Strategies { get; } = new(StringComparer.Ordinal);
}

/// <summary>Everything one plugin registered, plus where it came from.</summary>
internal sealed class PluginDescriptor(PluginInfo info)
{
    public PluginInfo Info { get; } = info;
    public Dictionary<string, ComponentDescriptor> Models { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ComponentDescriptor> Trainers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ComponentDescriptor> Visualizers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SlotDescriptor> Slots { get; } = new(StringComparer.Ordinal);

    /// <summary>Commands a running experiment can be given; the factory runs the command and returns null.</summary>
    public Dictionary<string, ComponentDescriptor> Commands { get; } = new(StringComparer.Ordinal);
    public List<Action<ManifestCheck>> Checks { get; } = [];

    /// <summary>The first registered model, the default for <c>model.type</c>.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>The first registered trainer, the default for <c>trainer.type</c>.</summary>
    public string? DefaultTrainer { get; set; }

    /// <summary>The plugin's main assembly (null for plugins registered in-process by tests).</summary>
    public Assembly? Assembly { get; init; }

    /// <summary>Path of the plugin's main assembly file, if loaded from disk.</summary>
    public string? AssemblyPath { get; init; }

    /// <summary>Lower-case hex SHA-256 of the main assembly file ("" when not from a file).</summary>
    public string AssemblySha256 { get; init; } = "";
}
