using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;

namespace Emergence.Plugins.SparkNet.Model;

/// <summary>Structural options of the SparkNet model (the manifest's <c>model</c> section).</summary>
public sealed class SparkNetModelOptions : IValidatableOptions
{
    /// <summary>Number of neurons n. Default 500; 2 to 20,000; restart-only; must equal grid_h·grid_w.</summary>
    [Description("Number of neurons n. Default 500. Range 2..20000. Must equal grid_h*grid_w. Restart-only.")]
    [Range(2, 20_000)]
    public int NNeurons { get; set; } = 500;

    /// <summary>Rows of the display grid. Default 20; restart-only.</summary>
    [Description("Rows of the display grid. Default 20. Range 1..20000. Restart-only.")]
    [Range(1, 20_000)]
    public int GridH { get; set; } = 20;

    /// <summary>Columns of the display grid. Default 25; restart-only.</summary>
    [Description("Columns of the display grid. Default 25. Range 1..20000. Restart-only.")]
    [Range(1, 20_000)]
    public int GridW { get; set; } = 25;

    /// <summary>
    /// Number of sparks K. Default 3; 0 to n_neurons. Live: raising it spawns the new sparks through the
    /// spawn rule, lowering it drops the highest indices.
    /// </summary>
    [Description("Number of sparks K. Default 3. Range 0..n_neurons. Live: extra sparks come from the spawn rule; lowering drops the highest indices.")]
    [Range(0, 20_000)]
    [LiveEditable]
    public int NumSparks { get; set; } = 3;

    /// <summary>Standard deviation of the initial weights, W = std·N(0,1). Default 0.1; ≥ 0; restart-only.</summary>
    [Description("Standard deviation of the initial weights (W = std * N(0,1)). Default 0.1. Range >= 0. Restart-only.")]
    [Range(0.0, 1e6)]
    public double InitWeightStd { get; set; } = 0.1;

    /// <inheritdoc />
    public void Validate(OptionErrors errors)
    {
        if ((long)GridH * GridW != NNeurons)
            errors.Add("grid_h", $"grid_h*grid_w = {GridH}*{GridW} = {(long)GridH * GridW} but n_neurons = {NNeurons}",
                $"choose grid_h and grid_w whose product is {NNeurons} (e.g. 20 x 25 for 500), or change n_neurons");
        if (NumSparks > NNeurons)
            errors.Add("num_sparks", $"num_sparks = {NumSparks} exceeds n_neurons = {NNeurons}",
                $"set num_sparks to at most {NNeurons}");
        if (!double.IsFinite(InitWeightStd))
            errors.Add("init_weight_std", "init_weight_std must be finite", "use a value such as 0.1");
    }
}
