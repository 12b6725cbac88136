using Emergence.Contracts.Random;
using Emergence.Engine.Checkpoints;

namespace Emergence.Fuzz;

/// <summary>Produces fuzz inputs: random bytes, and valid seeds with bit flips, truncation, length inflation, splices.</summary>
internal sealed class Mutator(RngStream rng, IReadOnlyList<byte[]> seeds)
{
    private static readonly byte[] LengthCodes = [0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf];

    /// <summary>Names of the strategies, indexed like the value <see cref="Next"/> reports.</summary>
    public static readonly string[] Strategies = ["random", "bitflip", "truncate", "inflate", "splice", "insert-delete", "stacked"];

    /// <summary>The next input and the index of the strategy that made it.</summary>
    public byte[] Next(out int strategy)
    {
        strategy = rng.NextInt(Strategies.Length);
        if (strategy == 0) return RandomBytes(rng.NextInt(300));
        var seed = seeds[rng.NextInt(seeds.Count)];
        var input = strategy == 6 ? Stack(seed) : Apply(strategy, seed);
        // Half the mutated checkpoints get a fresh, valid checksum so the mutation reaches the decoder.
        if (IsCheckpoint(seed) && input.Length > CheckpointFile.TrailerLength && rng.NextInt(2) == 0) FixChecksum(input);
        return input;
    }

    private byte[] Stack(byte[] seed)
    {
        var input = seed;
        int rounds = 2 + rng.NextInt(4);
        for (int i = 0; i < rounds; i++) input = Apply(1 + rng.NextInt(5), input);
        return input;
    }

    private byte[] Apply(int strategy, byte[] seed) => strategy switch
    {
        1 => BitFlips(seed),
        2 => seed[..rng.NextInt(seed.Length + 1)],
        3 => Inflate(seed),
        4 => Splice(seed, seeds[rng.NextInt(seeds.Count)]),
        _ => InsertDelete(seed),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)rng.NextUInt64();
        return bytes;
    }

    private byte[] BitFlips(byte[] seed)
    {
        var input = (byte[])seed.Clone();
        if (input.Length == 0) return input;
        int flips = 1 + rng.NextInt(8);
        for (int i = 0; i < flips; i++) input[rng.NextInt(input.Length)] ^= (byte)(1 << rng.NextInt(8));
        return input;
    }

    /// <summary>Finds a length-prefixed header (or any byte) and overwrites its length with a large value.</summary>
    private byte[] Inflate(byte[] seed)
    {
        var input = (byte[])seed.Clone();
        if (input.Length < 2) return input;
        int start = rng.NextInt(input.Length);
        int at = -1;
        for (int i = 0; i < input.Length && at < 0; i++)
        {
            int j = (start + i) % input.Length;
            if (Array.IndexOf(LengthCodes, input[j]) >= 0) at = j + 1;
        }
        if (at < 0) at = rng.NextInt(input.Length);
        ReadOnlySpan<byte> values = [0xff, 0x7f, 0x80, 0x10, 0x01];
        int width = 1 << rng.NextInt(3);
        for (int k = 0; k < width && at + k < input.Length; k++) input[at + k] = values[rng.NextInt(values.Length)];
        return input;
    }

    private byte[] Splice(byte[] a, byte[] b)
    {
        int cutA = rng.NextInt(a.Length + 1);
        int startB = rng.NextInt(b.Length + 1);
        int lengthB = rng.NextInt(Math.Min(b.Length - startB, 4096) + 1);
        return [.. a.AsSpan(0, cutA), .. b.AsSpan(startB, lengthB), .. a.AsSpan(Math.Min(a.Length, cutA + rng.NextInt(16)))];
    }

    private byte[] InsertDelete(byte[] seed)
    {
        int at = rng.NextInt(seed.Length + 1);
        if (rng.NextInt(2) == 0 || seed.Length == 0)
            return [.. seed.AsSpan(0, at), .. RandomBytes(1 + rng.NextInt(8)), .. seed.AsSpan(at)];
        int count = Math.Min(1 + rng.NextInt(8), seed.Length - at);
        return [.. seed.AsSpan(0, at), .. seed.AsSpan(at + count)];
    }

    private static bool IsCheckpoint(byte[] seed) => seed.Length > 10 && seed[0] == 0x8c && seed[1] == 0xa6;

    private static ReadOnlySpan<byte> TrailerPrefix => [0xa6, (byte)'c', (byte)'r', (byte)'c', (byte)'3', (byte)'2', (byte)'c', 0xc4, 0x04];

    /// <summary>Rewrites the last 13 bytes as a valid crc32c trailer over everything before them.</summary>
    private static void FixChecksum(byte[] input)
    {
        int bodyLength = input.Length - CheckpointFile.TrailerLength;
        TrailerPrefix.CopyTo(input.AsSpan(bodyLength));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(input.Length - 4), Crc32C.Compute(input.AsSpan(0, bodyLength)));
    }
}
