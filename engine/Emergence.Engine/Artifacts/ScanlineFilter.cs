using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Emergence.Engine.Artifacts;

/// <summary>
/// Chooses and applies a PNG filter per scanline (PNG spec section 9). Holds one scratch buffer
/// per candidate filter so a whole image is filtered without further allocation. The filters and
/// the score are vectorised with <see cref="Vector256{T}"/>; scalar code handles the tails.
/// </summary>
internal sealed class ScanlineFilter
{
    private const int None = 0, Sub = 1, Up = 2, Paeth = 4;
    private static readonly int[] Types = [None, Sub, Up, Paeth];

    private readonly int _bpp;
    private readonly byte[][] _candidates;
    private readonly byte[] _zeros;

    /// <summary>Prepares buffers for scanlines of <paramref name="stride"/> bytes and <paramref name="bpp"/> bytes per pixel.</summary>
    public ScanlineFilter(int stride, int bpp)
    {
        _bpp = bpp;
        _zeros = new byte[stride];
        _candidates = [new byte[stride + 1], new byte[stride + 1], new byte[stride + 1], new byte[stride + 1]];
    }

    /// <summary>
    /// Returns the filter-type byte followed by the filtered row: the candidate with the smallest sum of
    /// absolute values read as signed bytes (PNG spec 12.8). <paramref name="previous"/> is empty for the
    /// first row. The returned span is valid until the next call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Filter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous)
    {
        ReadOnlySpan<byte> up = previous.IsEmpty ? _zeros : previous;
        int best = 0;
        long bestScore = long.MaxValue;
        for (int i = 0; i < Types.Length; i++)
        {
            Span<byte> dst = _candidates[i];
            dst[0] = (byte)Types[i];
            Apply(Types[i], row, up, dst[1..]);
            long score = Score(dst[1..]);
            if (score < bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return _candidates[best];
    }

    /// <summary>Writes filter <paramref name="type"/> (0 None, 1 Sub, 2 Up, 4 Paeth) of <paramref name="row"/> into <paramref name="dst"/>.</summary>
    internal void Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, Span<byte> dst)
    {
        int bpp = _bpp;
        switch (type)
        {
            case None:
                row.CopyTo(dst);
                break;
            case Sub:
                row[..bpp].CopyTo(dst);
                Subtract(row[bpp..], row, dst[bpp..]);
                break;
            case Up:
                Subtract(row, up, dst);
                break;
            default:
                Subtract(row[..bpp], up[..bpp], dst[..bpp]); // Paeth(0, b, 0) = b
                PaethRest(row, up, bpp, dst);
                break;
        }
    }

    // dst[i] = x[i] − y[i] (mod 256) for i < dst.Length.
    private static void Subtract(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> dst)
    {
        int n = dst.Length, i = 0;
        ref byte rx = ref MemoryMarshal.GetReference(x);
        ref byte ry = ref MemoryMarshal.GetReference(y);
        ref byte rd = ref MemoryMarshal.GetReference(dst);
        if (x.Length < n || y.Length < n) throw new ArgumentException("Spans shorter than the destination.", nameof(dst));
        for (; i <= n - Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            (Vector256.LoadUnsafe(ref rx, (nuint)i) - Vector256.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        }

        for (; i < n; i++) dst[i] = (byte)(x[i] - y[i]);
    }

    // Paeth for x ≥ bpp: a = row[x−bpp], b = up[x], c = up[x−bpp]. Vectorised 16 bytes at a time in 16-bit lanes.
    private static void PaethRest(ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, int bpp, Span<byte> dst)
    {
        int n = row.Length, x = bpp;
        ref byte rr = ref MemoryMarshal.GetReference(row);
        ref byte ru = ref MemoryMarshal.GetReference(up);
        ref byte rd = ref MemoryMarshal.GetReference(dst);
        if (up.Length < n || dst.Length < n) throw new ArgumentException("Spans shorter than the row.", nameof(dst));
        for (; x <= n - Vector128<byte>.Count; x += Vector128<byte>.Count)
        {
            Vector256<short> a = Widen(ref rr, x - bpp), b = Widen(ref ru, x), c = Widen(ref ru, x - bpp);
            Vector256<short> pa = Vector256.Abs(b - c), pb = Vector256.Abs(a - c), pc = Vector256.Abs(a + b - c - c);
            Vector256<short> useA = Vector256.LessThanOrEqual(pa, pb) & Vector256.LessThanOrEqual(pa, pc);
            Vector256<short> bOrC = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(pb, pc), b, c);
            Vector256<short> predictor = Vector256.ConditionalSelect(useA, a, bOrC);
            Vector256<short> raw = Widen(ref rr, x);
            Vector128<byte> result = Vector256.Narrow((raw - predictor) & Vector256.Create((short)0xFF), Vector256<short>.Zero).GetLower().AsByte();
            result.StoreUnsafe(ref rd, (nuint)x);
        }

        for (; x < n; x++) dst[x] = (byte)(row[x] - PaethPredictor(row[x - bpp], up[x], up[x - bpp]));
    }

    private static Vector256<short> Widen(ref byte source, int offset) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref source, (nuint)offset).ToVector256Unsafe()).AsInt16();

    /// <summary>The Paeth predictor of PNG spec 9.4: whichever of a, b, c is closest to a + b − c.</summary>
    internal static byte PaethPredictor(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    // Sum of |(sbyte)v|. 16-bit lane sums are flushed every 128 blocks (2·128·128 < 65536, no overflow).
    internal static long Score(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        int n = filtered.Length, i = 0;
        ref byte r = ref MemoryMarshal.GetReference(filtered);
        while (i <= n - Vector256<byte>.Count)
        {
            Vector256<ushort> acc = Vector256<ushort>.Zero;
            for (int k = 0; k < 128 && i <= n - Vector256<byte>.Count; k++, i += Vector256<byte>.Count)
            {
                Vector256<byte> abs = Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i).AsSByte()).AsByte();
                var (lo, hi) = Vector256.Widen(abs);
                acc += lo + hi;
            }

            var (accLo, accHi) = Vector256.Widen(acc);
            sum += Vector256.Sum(accLo + accHi);
        }

        for (; i < n; i++) sum += Math.Abs((int)(sbyte)filtered[i]);
        return sum;
    }
}
