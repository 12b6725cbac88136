namespace Emergence.Engine.Artifacts;

/// <summary>
/// CRC-32/ISO-HDLC (the CRC of PNG, zlib's <c>crc32</c>, gzip and zip): reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF. Table-driven, one byte per step.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>; CRC-32 of "123456789" is 0xCBF43926.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running register value before any byte is appended.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="data"/> into a running register started at <see cref="Start"/>.</summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
        {
            register = table[(register ^ b) & 0xFF] ^ (register >> 8);
        }

        return register;
    }

    /// <summary>Turns a running register into the final CRC value.</summary>
    public static uint Finish(uint register) => register ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
