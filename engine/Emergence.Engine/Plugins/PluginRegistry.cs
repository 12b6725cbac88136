using Emergence.Contracts.Components;
using Emergence.Contracts.Plugins;

namespace Emergence.Engine.Plugins;

/// <summary>
/// Collects what a plugin registers into a <see cref="PluginDescriptor"/>, rejecting duplicate
/// names and strategies for undeclared slots with messages aimed at the plugin's author.
/// </summary>
internal sealed class PluginRegistry(PluginDescriptor descriptor) : IPluginRegistry
{
    public PluginDescriptor Descriptor { get; } = descriptor;

    public void AddModel<TOptions>(string name, string description, Func<TOptions, ModelContext, IModel> factory)
        where TOptions : class, new()
    {
        Add(Descriptor.Models, ComponentKind.Model, name, description, typeof(TOptions),
            (o, c) => factory((TOptions)o, (ModelContext)c));
        Descriptor.DefaultModel ??= name;
    }

    public void AddTrainer<TOptions>(string name, string description, Func<TOptions, TrainerContext, ITrainer> factory)
        where TOptions : class, new()
    {
        Add(Descriptor.Trainers, ComponentKind.Trainer, name, description, typeof(TOptions),
            (o, c) => factory((TOptions)o, (TrainerContext)c));
        Descriptor.DefaultTrainer ??= name;
    }

    public void AddVisualizer<TOptions>(string name, string description, Func<TOptions, VisualizerContext, IVisualizer> factory)
        where TOptions : class, new()
        => Add(Descriptor.Visualizers, ComponentKind.Visualizer, name, description, typeof(TOptions),
            (o, c) => factory((TOptions)o, (VisualizerContext)c));

    public void AddSlot<TStrategy>(string slot, string defaultStrategy, string description) where TStrategy : class
    {
        CheckName(slot, "slot");
        if (!Descriptor.Slots.TryAdd(slot, new SlotDescriptor(slot, typeof(TStrategy), defaultStrategy, description)))
            throw new PluginRegistrationException($"slot '{slot}' is declared twice");
    }

    public void AddStrategy<TStrategy, TOptions>(string slot, string name, string description,
        Func<TOptions, StrategyContext, TStrategy> factory)
        where TStrategy : class
        where TOptions : class, new()
    {
        if (!Descriptor.Slots.TryGetValue(slot, out var slotDescriptor))
            throw new PluginRegistrationException($"strategy '{name}' is registered for slot '{slot}', which was never declared with AddSlot");
        if (slotDescriptor.StrategyType != typeof(TStrategy))
            throw new PluginRegistrationException(
                $"strategy '{name}' implements {typeof(TStrategy).Name}, but slot '{slot}' expects {slotDescriptor.StrategyType.Name}");
        Add(slotDescriptor.Strategies, ComponentKind.Strategy, name, description, typeof(TOptions),
            (o, c) => factory((TOptions)o, (StrategyContext)c));
    }

    public void AddManifestCheck(Action<ManifestCheck> check) => Descriptor.Checks.Add(check);

    public void AddCommand<TOptions>(string name, string description, Action<TOptions, CommandContext> handler)
        where TOptions : class, new()
        => Add(Descriptor.Commands, ComponentKind.Command, name, description, typeof(TOptions),
            (o, c) =>
            {
                handler((TOptions)o, (CommandContext)c);
                return null!;
            });

    /// <summary>Checks that every slot's default strategy was registered; call after <c>Register</c>.</summary>
    public void Complete()
    {
        foreach (var slot in Descriptor.Slots.Values)
            if (!slot.Strategies.ContainsKey(slot.DefaultStrategy))
                throw new PluginRegistrationException(
                    $"slot '{slot.Slot}' names default strategy '{slot.DefaultStrategy}', which was never registered");
        if (Descriptor.DefaultModel is null) throw new PluginRegistrationException("the plugin registers no model");
        if (Descriptor.DefaultTrainer is null) throw new PluginRegistrationException("the plugin registers no trainer");
    }

    private static void Add(Dictionary<string, ComponentDescriptor> into, ComponentKind kind, string name, string description,
        Type optionsType, Func<object, object, object> factory)
    {
        CheckName(name, kind.ToString().ToLowerInvariant());
        if (optionsType.GetConstructor(Type.EmptyTypes) is null)
            throw new PluginRegistrationException($"{kind} '{name}': options type {optionsType.Name} needs a public parameterless constructor");
        if (!into.TryAdd(name, new ComponentDescriptor(kind, name, description, optionsType, factory)))
            throw new PluginRegistrationException($"{kind} '{name}' is registered twice");
    }

    private static void CheckName(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            throw new PluginRegistrationException($"{what} name '{name}' must be non-empty lower-case letters, digits, '_' or '-'");
    }
}

/// <summary>A plugin registered something inconsistent; the message is for the plugin's author.</summary>
internal sealed class PluginRegistrationException(string message) : Exception(message);
