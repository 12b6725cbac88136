using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;

namespace Emergence.Testing.Fakes;

/// <summary>The run's named RNG streams as the host hands them out (same purpose → same stream), saved and restored whole.</summary>
public sealed class RunStreams(ulong seed)
{
    private readonly Dictionary<string, RngStream> _streams = new(StringComparer.Ordinal);

    /// <summary>The stream of <paramref name="purpose"/>, derived from the seed on first use.</summary>
    public RngStream Rng(string purpose)
    {
        if (!_streams.TryGetValue(purpose, out var stream)) _streams[purpose] = stream = RngStream.Derive(seed, purpose);
        return stream;
    }

    /// <summary>Writes every stream created so far.</summary>
    public void Save(IStateWriter writer)
    {
        foreach (var (purpose, rng) in _streams) writer.WriteRng("rng." + purpose, rng);
    }

    /// <summary>Restores the streams of this instance from <paramref name="reader"/> (create them first, as the components do).</summary>
    public void Load(IStateReader reader)
    {
        foreach (var (purpose, rng) in _streams) reader.ReadRng("rng." + purpose, rng);
    }
}

/// <summary>Strategy slots whose current strategy a test sets and swaps (the host swaps only between steps; so should tests).</summary>
public sealed class FakeSlots : IStrategySlots
{
    private readonly Dictionary<string, object> _handles = new(StringComparer.Ordinal);

    /// <summary>Sets (or swaps) the strategy of <paramref name="slot"/>.</summary>
    public void Set<T>(string slot, T strategy, string? name = null) where T : class
    {
        if (_handles.TryGetValue(slot, out var h)) ((Handle<T>)h).Swap(strategy, name ?? slot);
        else _handles[slot] = new Handle<T>(strategy, name ?? slot);
    }

    /// <summary>The current strategy of <paramref name="slot"/>.</summary>
    public T Current<T>(string slot) where T : class => ((Handle<T>)_handles[slot]).Current;

    /// <inheritdoc />
    public IStrategyHandle<T> Get<T>(string slot) where T : class =>
        _handles.TryGetValue(slot, out var h) ? (IStrategyHandle<T>)h : throw new KeyNotFoundException($"slot '{slot}' was not set by the test");

    private sealed class Handle<T>(T current, string name) : IStrategyHandle<T> where T : class
    {
        public T Current { get; private set; } = current;
        public string Name { get; private set; } = name;
        public void Swap(T strategy, string name) => (Current, Name) = (strategy, name);
    }
}

/// <summary>A run log that drops everything.</summary>
public sealed class NullRunLog : IRunLog
{
    /// <summary>The shared instance.</summary>
    public static readonly NullRunLog Instance = new();

    /// <inheritdoc />
    public void Info(string message) { }

    /// <inheritdoc />
    public void Warning(string message) { }
}
