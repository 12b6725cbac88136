using Emergence.Contracts.State;

namespace Emergence.Contracts.Components;

/// <summary>
/// Advances the model by one unit of work (a step, a batch, a generation). The host owns the
/// loop, checkpoints between steps, and swaps strategies only between steps; a trainer never
/// loops forever itself. Its own state (optimiser moments, counters, windows) is saved through
/// <see cref="IStateful"/>.
/// </summary>
public interface ITrainer : IStateful
{
    /// <summary>Runs exactly one unit of work and reports metrics through <paramref name="context"/>.</summary>
    StepOutcome Step(in StepContext context);
}

/// <summary>What a trainer says after a step.</summary>
public enum StepOutcome
{
    /// <summary>Keep going (the host's stop conditions still apply).</summary>
    Continue = 0,

    /// <summary>The trainer reached its own natural end (target met, budget exhausted); the run completes.</summary>
    Finished = 1,
}
