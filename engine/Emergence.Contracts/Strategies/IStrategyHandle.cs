namespace Emergence.Contracts.Strategies;

/// <summary>
/// A live reference to the strategy in a slot. The host replaces <see cref="Current"/> only
/// between steps, so a trainer reads it once per step and never caches it across steps.
/// </summary>
public interface IStrategyHandle<out TStrategy> where TStrategy : class
{
    /// <summary>The active strategy.</summary>
    TStrategy Current { get; }

    /// <summary>The active strategy's registered name.</summary>
    string Name { get; }
}

/// <summary>Resolves the slots a plugin declared.</summary>
public interface IStrategySlots
{
    /// <summary>The handle of a declared slot; throws if the slot or its type is unknown.</summary>
    IStrategyHandle<TStrategy> Get<TStrategy>(string slot) where TStrategy : class;
}
