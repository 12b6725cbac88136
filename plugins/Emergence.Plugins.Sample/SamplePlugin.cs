using Emergence.Contracts.Plugins;
using Emergence.Plugins.Sample;

[assembly: EmergencePlugin(typeof(SamplePlugin))]

namespace Emergence.Plugins.Sample;

/// <summary>
/// The smallest complete plugin: a model (a walker), a trainer (one move per step), one strategy
/// slot with two strategies, a visualizer and a cross-section check. Start a new family by
/// copying this folder.
/// </summary>
public sealed class SamplePlugin : IPlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("sample", "1.0.0", "A seeded random walk showing how to write a plugin.");

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        registry.AddModel<WalkModelOptions>("walker", "Positions of independent walkers.",
            (options, context) => new WalkModel(options, context.Rng("init")));
        registry.AddTrainer<WalkTrainerOptions>("walk", "Moves every walker once per step.",
            (options, context) => new WalkTrainer(options, (WalkModel)context.Model,
                context.Strategies.Get<IStepRule>("step_rule")));
        registry.AddSlot<IStepRule>("step_rule", "gaussian", "How far a walker moves in one step.");
        registry.AddStrategy<IStepRule, GaussianStepOptions>("step_rule", "gaussian", "Normal steps with a given scale.",
            (options, context) => new GaussianStep(options, context.Rng));
        registry.AddStrategy<IStepRule, ConstantStepOptions>("step_rule", "constant", "Always the same step.",
            (options, _) => new ConstantStep(options));
        registry.AddVisualizer<PositionsVisualizerOptions>("positions", "Walker positions as CSV and a heatmap strip.",
            (options, context) => new PositionsVisualizer(options, (WalkModel)context.Model));
        registry.AddManifestCheck(check =>
        {
            var model = check.Options<WalkModelOptions>("model");
            var trainer = check.Options<WalkTrainerOptions>("trainer");
            if (model is not null && trainer is not null && trainer.Tracked > model.Walkers)
                check.Error("trainer.tracked", $"tracks {trainer.Tracked} walkers but the model has only {model.Walkers}",
                    $"set trainer.tracked to at most {model.Walkers}, or raise model.walkers");
        });
    }
}
