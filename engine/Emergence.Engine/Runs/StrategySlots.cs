using Emergence.Contracts.Strategies;

namespace Emergence.Engine.Runs;

/// <summary>The live strategy of one slot; the host replaces it only between steps.</summary>
internal sealed class StrategyHandle<TStrategy>(string slot, string name, TStrategy current) : IStrategyHandle<TStrategy>, IStrategyHandleSetter
    where TStrategy : class
{
    public string Slot { get; } = slot;

    public TStrategy Current { get; private set; } = current;

    public string Name { get; private set; } = name;

    object IStrategyHandleSetter.Current => Current;

    void IStrategyHandleSetter.Set(string name, object strategy)
    {
        Current = (TStrategy)strategy;
        Name = name;
    }
}

/// <summary>Untyped access to a handle, for the host.</summary>
internal interface IStrategyHandleSetter
{
    string Slot { get; }
    string Name { get; }
    object Current { get; }
    void Set(string name, object strategy);
}

/// <summary>The handles of every declared slot of a run.</summary>
internal sealed class StrategySlots : IStrategySlots
{
    private readonly Dictionary<string, IStrategyHandleSetter> _handles = new(StringComparer.Ordinal);

    /// <summary>The handles, by slot.</summary>
    public IReadOnlyDictionary<string, IStrategyHandleSetter> Handles => _handles;

    /// <summary>Adds the handle of a slot whose strategy type is <paramref name="strategyType"/>.</summary>
    public void Add(string slot, Type strategyType, string name, object strategy)
    {
        var handleType = typeof(StrategyHandle<>).MakeGenericType(strategyType);
        _handles.Add(slot, (IStrategyHandleSetter)Activator.CreateInstance(handleType, slot, name, strategy)!);
    }

    public IStrategyHandle<TStrategy> Get<TStrategy>(string slot) where TStrategy : class
    {
        if (!_handles.TryGetValue(slot, out var handle))
            throw new KeyNotFoundException($"no strategy slot '{slot}' was declared; declared: {string.Join(", ", _handles.Keys)}");
        return handle as IStrategyHandle<TStrategy>
               ?? throw new InvalidCastException($"slot '{slot}' holds {handle.Current.GetType().Name}, not {typeof(TStrategy).Name}");
    }
}
