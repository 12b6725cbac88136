using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Plugins.Sample;

/// <summary>Options of <see cref="WalkModel"/>.</summary>
public sealed class WalkModelOptions
{
    /// <summary>Number of walkers. Default 16; 1 to 1,000,000.</summary>
    [Description("Number of walkers. Default 16.")]
    [Range(1, 1_000_000)]
    public int Walkers { get; set; } = 16;

    /// <summary>Spread of the initial positions (standard deviation). Default 1; ≥ 0.</summary>
    [Description("Standard deviation of the initial positions. Default 1.")]
    [Range(0.0, double.MaxValue)]
    public double InitialSpread { get; set; } = 1.0;
}

/// <summary>The walkers' positions: the whole state of the sample family.</summary>
internal sealed class WalkModel : IModel
{
    public WalkModel(WalkModelOptions options, RngStream init)
    {
        Positions = new double[options.Walkers];
        for (int i = 0; i < Positions.Length; i++) Positions[i] = options.InitialSpread * init.NextNormal();
    }

    /// <summary>Position of each walker.</summary>
    public double[] Positions { get; }

    public void Save(IStateWriter writer) => writer.WriteDoubles("positions", Positions);

    public void Load(IStateReader reader) => reader.ReadDoubles("positions", Positions.AsSpan());
}
