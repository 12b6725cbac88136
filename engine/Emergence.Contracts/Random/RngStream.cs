using System.Numerics;
using System.Runtime.CompilerServices;

namespace Emergence.Contracts.Random;

/// <summary>
/// A seeded, serialisable random stream: xoshiro256** (Blackman and Vigna, 2018) seeded through
/// SplitMix64. One stream per purpose ("simulation", "layout", "strategy.movement"), so drawing
/// from one never perturbs another. Identical seeds give identical numbers on every run; the
/// whole state, including a cached spare normal, round-trips through <see cref="GetState"/>.
/// Not thread-safe: give each thread its own stream.
/// </summary>
public sealed class RngStream
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private double _spare;

    /// <summary>Creates a stream from a 64-bit seed.</summary>
    public RngStream(ulong seed) => Reseed(seed);

    /// <summary>Creates a stream from a saved state.</summary>
    public RngStream(in RngState state) => SetState(state);

    /// <summary>
    /// The stream for <paramref name="purpose"/> under a run's master seed: SplitMix64 over
    /// <c>seed XOR FNV-1a-64(purpose)</c>. Stable across runs, processes and platforms.
    /// </summary>
    public static RngStream Derive(ulong seed, string purpose) => new(seed ^ Fnv1a64(purpose));

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    public void Reseed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        _hasSpare = false;
        _spare = 0;
    }

    /// <summary>The complete state.</summary>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _hasSpare, _spare);

    /// <summary>Restores a state from <see cref="GetState"/>; an all-zero generator state is rejected.</summary>
    public void SetState(in RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("xoshiro256** state must not be all zero", nameof(state));
        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
        _hasSpare = state.HasSpareNormal;
        _spare = state.SpareNormal;
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), unbiased (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        ulong n = (ulong)maxExclusive;
        ulong high = Math.BigMul(NextUInt64(), n, out ulong low);
        if (low < n)
        {
            ulong threshold = (0 - n) % n;
            while (low < threshold) high = Math.BigMul(NextUInt64(), n, out low);
        }
        return (int)high;
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int min, int maxExclusive) => min + NextInt(maxExclusive - min);

    /// <summary>Standard normal (Marsaglia's polar method; the second value is cached and saved with the state).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double m = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spare = v * m;
        _hasSpare = true;
        return u * m;
    }

    /// <summary>Fills <paramref name="destination"/> with N(<paramref name="mean"/>, <paramref name="std"/>²) values in index order.</summary>
    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>Fills <paramref name="destination"/> with U[<paramref name="low"/>, <paramref name="high"/>) values in index order.</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(low + (high - low) * NextDouble());
    }

    /// <summary>Fisher–Yates shuffle, from the last index down.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Draws an index with probability proportional to non-negative <paramref name="weights"/>:
    /// the first index whose running sum (in index order, in double) exceeds u·total.
    /// Returns -1 when the total is not positive.
    /// </summary>
    public int Categorical(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights) total += w;
        if (!(total > 0)) return -1;
        double target = NextDouble() * total, running = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            running += weights[i];
            if (running > target) return i;
        }
        for (int i = weights.Length - 1; i >= 0; i--)
            if (weights[i] > 0) return i;
        return -1;
    }

    /// <summary>FNV-1a 64-bit hash of a string's UTF-16 code units; stable across processes.</summary>
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The complete state of an <see cref="RngStream"/>.</summary>
/// <param name="S0">xoshiro256** word 0.</param>
/// <param name="S1">xoshiro256** word 1.</param>
/// <param name="S2">xoshiro256** word 2.</param>
/// <param name="S3">xoshiro256** word 3.</param>
/// <param name="HasSpareNormal">Whether a second normal from the polar method is cached.</param>
/// <param name="SpareNormal">The cached normal (0 when none).</param>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareNormal, double SpareNormal);
