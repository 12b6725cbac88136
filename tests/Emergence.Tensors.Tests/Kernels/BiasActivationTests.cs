using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class BiasActivationTests
{
    public static TheoryData<Activation> Activations() =>
        new() { Activation.Identity, Activation.Relu, Activation.Tanh, Activation.Sigmoid };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Forward_AllShapes_MatchesScalarReference(Activation act)
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var x = GemmReference.Fill(rows * cols, (uint)(rows * 31 + cols));
            var bias = GemmReference.Fill(cols, (uint)cols + 7);
            for (int i = 0; i < x.Length; i++) x[i] *= 4f;
            var expected = new double[x.Length];
            for (int i = 0; i < x.Length; i++) expected[i] = ElementwiseReference.Activate(act, (double)(x[i] + bias[i % cols]));
            var dst = new float[x.Length];
            BiasActivation.Forward(x, bias, act, dst);
            ElementwiseReference.AssertClose(expected, dst, 2e-6, $"{act} {rows}x{cols}");
            BiasActivation.Forward(x, bias, act, x);
            x.Should().Equal(dst, "in-place must equal out-of-place");
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Backward_AllShapes_MatchesScalarReference(Activation act)
    {
        foreach (var (rows, cols) in ElementwiseReference.Shapes())
        {
            var z = GemmReference.Fill(rows * cols, (uint)(rows + cols * 3));
            var y = new float[z.Length];
            BiasActivation.Forward(z, new float[cols], act, y);
            var dy = GemmReference.Fill(z.Length, (uint)(rows * 5 + cols));
            var dx = new float[z.Length];
            var dbias = new float[cols];
            BiasActivation.Backward(y, dy, act, dx, dbias);
            var expDx = new double[z.Length];
            var expDb = new double[cols];
            for (int i = 0; i < z.Length; i++)
            {
                double yi = y[i];
                double d = act switch
                {
                    Activation.Identity => 1,
                    Activation.Relu => yi > 0 ? 1 : 0,
                    Activation.Tanh => 1 - yi * yi,
                    _ => yi * (1 - yi),
                };
                expDx[i] = dy[i] * d;
                expDb[i % cols] += expDx[i];
            }
            ElementwiseReference.AssertClose(expDx, dx, 1e-6, $"{act} dx {rows}x{cols}");
            ElementwiseReference.AssertClose(expDb, dbias, 1e-5 * (rows + 1), $"{act} dbias {rows}x{cols}");
        }
    }

    [Fact]
    public void Forward_ReluOfNaN_StaysNaN()
    {
        var dst = new float[3];
        BiasActivation.Forward([float.NaN, -1f, 2f], [0f, 0f, 0f], Activation.Relu, dst);
        float.IsNaN(dst[0]).Should().BeTrue();
        dst[1..].Should().Equal(0f, 2f);
    }

    [Fact]
    public void Forward_LengthNotMultipleOfBias_Throws()
    {
        var act = () => BiasActivation.Forward(new float[7], new float[3], Activation.Tanh, new float[7]);
        act.Should().Throw<ArgumentException>().WithParameterName("x");
    }

    [Fact]
    public void Backward_PartiallyOverlappingDx_Throws()
    {
        var buf = new float[10];
        var act = () => BiasActivation.Backward(buf.AsSpan(0, 8), buf.AsSpan(0, 8), Activation.Relu, buf.AsSpan(2, 8), new float[2]);
        act.Should().Throw<ArgumentException>().WithParameterName("dx");
    }
}
