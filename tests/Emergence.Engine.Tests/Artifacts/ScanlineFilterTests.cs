using Emergence.Contracts.Random;
using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public class ScanlineFilterTests
{
    [Fact]
    public void Filter_RowEqualToPrevious_ChoosesUpWithZeroResiduals()
    {
        var filter = new ScanlineFilter(stride: 9, bpp: 3);
        byte[] row = [10, 200, 30, 90, 1, 250, 17, 77, 128];

        var output = filter.Filter(row, row).ToArray();

        output[0].Should().Be(2);
        output[1..].Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public void Filter_ConstantFirstRow_ChoosesSub()
    {
        var filter = new ScanlineFilter(stride: 12, bpp: 3);
        byte[] row = [100, 50, 200, 100, 50, 200, 100, 50, 200, 100, 50, 200];

        var output = filter.Filter(row, default).ToArray();

        output[0].Should().Be(1);
        output[4..].Should().OnlyContain(b => b == 0);
    }

    [Theory]
    [InlineData(10, 20, 10, 20)]
    [InlineData(20, 10, 10, 20)]
    [InlineData(10, 10, 20, 10)]
    [InlineData(0, 255, 128, 128)]
    [InlineData(50, 60, 55, 55)]
    public void PaethPredictor_SpecCases_ReturnsClosestNeighbour(byte a, byte b, byte c, byte expected)
    {
        ScanlineFilter.PaethPredictor(a, b, c).Should().Be(expected);
    }

    [Fact]
    public void Apply_LengthsUpTo130_MatchesScalarReferenceAndFilterPicksBest()
    {
        var rng = new RngStream(7);
        foreach (int bpp in new[] { 1, 3, 4 })
        {
            for (int pixels = 1; pixels * bpp <= 130; pixels++)
            {
                int stride = pixels * bpp;
                byte[] row = Bytes(rng, stride), up = Bytes(rng, stride);
                var filter = new ScanlineFilter(stride, bpp);
                foreach (byte type in new byte[] { 0, 1, 2, 4 })
                {
                    var dst = new byte[stride];
                    filter.Apply(type, row, up, dst);
                    dst.Should().Equal(Reference(type, row, up, bpp), $"filter {type}, bpp {bpp}, stride {stride}");
                    ScanlineFilter.Score(dst).Should().Be(dst.Sum(b => (long)Math.Abs((int)(sbyte)b)));
                }

                var chosen = filter.Filter(row, up).ToArray();
                long best = new byte[] { 0, 1, 2, 4 }.Min(t => Reference(t, row, up, bpp).Sum(b => (long)Math.Abs((int)(sbyte)b)));
                ScanlineFilter.Score(chosen.AsSpan(1)).Should().Be(best);
            }
        }
    }

    [Fact]
    public void Score_LongRowOfExtremes_DoesNotOverflowLanes()
    {
        var row = new byte[100_003];
        Array.Fill(row, (byte)0x80); // −128 as a signed byte
        ScanlineFilter.Score(row).Should().Be(128L * row.Length);
    }

    private static byte[] Reference(byte type, byte[] row, byte[] up, int bpp)
    {
        var dst = new byte[row.Length];
        for (int x = 0; x < row.Length; x++)
        {
            int a = x >= bpp ? row[x - bpp] : 0, b = up[x], c = x >= bpp ? up[x - bpp] : 0;
            int predictor = type switch { 0 => 0, 1 => a, 2 => b, _ => ScanlineFilter.PaethPredictor((byte)a, (byte)b, (byte)c) };
            dst[x] = (byte)(row[x] - predictor);
        }

        return dst;
    }

    private static byte[] Bytes(RngStream rng, int n)
    {
        var bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte)rng.NextInt(256);
        return bytes;
    }
}
