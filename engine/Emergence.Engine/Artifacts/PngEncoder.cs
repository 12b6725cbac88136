using System.Buffers.Binary;
using System.IO.Compression;

namespace Emergence.Engine.Artifacts;

/// <summary>Pixel layouts <see cref="PngEncoder"/> accepts; the value is the number of bytes per pixel.</summary>
internal enum PngPixelFormat
{
    /// <summary>One byte of grey per pixel (PNG colour type 0).</summary>
    Gray8 = 1,

    /// <summary>Three bytes, R, G, B, per pixel (PNG colour type 2).</summary>
    Rgb8 = 3,

    /// <summary>Four bytes, R, G, B, A (straight alpha), per pixel (PNG colour type 6).</summary>
    Rgba8 = 4,
}

/// <summary>
/// Encodes 8-bit-per-channel images as PNG (ISO/IEC 15948): signature, IHDR, one IDAT holding a
/// zlib stream, IEND. Each scanline gets the filter (None, Sub, Up, Paeth) whose output has the
/// smallest sum of absolute signed bytes, the heuristic the PNG specification recommends.
/// </summary>
internal static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes a row-major image (top row first, no row padding) and returns the PNG file bytes.</summary>
    /// <param name="pixels">width·height·bytes-per-pixel bytes.</param>
    /// <param name="width">Image width in pixels, at least 1.</param>
    /// <param name="height">Image height in pixels, at least 1.</param>
    /// <param name="format">Pixel layout of <paramref name="pixels"/>.</param>
    /// <param name="level">zlib effort; <see cref="CompressionLevel.Fastest"/> suits frequent artifacts.</param>
    public static byte[] Encode(
        ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format,
        CompressionLevel level = CompressionLevel.Fastest)
    {
        int bpp = Validate(pixels, width, height, format);
        byte[] idat = Compress(pixels, width * bpp, height, bpp, level);

        var output = new MemoryStream(idat.Length + 64);
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = ColourType(format);
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);
        WriteChunk(output, "IDAT"u8, idat);
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static int Validate(ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int bpp = (int)format;
        long expected = (long)width * height * bpp;
        if (expected != pixels.Length)
        {
            throw new ArgumentException(
                $"A {width}x{height} {format} image needs {expected} bytes but {pixels.Length} were given.", nameof(pixels));
        }

        return bpp;
    }

    private static byte ColourType(PngPixelFormat format) => format switch
    {
        PngPixelFormat.Gray8 => 0,
        PngPixelFormat.Rgb8 => 2,
        _ => 6,
    };

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int stride, int height, int bpp, CompressionLevel level)
    {
        // Filter every row first, then hand zlib one large buffer: far cheaper than a write per row.
        var filtered = new byte[(long)(stride + 1) * height];
        var scratch = new ScanlineFilter(stride, bpp);
        ReadOnlySpan<byte> previous = default;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
            scratch.Filter(row, previous).CopyTo(filtered.AsSpan(y * (stride + 1)));
            previous = row;
        }

        var compressed = new MemoryStream(filtered.Length / 2 + 64);
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            zlib.Write(filtered);
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, type), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
