using Emergence.Contracts.Components;
using Emergence.Contracts.Plugins;
using Emergence.Plugins.SelfModifying;

[assembly: EmergencePlugin(typeof(SelfModifyingPlugin))]

namespace Emergence.Plugins.SelfModifying;

/// <summary>
/// The self-modifying network (spec: shared/specs/selfmodifying.md): ensemble neurons with tag routing, trained on a
/// continuous addition/division stream, growing and pruning itself under a meta-learner.
/// </summary>
public sealed class SelfModifyingPlugin : IPlugin
{
    /// <summary>Arguments of the <c>test</c> command.</summary>
    public sealed class TestOptions
    {
        [System.ComponentModel.Description("Problems to evaluate (the code's 20; the README says 100). Range 1..100000. Default 20.")]
        [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
        public int Problems { get; set; } = 20;
    }

    public PluginInfo Info { get; } = new("selfmodifying", "1.0.0",
        "A network of ensemble neurons that grows, prunes and rewires itself under a meta-learner, trained forever on arithmetic.");

    public void Register(IPluginRegistry registry)
    {
        registry.AddModel<ModelOptions>("network", "Layers of ensemble neurons (4->4 tanh, 4->1 linear output), tag routing.",
            (o, c) => new Network(o, c.Rng("model")));
        registry.AddTrainer<TrainerOptions>("continuous", "samples_per_step single-sample SGD steps per engine step, structure checks, meta-learner, rollback.",
            (o, c) => new Trainer((Network)c.Model, o, c));

        registry.AddSlot<ISelector>("selector", "meta_mlp", "Picks the modification at a structure check.");
        registry.AddStrategy<ISelector, NoOptions>("selector", "meta_mlp", "epsilon-greedy on the meta-learner's scores (the original).", (_, _) => new MetaSelector());
        registry.AddStrategy<ISelector, NoOptions>("selector", "random", "Uniform over the valid modifications.", (_, _) => new RandomSelector());
        registry.AddStrategy<ISelector, NoOptions>("selector", "round_robin", "Each valid modification in turn.", (_, _) => new RoundRobinSelector());

        registry.AddSlot<IRewardRule>("reward", "ternary", "Reward of one prediction from its relative error.");
        registry.AddStrategy<IRewardRule, TernaryOptions>("reward", "ternary", "+1 up to the 'good' threshold, 0 up to 'poor', -1 above (the original).", (o, _) => new TernaryReward(o));
        registry.AddStrategy<IRewardRule, NoOptions>("reward", "linear", "1 - 2 min(relerr, 1): graded in [-1, 1].", (_, _) => new LinearReward());

        registry.AddSlot<ISuccessRule>("success", "code", "When a finished modification counts as a success (the meta-learner's label).");
        registry.AddStrategy<ISuccessRule, CodeSuccessOptions>("success", "code", "The original's rule (mixes units; labels are artefacts).", (o, _) => new CodeSuccess(o));
        registry.AddStrategy<ISuccessRule, RewardGainOptions>("success", "reward_gain", "The README's rule: mean reward over the next window beats the reward before (fixed).", (o, _) => new RewardGainSuccess(o));

        registry.AddSlot<IRollbackPolicy>("rollback", "off", "Whether to revert a modification whose reward dropped.");
        registry.AddStrategy<IRollbackPolicy, NoOptions>("rollback", "off", "Disabled, as in the original code.", (_, _) => new NoRollback());
        registry.AddStrategy<IRollbackPolicy, RewardDropOptions>("rollback", "reward_drop", "Revert at window steps after a change if avg_reward(50) < before - drop.", (o, _) => new RewardDropRollback(o));

        registry.AddSlot<ITaskMix>("task_mix", "mixed", "Which task each sample is.");
        registry.AddStrategy<ITaskMix, MixedOptions>("task_mix", "mixed", "Addition with probability p_addition, else division (the original: 50/50).", (o, _) => new MixedTasks(o));
        registry.AddStrategy<ITaskMix, NoOptions>("task_mix", "alternating", "Addition and division in turn.", (_, _) => new AlternatingTasks());

        registry.AddCommand<TestOptions>("test",
            "The original's --test: predict random problems (pure forward passes, the evaluation stream) and report the accuracy as an event.",
            (o, c) =>
            {
                var trainer = ((Network)c.Model).Trainer!;
                var (accuracy, mae) = trainer.Evaluate(o.Problems, c.Rng("evaluation"));
                c.Events.Emit("test", new Dictionary<string, object?> { ["problems"] = o.Problems, ["accuracy"] = accuracy, ["mae"] = mae });
                c.Log.Info($"test: {accuracy:P1} of {o.Problems} problems correct (mean absolute error {mae:G4})");
            });
        registry.AddVisualizer<VisualizerOptions>("structure", "Structure timeline: neurons per layer over samples (SVG, CSV).", (_, c) => new StructureTimeline((Network)c.Model));
        registry.AddVisualizer<VisualizerOptions>("graph", "The network graph now (SVG and HTML).", (_, c) => new NetworkGraph((Network)c.Model));
        registry.AddVisualizer<VisualizerOptions>("outcomes", "Outcomes per strategy and predicted vs realised success (SVG, CSV).", (_, c) => new Outcomes((Network)c.Model));
    }
}
