using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Emergence.Engine.Tests.Artifacts;

/// <summary>
/// A minimal, independent PNG reader for tests: checks the signature, every chunk's CRC (bitwise, not
/// the encoder's table), inflates the IDAT stream and reverses all five filter types.
/// 8-bit non-interlaced grey, RGB and RGBA only.
/// </summary>
internal static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, int Channels, byte[] Pixels, IReadOnlyList<string> Chunks);

    public static Image Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("bad signature");
        var chunks = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, channels = 0, pos = 8;
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            ReadOnlySpan<byte> data = png.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            if (crc != BitwiseCrc(png.AsSpan(pos + 4, length + 4))) throw new InvalidDataException($"bad CRC in {type}");
            chunks.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0) throw new InvalidDataException("only 8-bit non-interlaced");
                channels = data[9] switch { 0 => 1, 2 => 3, 6 => 4, _ => throw new InvalidDataException("colour type") };
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        return new Image(width, height, channels, Unfilter(Inflate(idat.ToArray()), width, height, channels), chunks);
    }

    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }

        return ~c;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        int stride = width * bpp;
        if (raw.Length != height * (stride + 1)) throw new InvalidDataException($"inflated {raw.Length} bytes");
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
                int f = raw[y * (stride + 1) + 1 + x];
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
                pixels[y * stride + x] = (byte)(f + predictor);
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
