using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class ColumnSumsTests
{
    [Fact]
    public void Sum_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var x = GemmReference.Fill(rows * cols, (uint)(rows * 3 + cols));
            var expected = new double[cols];
            for (int i = 0; i < x.Length; i++) expected[i % cols] += x[i];
            var dst = new float[cols];
            dst.AsSpan().Fill(float.NaN);
            ColumnSums.Sum(x, dst);
            ElementwiseReference.AssertClose(expected, dst, 1e-6 * (rows + 1), $"{rows}x{cols}");
        }
    }

    [Fact]
    public void Sum_ZeroColumns_Throws()
    {
        var act = () => ColumnSums.Sum(new float[4], Span<float>.Empty);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
