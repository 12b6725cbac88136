using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class RowSoftmaxTests
{
    private static double[] Reference(float[] x, int cols, bool log)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length / cols; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < cols; j++) max = Math.Max(max, x[i * cols + j]);
            for (int j = 0; j < cols; j++) sum += Math.Exp(x[i * cols + j] - max);
            for (int j = 0; j < cols; j++)
            {
                double s = x[i * cols + j] - max;
                r[i * cols + j] = log ? s - Math.Log(sum) : Math.Exp(s) / sum;
            }
        }
        return r;
    }

    private static float[] Logits(int rows, int cols, uint seed)
    {
        var x = GemmReference.Fill(rows * cols, seed);
        for (int i = 0; i < x.Length; i++) x[i] = x[i] * 20f + 60f; // large logits: overflow without max subtraction
        return x;
    }

    [Fact]
    public void Softmax_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var x = Logits(rows, cols, (uint)(rows + 17 * cols));
            var dst = new float[x.Length];
            RowSoftmax.Softmax(x, cols, dst);
            ElementwiseReference.AssertClose(Reference(x, cols, log: false), dst, 2e-6, $"{rows}x{cols}");
            RowSoftmax.Softmax(x, cols, x);
            x.Should().Equal(dst, "in-place must equal out-of-place");
        }
    }

    [Fact]
    public void LogSoftmax_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var x = Logits(rows, cols, (uint)(rows * 3 + cols));
            var dst = new float[x.Length];
            RowSoftmax.LogSoftmax(x, cols, dst);
            ElementwiseReference.AssertClose(Reference(x, cols, log: true), dst, 2e-6, $"{rows}x{cols}");
        }
    }

    [Fact]
    public void SoftmaxBackward_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var y = new float[rows * cols];
            RowSoftmax.Softmax(Logits(rows, cols, (uint)cols), cols, y);
            var dy = GemmReference.Fill(y.Length, (uint)(rows + cols));
            var expected = new double[y.Length];
            for (int i = 0; i < rows; i++)
            {
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += (double)dy[i * cols + j] * y[i * cols + j];
                for (int j = 0; j < cols; j++) expected[i * cols + j] = y[i * cols + j] * (dy[i * cols + j] - dot);
            }
            var dx = new float[y.Length];
            RowSoftmax.SoftmaxBackward(y, dy, cols, dx);
            ElementwiseReference.AssertClose(expected, dx, 2e-6, $"{rows}x{cols}");
        }
    }

    [Fact]
    public void LogSoftmaxBackward_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var y = new float[rows * cols];
            RowSoftmax.LogSoftmax(Logits(rows, cols, (uint)cols + 1), cols, y);
            var dy = GemmReference.Fill(y.Length, (uint)(rows * 7 + cols));
            var expected = new double[y.Length];
            for (int i = 0; i < rows; i++)
            {
                double sum = 0;
                for (int j = 0; j < cols; j++) sum += dy[i * cols + j];
                for (int j = 0; j < cols; j++) expected[i * cols + j] = dy[i * cols + j] - Math.Exp(y[i * cols + j]) * sum;
            }
            var dx = new float[y.Length];
            RowSoftmax.LogSoftmaxBackward(y, dy, cols, dx);
            ElementwiseReference.AssertClose(expected, dx, 1e-5, $"{rows}x{cols}");
        }
    }

    [Fact]
    public void Softmax_RowWithNaN_OnlyThatRowIsNaN()
    {
        float[] x = [1f, float.NaN, 2f, 1f, 2f, 3f];
        var dst = new float[6];
        RowSoftmax.Softmax(x, 3, dst);
        dst[..3].Should().OnlyContain(v => float.IsNaN(v));
        dst[3..].Should().OnlyContain(v => !float.IsNaN(v));
    }

    [Fact]
    public void LogSoftmax_OverlappingDst_Throws()
    {
        var x = new float[6];
        var act = () => RowSoftmax.LogSoftmax(x, 3, x);
        act.Should().Throw<ArgumentException>().WithParameterName("dst");
    }
}
