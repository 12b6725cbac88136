using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Plugins.SelfModifying;

/// <summary>The modification types, in the original's enum order (ties go to the first).</summary>
public enum ModificationType { AddNeuron, RemoveNeuron, AddLayer, RemoveLayer, Rewire, Adjust, None }

/// <summary>Slot <c>selector</c>: picks the modification at a structure check.</summary>
internal interface ISelector
{
    /// <summary>Returns the type to apply (<see cref="ModificationType.None"/> = nothing) and whether it was an exploration pick.</summary>
    (ModificationType Type, bool Explored) Choose(ReadOnlySpan<double> scores, ReadOnlySpan<bool> valid, double epsilon, bool randomTies, RngStream rng);
}

/// <summary>ε-greedy on the meta-learner's scores (spec §4): with probability ε uniform over all 7 types (validity unchecked), else the best valid.</summary>
internal sealed class MetaSelector : ISelector
{
    public (ModificationType, bool) Choose(ReadOnlySpan<double> scores, ReadOnlySpan<bool> valid, double epsilon, bool randomTies, RngStream rng)
    {
        if (rng.NextDouble() < epsilon) return ((ModificationType)rng.NextInt(7), true);
        double best = double.NegativeInfinity;
        var ties = new List<int>();
        for (int t = 0; t < scores.Length; t++)
        {
            if (!valid[t]) continue;
            if (scores[t] > best) (best, ties) = (scores[t], [t]);
            else if (scores[t] == best) ties.Add(t);
        }
        if (ties.Count == 0) return (ModificationType.None, false);
        return ((ModificationType)(randomTies ? ties[rng.NextInt(ties.Count)] : ties[0]), false);
    }
}

/// <summary>Uniform over the valid types (a baseline for the meta-learner).</summary>
internal sealed class RandomSelector : ISelector
{
    public (ModificationType, bool) Choose(ReadOnlySpan<double> scores, ReadOnlySpan<bool> valid, double epsilon, bool randomTies, RngStream rng)
    {
        var options = new List<int>();
        for (int t = 0; t < valid.Length; t++) if (valid[t]) options.Add(t);
        return options.Count == 0 ? (ModificationType.None, true) : ((ModificationType)options[rng.NextInt(options.Count)], true);
    }
}

/// <summary>Cycles through the valid types in order.</summary>
internal sealed class RoundRobinSelector : ISelector, IStateful
{
    private int _next;

    public (ModificationType, bool) Choose(ReadOnlySpan<double> scores, ReadOnlySpan<bool> valid, double epsilon, bool randomTies, RngStream rng)
    {
        for (int k = 0; k < valid.Length; k++)
        {
            int t = (_next + k) % valid.Length;
            if (!valid[t]) continue;
            _next = (t + 1) % valid.Length;
            return ((ModificationType)t, false);
        }
        return (ModificationType.None, false);
    }

    public void Save(IStateWriter writer) => writer.WriteInt64("next", _next);

    public void Load(IStateReader reader) => _next = (int)reader.ReadInt64("next");
}

/// <summary>Slot <c>reward</c>: reward of one prediction from its relative error.</summary>
internal interface IRewardRule
{
    double Reward(double relativeError);
}

/// <summary>Options of the ternary reward: thresholds excellent/good/okay/poor; +1 up to good, 0 up to poor, −1 beyond.</summary>
public sealed class TernaryOptions : IValidatableOptions
{
    [Description("excellent, good, okay, poor relative-error thresholds: reward +1 up to 'good', 0 up to 'poor', -1 above. Live. Default [0.10, 0.20, 0.40, 0.60] (the trainer's).")]
    [LiveEditable]
    public List<double> Thresholds { get; set; } = [0.10, 0.20, 0.40, 0.60];

    public void Validate(OptionErrors errors)
    {
        if (Thresholds.Count != 4 || Thresholds.Zip(Thresholds.Skip(1)).Any(p => p.First > p.Second) || Thresholds.Any(t => t <= 0))
            errors.Add("thresholds", $"expected 4 increasing positive thresholds, got [{string.Join(", ", Thresholds)}]", "write e.g. [0.10, 0.20, 0.40, 0.60]");
    }
}

internal sealed class TernaryReward(TernaryOptions options) : IRewardRule
{
    public double Reward(double rel) => rel <= options.Thresholds[1] ? 1 : rel <= options.Thresholds[3] ? 0 : -1;
}

/// <summary>A continuous reward 1 − 2·min(rel, 1): in [−1, 1], graded rather than ternary.</summary>
internal sealed class LinearReward : IRewardRule
{
    public double Reward(double rel) => 1 - 2 * Math.Min(rel, 1);
}

/// <summary>Slot <c>success</c>: whether a finished modification record counts as a success (the meta-learner's label).</summary>
internal interface ISuccessRule
{
    bool Success(ModificationRecord record);
}

/// <summary>Options of the original's success rule.</summary>
public sealed class CodeSuccessOptions
{
    [Description("Success if mean trajectory reward minus the reward before exceeds this. Default 1.0.")]
    public double RewardDelta { get; set; } = 1.0;

    [Description("... or if (relerr before - mean squared error after) / max(relerr before, 0.01) exceeds this. Default 0.1.")]
    public double ErrRel { get; set; } = 0.1;
}

/// <summary>The original's rule (mixes relative and squared error; the labels are artefacts, spec §5).</summary>
internal sealed class CodeSuccess(CodeSuccessOptions options) : ISuccessRule
{
    public bool Success(ModificationRecord r)
    {
        if (r.Rewards.Count == 0) return false;
        return r.Rewards.Average() - r.PreReward > options.RewardDelta
               || (r.PreRelErr - r.SquaredErrors.Average()) / Math.Max(r.PreRelErr, 0.01) > options.ErrRel;
    }
}

/// <summary>Options of the README's rule.</summary>
public sealed class RewardGainOptions
{
    [Description("Steps after the change whose mean reward is compared with the reward before. Range 1..1000. Default 50.")]
    [Range(1, 1000)]
    public int Window { get; set; } = 50;
}

/// <summary>The README's rule (fixed mode): the reward over the first <c>window</c> steps after the change improved on the reward before.</summary>
internal sealed class RewardGainSuccess(RewardGainOptions options) : ISuccessRule
{
    public bool Success(ModificationRecord r) =>
        r.Rewards.Count > 0 && r.Rewards.Take(options.Window).Average() > r.PreReward;
}

/// <summary>Slot <c>rollback</c>: whether to revert a modification, checked once, <c>window</c> steps after it.</summary>
internal interface IRollbackPolicy
{
    int Window { get; }
    bool Enabled { get; }
    bool ShouldRevert(double rewardNow, double rewardBefore);
}

/// <summary>The original: rollback disabled (the code is commented out after an 82% rollback rate).</summary>
internal sealed class NoRollback : IRollbackPolicy
{
    public int Window => 50;
    public bool Enabled => false;
    public bool ShouldRevert(double rewardNow, double rewardBefore) => false;
}

/// <summary>Options of the reward-drop rollback.</summary>
public sealed class RewardDropOptions
{
    [Description("Steps after a modification at which the check runs. Range 10..500. Default 50.")]
    [Range(10, 500)]
    public int Window { get; set; } = 50;

    [Description("Revert if avg_reward(50) is below the reward before minus this. Range 0..2. Default 0.5.")]
    [Range(0.0, 2.0)]
    [LiveEditable]
    public double Drop { get; set; } = 0.5;
}

internal sealed class RewardDropRollback(RewardDropOptions options) : IRollbackPolicy
{
    public int Window => options.Window;
    public bool Enabled => true;
    public bool ShouldRevert(double rewardNow, double rewardBefore) => rewardNow < rewardBefore - options.Drop;
}

/// <summary>Slot <c>task_mix</c>: which task the next sample is.</summary>
internal interface ITaskMix
{
    bool NextIsAddition(RngStream rng);
}

public sealed class MixedOptions
{
    [Description("Probability of an addition sample. Range 0..1. Default 0.5.")]
    [Range(0.0, 1.0)]
    [LiveEditable]
    public double PAddition { get; set; } = 0.5;
}

internal sealed class MixedTasks(MixedOptions options) : ITaskMix
{
    public bool NextIsAddition(RngStream rng) => rng.NextDouble() < options.PAddition;
}

/// <summary>Addition and division in turn.</summary>
internal sealed class AlternatingTasks : ITaskMix, IStateful
{
    private bool _addition = true;

    public bool NextIsAddition(RngStream rng)
    {
        var current = _addition;
        _addition = !_addition;
        return current;
    }

    public void Save(IStateWriter writer) => writer.WriteBool("next_addition", _addition);

    public void Load(IStateReader reader) => _addition = reader.ReadBool("next_addition");
}

public sealed class NoOptions
{
}
