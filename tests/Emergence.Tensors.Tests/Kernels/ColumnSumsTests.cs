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

    [Fact]
    public void AddTo_EveryColumnCountUpTo130_BitIdenticalToRowByRowAddition()
    {
        var rng = new Emergence.Contracts.Random.RngStream(41);
        foreach (int rows in new[] { 0, 1, 3, 17 })
            for (int cols = 0; cols <= 130; cols++)
            {
                var x = new float[rows * cols];
                var start = new float[cols];
                rng.FillNormal(x);
                rng.FillNormal(start);
                var expected = (float[])start.Clone();
                for (int i = 0; i < rows; i++) System.Numerics.Tensors.TensorPrimitives.Add(expected, x.AsSpan(i * cols, cols), expected);
                var actual = (float[])start.Clone();
                ColumnSums.AddTo(x, rows, actual);
                actual.Should().Equal(expected, $"rows={rows} cols={cols}");
            }
    }
}
