using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class RowLayerNormTests
{
    private const float Eps = 1e-5f;

    private static (double[] Y, double[] Mean, double[] Rstd) Forward(float[] x, float[] g, float[] b)
    {
        int cols = g.Length, rows = x.Length / cols;
        var y = new double[x.Length];
        var mean = new double[rows];
        var rstd = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double mu = 0, v = 0;
            for (int j = 0; j < cols; j++) mu += x[i * cols + j];
            mu /= cols;
            for (int j = 0; j < cols; j++) v += (x[i * cols + j] - mu) * (x[i * cols + j] - mu);
            double r = 1 / Math.Sqrt(v / cols + Eps);
            for (int j = 0; j < cols; j++) y[i * cols + j] = (x[i * cols + j] - mu) * r * g[j] + b[j];
            (mean[i], rstd[i]) = (mu, r);
        }
        return (y, mean, rstd);
    }

    [Fact]
    public void Forward_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var x = GemmReference.Fill(rows * cols, (uint)(rows + cols));
            for (int i = 0; i < x.Length; i++) x[i] = x[i] * 3f + 5f;
            var g = GemmReference.Fill(cols, 11);
            var b = GemmReference.Fill(cols, 12);
            var (ey, em, er) = Forward(x, g, b);
            var y = new float[x.Length];
            var mean = new float[rows];
            var rstd = new float[rows];
            RowLayerNorm.Forward(x, g, b, Eps, y, mean, rstd);
            ElementwiseReference.AssertClose(ey, y, 3e-5, $"y {rows}x{cols}");
            ElementwiseReference.AssertClose(em, mean, 1e-6, $"mean {rows}x{cols}");
            ElementwiseReference.AssertClose(er, rstd, 3e-5, $"rstd {rows}x{cols}");
        }
    }

    [Fact]
    public void Backward_AllShapes_MatchesScalarReference()
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var x = GemmReference.Fill(rows * cols, (uint)(rows * 2 + cols));
            var g = GemmReference.Fill(cols, 13);
            var dy = GemmReference.Fill(x.Length, (uint)(rows + 3 * cols));
            var mean = new float[rows];
            var rstd = new float[rows];
            RowLayerNorm.Forward(x, g, new float[cols], Eps, new float[x.Length], mean, rstd);
            var edx = new double[x.Length];
            var edg = new double[cols];
            var edb = new double[cols];
            for (int i = 0; i < rows; i++)
            {
                double sg = 0, sgx = 0;
                for (int j = 0; j < cols; j++)
                {
                    double xhat = (x[i * cols + j] - (double)mean[i]) * rstd[i], gj = (double)dy[i * cols + j] * g[j];
                    sg += gj;
                    sgx += gj * xhat;
                    edg[j] += dy[i * cols + j] * xhat;
                    edb[j] += dy[i * cols + j];
                }
                for (int j = 0; j < cols; j++)
                {
                    double xhat = (x[i * cols + j] - (double)mean[i]) * rstd[i];
                    edx[i * cols + j] = rstd[i] * ((double)dy[i * cols + j] * g[j] - sg / cols - xhat * sgx / cols);
                }
            }
            var dx = new float[x.Length];
            var dg = new float[cols];
            var db = new float[cols];
            RowLayerNorm.Backward(x, dy, g, mean, rstd, dx, dg, db);
            ElementwiseReference.AssertClose(edx, dx, 1e-4, $"dx {rows}x{cols}");
            ElementwiseReference.AssertClose(edg, dg, 1e-5 * (rows + 1), $"dgamma {rows}x{cols}");
            ElementwiseReference.AssertClose(edb, db, 1e-5 * (rows + 1), $"dbeta {rows}x{cols}");
        }
    }

    [Fact]
    public void Backward_MatchesFiniteDifferenceOfForward()
    {
        const int rows = 2, cols = 5;
        var x = GemmReference.Fill(rows * cols, 21);
        var g = GemmReference.Fill(cols, 22);
        var b = GemmReference.Fill(cols, 23);
        var w = GemmReference.Fill(rows * cols, 24); // loss = Σ w·y, so dy = w
        double Loss(float[] xs)
        {
            var (y, _, _) = Forward(xs, g, b);
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += w[i] * y[i];
            return s;
        }
        var mean = new float[rows];
        var rstd = new float[rows];
        RowLayerNorm.Forward(x, g, b, Eps, new float[x.Length], mean, rstd);
        var dx = new float[x.Length];
        RowLayerNorm.Backward(x, w, g, mean, rstd, dx, new float[cols], new float[cols]);
        for (int i = 0; i < x.Length; i++)
        {
            var xp = (float[])x.Clone();
            var xm = (float[])x.Clone();
            xp[i] += 1e-3f;
            xm[i] -= 1e-3f;
            double fd = (Loss(xp) - Loss(xm)) / (xp[i] - xm[i]);
            dx[i].Should().BeApproximately((float)fd, 2e-3f, $"element {i}");
        }
    }

    [Fact]
    public void Forward_MeanLengthWrong_Throws()
    {
        var act = () => RowLayerNorm.Forward(new float[6], new float[3], new float[3], Eps, new float[6], new float[1], new float[2]);
        act.Should().Throw<ArgumentException>().WithParameterName("mean");
    }
}
