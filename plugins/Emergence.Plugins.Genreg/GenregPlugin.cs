using Emergence.Contracts.Components;
using Emergence.Contracts.Plugins;
using Emergence.Plugins.Genreg;

[assembly: EmergencePlugin(typeof(GenregPlugin))]

namespace Emergence.Plugins.Genreg;

/// <summary>
/// GENREG-sine (spec: shared/specs/genreg.md): gradient-free evolution of small tanh networks fitting sin(x) from an input
/// expanded with noise columns; saturation as selective attention; dense and ultra-sparse genomes; GA, SA, HC, SA→HC and
/// the backprop baselines.
/// </summary>
public sealed class GenregPlugin : IPlugin
{
    public PluginInfo Info { get; } = new("genreg", "1.0.0",
        "Gradient-free evolution (GA/SA/HC) of tanh networks on sin(x) with noisy expanded inputs: saturation, ultra-sparse genomes, the 13-configuration sweep.");

    public void Register(IPluginRegistry registry)
    {
        registry.AddModel<ModelOptions>("network", "Task, expanded inputs, a dense or ultra-sparse D → H → 1 tanh network, proteins.",
            (o, _) => new GenregModel(o));
        registry.AddTrainer<GaOptions>("ga", "Generational GA (sine_sweep.py): one generation per step, tiers, stop at target MSE or stagnation.",
            (o, c) => new GaTrainer((GenregModel)c.Model, o, c));
        registry.AddTrainer<SearchOptions>("sa", "Simulated annealing on one genome, plain MSE (T0 0.01 → Tf 1e-5 over 20000 proposals).",
            (o, c) => new SearchTrainer((GenregModel)c.Model, o, SearchKind.Sa, c));
        registry.AddTrainer<SearchOptions>("hc", "Hill climbing: strict improvements, patience, optional restarts.",
            (o, c) => new SearchTrainer((GenregModel)c.Model, o, SearchKind.Hc, c));
        registry.AddTrainer<SearchOptions>("sa_then_hc", "SA, then hill climbing from SA's best.",
            (o, c) => new SearchTrainer((GenregModel)c.Model, o, SearchKind.SaThenHc, c));
        registry.AddTrainer<BackpropOptions>("backprop", "The gradient baseline: full-batch Adam on the same features (dense, or sparse with given indices).",
            (o, c) => new BackpropTrainer((GenregModel)c.Model, o, c));

        registry.AddSlot<IFeatureExpansion>("features", "legacy", "What fills the true and noise input columns.");
        registry.AddStrategy<IFeatureExpansion, LegacyFeatureOptions>("features", "legacy",
            "The original: MT19937 RandomState(12345) tables, the leaky noise columns, dead column 15, Gaussian tail beyond 240.", (_, c) => new LegacyFeatures(c.Rng));
        registry.AddStrategy<IFeatureExpansion, NoLeakOptions>("features", "no_leak",
            "Legacy with true column 4 (= the target) and every noise column with |r| > max_correlation zeroed.", (o, c) => new NoLeakFeatures(o, c.Rng));
        registry.AddStrategy<IFeatureExpansion, GaussianFixedOptions>("features", "gaussian_fixed",
            "Every noise column 0.5·N(0,1), drawn once from a fixed seed (the repo's later fix).", (o, _) => new GaussianFixedFeatures(o));
        registry.AddStrategy<IFeatureExpansion, CleanHighFreqOptions>("features", "clean_highfreq",
            "Sines and cosines at frequency 10 + U(0, 40) with random phases (the repo's 'clean' noise).", (o, _) => new CleanHighFreqFeatures(o));

        registry.AddSlot<IFitness>("fitness", "legacy_trust", "Fitness of one evaluation (higher is better).");
        registry.AddStrategy<IFitness, TrustFitnessOptions>("fitness", "legacy_trust",
            "−MSE × max(floor, 1 + 0.1·trust): the original, with its inverted sign.", (o, _) => new LegacyTrustFitness(o));
        registry.AddStrategy<IFitness, TrustFitnessOptions>("fitness", "trust_fixed",
            "−MSE × max(floor, 1 − 0.1·trust): trust shrinks the penalty.", (o, _) => new FixedTrustFitness(o));
        registry.AddStrategy<IFitness, NoOptions>("fitness", "mse", "−MSE.", (_, _) => new MseFitness());
        registry.AddStrategy<IFitness, EnergyFitnessOptions>("fitness", "energy", "−MSE − λ·energy.", (o, _) => new EnergyFitness(o));
        registry.AddStrategy<IFitness, SaturationFitnessOptions>("fitness", "saturation", "−MSE + μ·k/H.", (o, _) => new SaturationFitness(o));

        registry.AddSlot<IGenerationScheme>("selection", "tiered", "How the next generation is built from the ranked population (GA).");
        registry.AddStrategy<IGenerationScheme, TieredOptions>("selection", "tiered",
            "The original: 20% elites + 30% survivors unchanged, 40% mutated clones (child i of elite i mod n_e), the rest random.", (o, _) => new TieredSelection(o));
        registry.AddStrategy<IGenerationScheme, TournamentOptions>("selection", "tournament",
            "Elites (optional senescence), random immigrants, mutants of tournament-k winners.", (o, _) => new TournamentGeneration(o));
        registry.AddStrategy<IGenerationScheme, TruncationOptions>("selection", "truncation",
            "Spartan truncation (core GA): keep the top share, refill with mutants of uniformly chosen keepers.", (o, _) => new TruncationGeneration(o));
        registry.AddStrategy<IGenerationScheme, MuPlusLambdaOptions>("selection", "mu_plus_lambda",
            "(μ+λ): the best μ of parents and λ evaluated mutants survive.", (o, _) => new MuPlusLambdaGeneration(o));

        registry.AddSlot<IMutation>("mutation", "gaussian", "How a genome's weights (and sparse indices) are mutated.");
        registry.AddStrategy<IMutation, GaussianMutationOptions>("mutation", "gaussian",
            "Masked Gaussian: each weight with probability rate gets N(0, scale²); index swaps per hidden unit.", (o, _) => new GaussianMutation(o));
        registry.AddStrategy<IMutation, AnnealedMutationOptions>("mutation", "annealed",
            "Masked Gaussian whose scale halves every half_life generations.", (o, _) => new AnnealedMutation(o));
        registry.AddStrategy<IMutation, OneFifthOptions>("mutation", "one_fifth",
            "Masked Gaussian with Rechenberg's 1/5 success rule on the scale (GA).", (o, _) => new OneFifthMutation(o));

        registry.AddSlot<ITemperatureSchedule>("temperature", "exponential", "SA's temperature schedule.");
        registry.AddStrategy<ITemperatureSchedule, NoOptions>("temperature", "exponential", "T0·(Tf/T0)^(t/S).", (_, _) => new ExponentialCooling());
        registry.AddStrategy<ITemperatureSchedule, NoOptions>("temperature", "linear", "T0 + (Tf − T0)·t/S (the legacy option).", (_, _) => new LinearCooling());

        registry.AddVisualizer<VisualizerOptions>("heatmap", "The champion's per-unit saturation over generations (PNG, CSV).", (_, c) => new SaturationHeatmap((GenregModel)c.Model));
        registry.AddVisualizer<VisualizerOptions>("trajectories", "MSE and k over generations (SVG) and the whole trajectory (CSV).", (_, c) => new Trajectories((GenregModel)c.Model));
        registry.AddVisualizer<VisualizerOptions>("prediction", "The champion's prediction vs the target (SVG, CSV).", (_, c) => new PredictionChart((GenregModel)c.Model));
        registry.AddVisualizer<VisualizerOptions>("inputs", "The inputs the champion reads (sparse: its indices; dense: Σ|W1| per input), leaky columns marked (SVG, CSV).",
            (_, c) => new ChosenInputs((GenregModel)c.Model));

        registry.AddManifestCheck(check =>
        {
            if (check.Options<ModelOptions>("model") is not { } model) return;
            if (check.Options<object>("trainer") is BackpropOptions bp && bp.Indices.Count > 0)
            {
                if (model.Connectivity != Connectivity.Sparse)
                    check.Error("trainer.indices", "indices are given but model.connectivity is dense", "set model.connectivity: sparse, or remove trainer.indices");
                else if (bp.Indices.Count != model.Hidden * model.KInputs)
                    check.Error("trainer.indices", $"{bp.Indices.Count} indices given; model.hidden × model.k_inputs = {model.Hidden * model.KInputs}",
                        "give H·K indices, unit by unit");
                else if (bp.Indices.Any(i => i < 0 || i >= model.InputWidth))
                    check.Error("trainer.indices", $"an index is outside 0..{model.InputWidth - 1}", "use input columns of this feature layout");
            }
        });
    }
}
