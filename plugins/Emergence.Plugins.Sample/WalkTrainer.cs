using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Components;
using Emergence.Contracts.Options;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;

namespace Emergence.Plugins.Sample;

/// <summary>Options of <see cref="WalkTrainer"/>.</summary>
public sealed class WalkTrainerOptions
{
    /// <summary>How many walkers (from index 0) have their position reported as a metric. Default 1.</summary>
    [Description("Walkers whose position is reported as a metric. Default 1.")]
    [Range(0, 1000)]
    public int Tracked { get; set; } = 1;

    /// <summary>When true the trainer does no work at all (host overhead benchmarks). Default false.</summary>
    [Description("Do nothing in each step (for measuring host overhead). Default false.")]
    [LiveEditable]
    public bool Noop { get; set; }
}

/// <summary>Moves every walker by its step rule once per step.</summary>
internal sealed class WalkTrainer(WalkTrainerOptions options, WalkModel model, IStrategyHandle<IStepRule> rule) : ITrainer
{
    private long _moves;

    public StepOutcome Step(in StepContext context)
    {
        if (options.Noop) return StepOutcome.Continue;
        var current = rule.Current;
        var positions = model.Positions;
        for (int i = 0; i < positions.Length; i++) positions[i] += current.Next();
        _moves += positions.Length;
        if (context.MetricsDue)
        {
            double sumSq = 0;
            foreach (double p in positions) sumSq += p * p;
            context.Metrics.Record("msd", sumSq / positions.Length);
            context.Metrics.Record("moves", _moves);
            for (int i = 0; i < Math.Min(options.Tracked, positions.Length); i++)
                context.Metrics.Record($"x{i}", positions[i]);
        }
        return StepOutcome.Continue;
    }

    public void Save(IStateWriter writer) => writer.WriteInt64("moves", _moves);

    public void Load(IStateReader reader) => _moves = reader.ReadInt64("moves");
}
