namespace Emergence.Plugins.Genreg;

/// <summary>
/// The Mersenne Twister MT19937 seeded with <c>init_genrand</c>, drawing doubles as numpy's legacy
/// <c>RandomState(seed).uniform</c> does (53-bit <c>res53</c> from two 32-bit outputs). Only the legacy feature tables use
/// it; every other draw in the plugin comes from the run's named streams.
/// </summary>
internal sealed class Mt19937
{
    private const int N = 624, M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;

    public Mt19937(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    /// <summary>The next 32-bit output (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) with 53 random bits: ((a &gt;&gt; 5)·2²⁶ + (b &gt;&gt; 6)) / 2⁵³.</summary>
    public double NextRes53()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>RandomState.uniform(lo, hi)</c>: lo + (hi − lo)·res53.</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextRes53();

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            uint next = _mt[(i + M) % N] ^ (y >> 1);
            _mt[i] = (y & 1) != 0 ? next ^ 0x9908b0dfu : next;
        }
        _index = 0;
    }
}
