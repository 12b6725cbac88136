using Emergence.Contracts.Components;
using Emergence.Contracts.Plugins;
using Emergence.Plugins.SparkNet;
using Emergence.Plugins.SparkNet.Layout;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Strategies;
using Emergence.Plugins.SparkNet.Training;
using Emergence.Plugins.SparkNet.Visualization;

[assembly: EmergencePlugin(typeof(SparkNetPlugin))]

namespace Emergence.Plugins.SparkNet;

/// <summary>
/// SparkNet (spacetime-player/sparknet-emergence, sparknet_alpha_v1 at 16b5698): sparks walk a
/// recurrent sigmoid network, reinforce the edges they use, leave a decaying memory trail and
/// respawn where memory is high; a force layout shows the graph. Nine strategy slots hold the
/// faithful rules and the variants from the project's history.
/// </summary>
public sealed class SparkNetPlugin : IPlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("sparknet", "1.0.0", "Sparks walking a recurrent sigmoid network with EMA edge learning, a memory field and a force layout.");

    /// <inheritdoc />
    public void Register(IPluginRegistry registry)
    {
        registry.AddModel<SparkNetModelOptions>("sparknet", "W (n x n), activations, memory field and sparks; float32.",
            (options, context) => new SparkNetModel(options, context.Rng("simulation")));
        registry.AddTrainer<SparkNetTrainerOptions>("sparknet", "One SparkNet step per engine step (spec section 2), every phase a strategy slot.",
            (options, context) => new SparkNetTrainer(options, context));
        RegisterRules(registry);
        RegisterLearning(registry);
        RegisterLayouts(registry);
        RegisterVisualizers(registry);
        registry.AddManifestCheck(Check);
        registry.AddCommand<ResetOptions>("reset",
            "The GUI's reset (spec section 3): s and M to zero, every spark respawned uniformly; W kept unless reset_weights.",
            (options, context) =>
            {
                ((SparkNetModel)context.Model).Reset(options.ResetWeights, context.Rng("simulation"));
                context.Events.Emit("reset", new Dictionary<string, object?> { ["reset_weights"] = options.ResetWeights });
            });
    }

    /// <summary>Arguments of the <c>reset</c> command.</summary>
    public sealed class ResetOptions
    {
        /// <summary>Also draw W again (the original never did).</summary>
        [System.ComponentModel.Description("Also draw W again from N(0, init_weight_std²), in the order of the start (the original GUI never reset W). Default false.")]
        public bool ResetWeights { get; set; }
    }

    private static void RegisterRules(IPluginRegistry r)
    {
        r.AddSlot<IActivationRule>(Slots.Activation, "overwrite", "Recurrent update of the activations s (phases 1-2).");
        r.AddStrategy<IActivationRule, ActivationOptions>(Slots.Activation, "overwrite", "Faithful: s = sigmoid(W (state_decay s) + noise); s is overwritten.", (_, _) => new OverwriteActivation());
        r.AddStrategy<IActivationRule, LeakyActivationOptions>(Slots.Activation, "leaky", "s = a s + (1-a) sigmoid(W s + noise), a = leak or state_decay (fix for bug 2).", (o, _) => new LeakyActivation(o));
        r.AddStrategy<IActivationRule, ActivationOptions>(Slots.Activation, "relu_clamp", "v5: s = clamp(W (state_decay s) + noise, 0, 1).", (_, _) => new ReluClampActivation());
        r.AddSlot<IPresenceRule>(Slots.Presence, "force", "Edits to s where the sparks are (phase 3).");
        r.AddStrategy<IPresenceRule, NoOptions>(Slots.Presence, "force", "Faithful: s[pos] = 1 while age < spark_force_steps.", (_, _) => new ForcePresence());
        r.AddSlot<IMovementRule>(Slots.Movement, "softmax", "Where a spark moves (phase 4a-b).");
        r.AddStrategy<IMovementRule, SoftmaxMovementOptions>(Slots.Movement, "softmax", "Faithful: epsilon-uniform jump, else softmax((relu(W)+eps)/T + beta M); weight_view, saturation mask, self-moves.", (o, _) => new SoftmaxMovement(o));
        r.AddStrategy<IMovementRule, ProportionalMovementOptions>(Slots.Movement, "proportional", "v13-v22: probability proportional to relu(W) + eps, no memory, no temperature.", (o, _) => new ProportionalMovement(o));
        r.AddStrategy<IMovementRule, CyclingMovementOptions>(Slots.Movement, "cycling", "v25: greedy, softmax and random phases of `period` steps.", (o, _) => new CyclingMovement(o));
        r.AddSlot<ILifecycleRule>(Slots.Lifecycle, "energy_decay", "Energy and age after a move; death (phase 4e).");
        r.AddStrategy<ILifecycleRule, NoOptions>(Slots.Lifecycle, "energy_decay", "Faithful: energy *= rho, s[q] = energy, age += 1, dies below spark_min_energy.", (_, _) => new EnergyDecayLifecycle());
        r.AddSlot<ISpawnRule>(Slots.Spawn, "memory_softmax", "Where a dead or new spark appears (phase 4f).");
        r.AddStrategy<ISpawnRule, NoOptions>(Slots.Spawn, "memory_softmax", "Faithful: softmax(respawn_mem_gain M) if sum M > 0, else uniform.", (_, _) => new MemorySoftmaxSpawn());
        r.AddStrategy<ISpawnRule, NoOptions>(Slots.Spawn, "uniform", "Uniform over all neurons.", (_, _) => new UniformSpawn());
        r.AddStrategy<ISpawnRule, NoOptions>(Slots.Spawn, "fixed", "v20-v26: spark k respawns at neuron k mod n.", (_, _) => new FixedSpawn());
    }

    private static void RegisterLearning(IPluginRegistry r)
    {
        r.AddSlot<IEdgeLearningRule>(Slots.EdgeLearning, "ema", "Edge update after a move p -> q (phase 4c).");
        r.AddStrategy<IEdgeLearningRule, NoOptions>(Slots.EdgeLearning, "ema", "Faithful: W[q,p] = (1-eta) W[q,p] + eta s[p].", (_, _) => new EmaEdge());
        r.AddStrategy<IEdgeLearningRule, NoOptions>(Slots.EdgeLearning, "additive", "v16: W[q,p] += eta s[p].", (_, _) => new AdditiveEdge());
        r.AddStrategy<IEdgeLearningRule, BoostEdgeOptions>(Slots.EdgeLearning, "boost", "v18: W[q,p] = factor W[q,p] + bonus.", (o, _) => new BoostEdge(o));
        r.AddStrategy<IEdgeLearningRule, NoOptions>(Slots.EdgeLearning, "hebbian", "pre x post: W[q,p] += eta s[p] s[q].", (_, _) => new HebbianEdge());
        r.AddStrategy<IEdgeLearningRule, RippleEdgeOptions>(Slots.EdgeLearning, "ripple", "v24/v25: EMA plus a ripple along q's top_m outgoing edges.", (o, _) => new RippleEdge(o));
        r.AddSlot<IMemoryRule>(Slots.Memory, "decay_deposit", "Memory field decay and deposit (phases 1 and 4d).");
        r.AddStrategy<IMemoryRule, NoOptions>(Slots.Memory, "decay_deposit", "Faithful: M *= mem_decay; M[q] += mem_deposit.", (_, _) => new DecayDepositMemory());
        r.AddStrategy<IMemoryRule, DiffusionMemoryOptions>(Slots.Memory, "diffusion", "Proposal: decay, grid diffusion, deposit.", (o, _) => new DiffusionMemory(o));
        r.AddSlot<IWeightDecayRule>(Slots.WeightDecay, "global", "Weight decay and clip (phase 5).");
        r.AddStrategy<IWeightDecayRule, NoOptions>(Slots.WeightDecay, "global", "Faithful: W = clip((1-lambda) W, -c, c).", (_, _) => new GlobalDecay());
        r.AddStrategy<IWeightDecayRule, UnvisitedDecayOptions>(Slots.WeightDecay, "unvisited", "v18: edges written in the last `window` steps are not decayed.", (o, _) => new UnvisitedDecay(o));
        r.AddStrategy<IWeightDecayRule, SlowVisitedDecayOptions>(Slots.WeightDecay, "slow_visited", "v16: edges ever written decay `slowdown` times slower.", (o, _) => new SlowVisitedDecay(o));
    }

    private static void RegisterLayouts(IPluginRegistry r)
    {
        r.AddSlot<ILayoutRule>(Slots.Layout, "faithful", "2-D force layout every graph_update_freq steps (phase 6; separate RNG stream).");
        r.AddStrategy<ILayoutRule, FaithfulLayoutOptions>(Slots.Layout, "faithful", "Original: fresh N(0,I) each call, 5 iterations, reversed signs.", (o, _) => new FaithfulLayout(o));
        r.AddStrategy<ILayoutRule, PersistentLayoutOptions>(Slots.Layout, "persistent", "Proposal/v25: positions persist, correct signs, damping, cap, centring.", (o, _) => new PersistentLayout(o));
        r.AddStrategy<ILayoutRule, MdsLayoutOptions>(Slots.Layout, "mds", "v23: classical MDS of 1 - symmetric normalised weights.", (o, _) => new MdsLayout(o));
    }

    private static void RegisterVisualizers(IPluginRegistry r)
    {
        r.AddVisualizer<GridHeatmapOptions>("activations", "Activations on the grid (viridis [0,1]) plus raw float32.", (o, c) => new ActivationsVisualizer(o, (SparkNetModel)c.Model));
        r.AddVisualizer<WeightsVisualizerOptions>("weights", "W heatmap (bwr, +-0.3 or +-max|W|).", (o, c) => new WeightsVisualizer(o, (SparkNetModel)c.Model));
        r.AddVisualizer<GridHeatmapOptions>("memory", "Memory field clamped to [0,1] (plasma).", (o, c) => new MemoryVisualizer(o, (SparkNetModel)c.Model));
        r.AddVisualizer<LayoutSvgOptions>("layout", "Force layout as SVG (dark theme, optional top-m edges).", (o, c) => new LayoutSvgVisualizer(o, (SparkNetModel)c.Model));
        r.AddVisualizer<LayoutPlayerOptions>("layout_player", "Self-contained HTML player of the layout frames.", (o, c) => new LayoutPlayerVisualizer(o, (SparkNetModel)c.Model));
        r.AddVisualizer<NoOptions>("motion", "Layout motion series (last 500 values) as CSV.", (_, c) => new MotionVisualizer((SparkNetModel)c.Model));
    }

    /// <summary>Rules across sections.</summary>
    internal static void Check(ManifestCheck check)
    {
        var model = check.Options<SparkNetModelOptions>("model");
        if (model is null) return;
        int n = model.NNeurons;
        if (check.Options<RippleEdgeOptions>("strategies.edge_learning") is { } ripple && ripple.TopM > n - 1)
            check.Error("strategies.edge_learning.top_m", $"top_m = {ripple.TopM} but a neuron has only {n - 1} outgoing edges besides itself",
                $"set top_m to at most {n - 1}");
        if (check.Options<LayoutSvgOptions>("visualizers.layout") is { } svg && svg.MaxEdges > (long)n * (n - 1))
            check.Error("visualizers.layout.max_edges", $"max_edges = {svg.MaxEdges} exceeds the {(long)n * (n - 1)} off-diagonal edges of n = {n}",
                $"set max_edges to at most {(long)n * (n - 1)}");
        if (check.Options<SoftmaxMovementOptions>("strategies.movement") is { AllowSelfMoves: false } && n < 2)
            check.Error("strategies.movement.allow_self_moves", "self-moves are off but there is only one neuron", "set allow_self_moves: true");
    }
}
