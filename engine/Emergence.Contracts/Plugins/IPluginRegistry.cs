using Emergence.Contracts.Components;

namespace Emergence.Contracts.Plugins;

/// <summary>
/// What a plugin registers. Every component has a name and an options type; the host binds the
/// manifest's section to a fresh options instance, validates it, then calls the factory.
/// Options types are plain classes with public settable properties and a parameterless
/// constructor whose property initialisers are the defaults.
/// </summary>
public interface IPluginRegistry
{
    /// <summary>Registers a model kind. The first one registered is the default for <c>model.type</c>.</summary>
    void AddModel<TOptions>(string name, string description, Func<TOptions, ModelContext, IModel> factory)
        where TOptions : class, new();

    /// <summary>Registers a trainer kind. The first one registered is the default for <c>trainer.type</c>.</summary>
    void AddTrainer<TOptions>(string name, string description, Func<TOptions, TrainerContext, ITrainer> factory)
        where TOptions : class, new();

    /// <summary>Registers a visualizer, enabled per manifest under <c>visualizers.NAME</c>.</summary>
    void AddVisualizer<TOptions>(string name, string description, Func<TOptions, VisualizerContext, IVisualizer> factory)
        where TOptions : class, new();

    /// <summary>Declares a strategy slot: an extension point the trainer reads through an <c>IStrategyHandle</c>.</summary>
    /// <typeparam name="TStrategy">The family's own strategy interface for this slot.</typeparam>
    void AddSlot<TStrategy>(string slot, string defaultStrategy, string description) where TStrategy : class;

    /// <summary>Registers a named strategy for a slot declared with <see cref="AddSlot{TStrategy}"/>.</summary>
    void AddStrategy<TStrategy, TOptions>(string slot, string name, string description,
        Func<TOptions, StrategyContext, TStrategy> factory)
        where TStrategy : class
        where TOptions : class, new();

    /// <summary>
    /// Registers a check across sections (for example "more sparks than neurons"), run after every
    /// section validated on its own. Report problems through <see cref="ManifestCheck.Error"/>.
    /// </summary>
    void AddManifestCheck(Action<ManifestCheck> check);

    /// <summary>
    /// Registers a command a running experiment can be given (<c>emergence command EXPERIMENT NAME key=value…</c>,
    /// e.g. SparkNet's <c>reset</c>). The host binds and validates the arguments into a fresh <typeparamref name="TOptions"/>,
    /// calls <paramref name="handler"/> between two steps, records the command with its step, and replays it there when
    /// the run is resumed, so a run with commands stays reproducible.
    /// </summary>
    /// <remarks>A default method, so registries implemented outside the host (a plugin's own standalone harness) keep compiling.</remarks>
    void AddCommand<TOptions>(string name, string description, Action<TOptions, CommandContext> handler)
        where TOptions : class, new()
        => throw new NotSupportedException($"this registry does not support plugin commands (registering '{name}')");
}
