using Emergence.Contracts.Random;

namespace Emergence.Engine.Runs;

/// <summary>
/// Every RNG stream a run hands out, by purpose. The same purpose always returns the same
/// stream; a new purpose derives its stream from the master seed, so streams never depend on
/// the order in which components ask for them. All of them are saved in each checkpoint.
/// </summary>
internal sealed class RngRegistry(ulong seed)
{
    private readonly SortedDictionary<string, RngStream> _streams = new(StringComparer.Ordinal);

    /// <summary>The master seed.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>The streams created so far, by purpose (ordinal order).</summary>
    public IReadOnlyDictionary<string, RngStream> Streams => _streams;

    /// <summary>The stream for <paramref name="purpose"/>, created on first use.</summary>
    public RngStream Get(string purpose)
    {
        if (!_streams.TryGetValue(purpose, out var stream))
        {
            stream = RngStream.Derive(Seed, purpose);
            _streams.Add(purpose, stream);
        }
        return stream;
    }
}
