using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;

namespace Emergence.Plugins.SelfModifying;

/// <summary>The <c>trainer</c> section: optimisation, data, structure checks and the meta-learner (spec §7).</summary>
public sealed class TrainerOptions : IValidatableOptions
{
    [Description("Training samples per engine step (the original's batch: 50 single-sample SGD steps). Range 1..100000. Default 50.")]
    [Range(1, 100_000)]
    public int SamplesPerStep { get; set; } = 50;

    [Description("Learning rate of every neuron. Live. Range 1e-4..0.5. Default 0.1.")]
    [Range(1e-4, 0.5), LiveEditable]
    public double Lr { get; set; } = 0.1;

    [Description("Clip of the loss gradient 2(p - t). Live. Default 10.")]
    [Range(0.01, 1000.0), LiveEditable]
    public double LossGradClip { get; set; } = 10;

    [Description("Clip of delta and of each weight gradient. Live. Range 0.5..20. Default 5.")]
    [Range(0.5, 20.0), LiveEditable]
    public double GradClip { get; set; } = 5;

    [Description("Clip of weights and biases after each update. Live. Range 5..100. Default 20.")]
    [Range(5.0, 100.0), LiveEditable]
    public double WeightClip { get; set; } = 20;

    [Description("Clip of the prediction. Live. Default 100.")]
    [Range(1.0, 1e6), LiveEditable]
    public double PredClip { get; set; } = 100;

    [Description("Operands are drawn from 0..max_digit (addition) and 1..max_digit (division). The README says 9, the shipped trainer 3. Live. Range 1..99. Default 9.")]
    [Range(1, 99), LiveEditable]
    public int MaxDigit { get; set; } = 9;

    [Description("Samples between structure checks. Live. Range 300..100000. Default 5000.")]
    [Range(300, 100_000), LiveEditable]
    public int CheckEvery { get; set; } = 5000;

    [Description("Modification types the selector may pick (add_neuron, remove_neuron, add_layer, remove_layer, rewire, adjust). Live. Default all six.")]
    [LiveEditable]
    public List<ModificationType> Strategies { get; set; } =
        [ModificationType.AddNeuron, ModificationType.RemoveNeuron, ModificationType.AddLayer, ModificationType.RemoveLayer, ModificationType.Rewire, ModificationType.Adjust];

    [Description("Fewest and most layers (the code's 1..15). Default [1, 15].")]
    public List<int> Layers { get; set; } = [1, 15];

    [Description("Fewest and most neurons per layer (the code's 2..256). Default [2, 256].")]
    public List<int> Neurons { get; set; } = [2, 256];

    [Description("Exploration probability of the meta selector: uniform over all 7 types (NONE included). Live. Range 0..1. Default 0.1.")]
    [Range(0.0, 1.0), LiveEditable]
    public double Epsilon { get; set; } = 0.1;

    [Description("Hidden units of the meta-learner (restart-only). Range 1..1024. Default 32.")]
    [Range(1, 1024)]
    public int MetaHidden { get; set; } = 32;

    [Description("Meta-learner SGD rate. Live. Default 0.01.")]
    [Range(1e-6, 1.0), LiveEditable]
    public double MetaLr { get; set; } = 0.01;

    [Description("Meta-learner epochs per training run. Range 1..100. Default 5.")]
    [Range(1, 100)]
    public int MetaEpochs { get; set; } = 5;

    [Description("Meta-learner minibatch. Range 1..1024. Default 16.")]
    [Range(1, 1024)]
    public int MetaBatch { get; set; } = 16;

    [Description("Train the meta-learner every this many samples. Range 1..1000000. Default 500.")]
    [Range(1, 1_000_000)]
    public int MetaTrainEvery { get; set; } = 500;

    [Description("Completed records needed before the meta-learner trains. Range 1..100000. Default 20.")]
    [Range(1, 100_000)]
    public int MetaMinRecords { get; set; } = 20;

    [Description("Points in a modification record's trajectory before it is finalised. Range 1..10000. Default 100.")]
    [Range(1, 10_000)]
    public int Trajectory { get; set; } = 100;

    [Description("Modification records kept (older ones are dropped; checkpoints stay small). Range 1..100000. Default 1000.")]
    [Range(1, 100_000)]
    public int MaxHistory { get; set; } = 1000;

    [Description("ADD_NEURON need noise sd. Default 0.3.")]
    public double AddNeuronNoiseSd { get; set; } = 0.3;

    [Description("ADD_NEURON child weight and bias noise sd. Default 0.01.")]
    public double AddNeuronInheritSd { get; set; } = 0.01;

    [Description("ADD_NEURON child tag noise sd. Default 0.05.")]
    public double AddNeuronTagSd { get; set; } = 0.05;

    [Description("REWIRE similarity thresholds for target distance 1, 2, 3, >=4. Live. Default [0.3, 0.5, 0.7, 0.9].")]
    [LiveEditable]
    public List<double> RewireSim { get; set; } = [0.3, 0.5, 0.7, 0.9];

    [Description("ADJUST step (thresholds in faithful mode). Live. Default 0.05.")]
    [LiveEditable]
    public double AdjustStep { get; set; } = 0.05;

    [Description("Problems in the --test evaluation recorded as metric test_accuracy (the code's 20; the README says 100). Range 0..10000. Default 20.")]
    [Range(0, 10_000)]
    public int TestProblems { get; set; } = 20;

    public void Validate(OptionErrors errors)
    {
        if (Layers.Count != 2 || Layers[0] < 1 || Layers[1] < Layers[0])
            errors.Add("layers", $"expected [min, max] with 1 <= min <= max, got [{string.Join(", ", Layers)}]", "write e.g. [1, 15]");
        if (Neurons.Count != 2 || Neurons[0] < 1 || Neurons[1] < Neurons[0])
            errors.Add("neurons", $"expected [min, max] with 1 <= min <= max, got [{string.Join(", ", Neurons)}]", "write e.g. [2, 256]");
        if (RewireSim.Count != 4) errors.Add("rewire_sim", $"expected 4 thresholds, got {RewireSim.Count}", "write e.g. [0.3, 0.5, 0.7, 0.9]");
        if (Strategies.Contains(ModificationType.None)) errors.Add("strategies", "'none' is not a strategy", "list only the six modification types");
    }
}
