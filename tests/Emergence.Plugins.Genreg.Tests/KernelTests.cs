using Emergence.Contracts.Random;
using FluentAssertions;
using Xunit;

namespace Emergence.Plugins.Genreg.Tests;

public class KernelTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Both_dense_kernels_equal_fused_multiply_adds_in_input_order_bit_for_bit(int hidden)
    {
        var rng = new RngStream((ulong)hidden);
        foreach (int n in new[] { 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 130 })
        {
            var options = new ModelOptions { Hidden = hidden };
            options.Task.NPoints = n;
            options.Features.TrueSize = 16;
            options.Features.NoiseSize = 48;
            var task = new TaskData(options.Task);
            var f = ((IFeatureExpansion)new LegacyFeatures(new RngStream(1))).Build(task, options.Features);
            var g = Genome.Random(options, rng, proteins: false);
            for (int j = 0; j < hidden; j++) g.B1[j] = rng.NextNormal();
            var rows = new double[n * hidden];
            Network.HiddenDense(g, f.Values, n, f.D, rows);
            var units = new double[n * hidden];
            Network.HiddenDenseByColumns(g, f.Columns, n, f.PaddedN, f.D, units);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hidden; j++)
                {
                    double reference = g.B1[j];
                    for (int c = 0; c < f.D; c++) reference = Math.FusedMultiplyAdd(f.Values[i * f.D + c], g.W1[c * hidden + j], reference);
                    rows[i * hidden + j].Should().Be(reference, $"row kernel, H {hidden}, N {n}, point {i}, unit {j}");
                    units[j * n + i].Should().Be(reference, $"column kernel, H {hidden}, N {n}, point {i}, unit {j}");
                }
        }
    }
}
