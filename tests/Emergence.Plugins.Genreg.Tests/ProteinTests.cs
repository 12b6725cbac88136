using Emergence.Contracts.Random;

namespace Emergence.Plugins.Genreg.Tests;

/// <summary>The protein cascade against a unit-by-unit reading of the spec, and its mutation rules.</summary>
public class ProteinTests
{
    /// <summary>The spec's cascade written as separate units with dictionaries of state (slow, obviously right).</summary>
    private static (double Trust, int Saturated) Reference(double[] p, double[] x, double[] pred, double[] target, int samples, bool bug, double threshold)
    {
        var state = new Dictionary<string, double>();
        void Reset(string unit, bool sensor)
        {
            state[unit + ".min"] = bug || !sensor ? 0 : double.PositiveInfinity;
            state[unit + ".max"] = bug || !sensor ? 0 : double.NegativeInfinity;
            state[unit + ".alpha"] = bug || !sensor ? 0 : 0.01;
            state[unit + ".prev"] = 0;
            state[unit + ".ema"] = 0;
            state[unit + ".acc"] = 0;
        }
        string[] units = ["sx", "sp", "st", "tx", "tp", "tt", "ec", "tc", "ei", "ti", "te", "tr", "tn"];
        foreach (var u in units) Reset(u, u.StartsWith('s'));
        var outs = units.ToDictionary(u => u, _ => 0.0);
        double Sensor(string u, double v, double gain, double offset)
        {
            double a = state[u + ".alpha"];
            state[u + ".min"] = v < state[u + ".min"] ? v : state[u + ".min"] + a * (v - state[u + ".min"]);
            state[u + ".max"] = v > state[u + ".max"] ? v : state[u + ".max"] + a * (v - state[u + ".max"]);
            double range = state[u + ".max"] - state[u + ".min"];
            return Math.Tanh(gain * (range > 1e-6 ? 2 * (v - state[u + ".min"]) / range - 1 : 0) + offset);
        }
        double Trend(string u, double v, double m, double scale)
        {
            double d = v - state[u + ".prev"];
            state[u + ".prev"] = v;
            state[u + ".ema"] = m * state[u + ".ema"] + (1 - m) * d;
            return Math.Tanh(scale * state[u + ".ema"]);
        }
        double Cmp(double a, double b, double mode, double thr)
        {
            int md = (int)(((long)Math.Truncate(mode) % 4 + 4) % 4);
            return md switch { 0 => Math.Tanh(a - b), 1 => Math.Tanh(a / (b + 1e-6)), 2 => a > b + thr ? 1 : -1, _ => a < b - thr ? 1 : -1 };
        }
        double Integrate(string u, double v, double decay, double scale)
        {
            state[u + ".acc"] = state[u + ".acc"] * (1 - Math.Clamp(decay, 0.001, 0.5)) + v;
            return Math.Tanh(scale * state[u + ".acc"]);
        }
        double trust = 0;
        int stride = Math.Max(1, x.Length / samples);
        for (int c = 0, i = 0; c < samples && i < x.Length; c++, i += stride)
        {
            outs["sx"] = Sensor("sx", x[i], p[0], p[1]);
            outs["sp"] = Sensor("sp", pred[i], p[2], p[3]);
            outs["st"] = Sensor("st", target[i], p[4], p[5]);
            outs["tx"] = Trend("tx", outs["sx"], p[6], p[7]);
            outs["tp"] = Trend("tp", outs["sp"], p[8], p[9]);
            outs["tt"] = Trend("tt", outs["st"], p[10], p[11]);
            outs["ec"] = Cmp(outs["sp"], outs["st"], p[12], p[13]);
            outs["tc"] = Cmp(outs["tp"], outs["tt"], p[14], p[15]);
            outs["ei"] = Integrate("ei", outs["ec"], p[16], p[17]);
            outs["ti"] = Integrate("ti", outs["tc"], p[18], p[19]);
            outs["te"] = p[20] * Math.Tanh(p[21] * outs["ei"] + p[22]);
            outs["tr"] = p[23] * Math.Tanh(p[24] * outs["ti"] + p[25]);
            outs["tn"] = p[26] * Math.Tanh(p[27] * outs["ec"] + p[28]);
            trust += outs["te"] + outs["tr"] + outs["tn"];
        }
        return (trust, outs.Values.Count(o => Math.Abs(o) > threshold));
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void The_fused_cascade_equals_the_unit_by_unit_reference(bool legacyReset, int seed)
    {
        var rng = new RngStream((ulong)seed + 10);
        var task = new TaskData(new TaskOptions());
        var p = Proteins.Defaults();
        if (seed > 0)
            for (int i = 0; i < 10; i++) Proteins.Mutate(p, 1.0, 1.5, rng); // drifted modes, clamped gains, …
        var pred = task.Y.Select(y => Math.Tanh(0.8 * y + 0.1 * rng.NextNormal())).ToArray();
        var ours = Proteins.Run(p, task.X, pred, task.Y, 20, legacyReset, 0.95);
        var reference = Reference(p, task.X, pred, task.Y, 20, legacyReset, 0.95);
        ours.Trust.Should().BeApproximately(reference.Trust, 1e-12);
        ours.Saturated.Should().Be(reference.Saturated);
    }

    [Theory]
    [InlineData(true, 8)]
    [InlineData(false, 8)]
    [InlineData(true, 3)]
    public void A_batch_gives_every_genome_exactly_its_own_cascade(bool legacyReset, int lanes)
    {
        var rng = new RngStream(77);
        var task = new TaskData(new TaskOptions());
        var parameters = new double[lanes][];
        var predictions = new double[lanes][];
        for (int l = 0; l < lanes; l++)
        {
            parameters[l] = Proteins.Defaults();
            for (int i = 0; i < l; i++) Proteins.Mutate(parameters[l], 1.0, 1.5, rng); // every comparator mode appears
            predictions[l] = task.Y.Select(y => Math.Tanh(0.5 * l * y + 0.2 * rng.NextNormal())).ToArray();
        }
        if (lanes == 8) parameters.Select(p => Proteins.ModeOf(p[12])).Distinct().Count().Should().BeGreaterThan(2, "several comparator modes side by side");
        var trust = new double[lanes];
        var saturated = new int[lanes];
        Proteins.RunBatch(parameters, task.X, predictions, task.Y, 20, legacyReset, 0.95, trust, saturated);
        for (int l = 0; l < lanes; l++)
        {
            var alone = Proteins.Run(parameters[l], task.X, predictions[l], task.Y, 20, legacyReset, 0.95);
            trust[l].Should().Be(alone.Trust, $"lane {l}");
            saturated[l].Should().Be(alone.Saturated, $"lane {l}");
            var reference = Reference(parameters[l], task.X, predictions[l], task.Y, 20, legacyReset, 0.95);
            trust[l].Should().BeApproximately(reference.Trust, 1e-12, $"lane {l}");
        }
    }

    [Fact]
    public void Mutation_touches_about_rate_of_the_parameters_and_clamps_only_what_it_mutates()
    {
        var rng = new RngStream(5);
        int changed = 0, total = 0;
        for (int t = 0; t < 2000; t++)
        {
            var p = Proteins.Defaults();
            Proteins.Mutate(p, 0.15, 0.1, rng);
            for (int i = 0; i < p.Length; i++)
            {
                total++;
                if (p[i] == Proteins.Defaults()[i]) continue;
                changed++;
                if (Proteins.Layout[i].Kind == Proteins.Kind.Scale) p[i].Should().BeInRange(-0.2, 0.2, "a mutated scale is clamped — even the trend scales that start at 1");
            }
        }
        (changed / (double)total).Should().BeApproximately(0.15, 0.01);
        var fresh = Proteins.Defaults();
        Proteins.Mutate(fresh, 0.0, 0.1, rng);
        fresh[7].Should().Be(1, "an unmutated trend scale keeps its initial 1 (outside the clamp)");
    }

    [Theory]
    [InlineData(0.4, 0)]
    [InlineData(-0.5, 0)]
    [InlineData(-1.2, 3)]
    [InlineData(5.9, 1)]
    [InlineData(-6.0, 2)]
    public void A_drifted_mode_is_read_like_pythons_int_mod_4(double mode, int expected) => Proteins.ModeOf(mode).Should().Be(expected);
}

/// <summary>The ziggurat normal sampler's distribution.</summary>
public class ZigguratTests
{
    [Fact]
    public void Ziggurat_normals_have_the_moments_and_tails_of_a_standard_normal() => Standard_normal(Ziggurat_values);

    private static double[] Ziggurat_values(int n)
    {
        var rng = new RngStream(17);
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Ziggurat.Normal(rng);
        return v;
    }

    private static void Standard_normal(Func<int, double[]> draw)
    {
        const int n = 2_000_000;
        var values = draw(n);
        double sum = 0, sum2 = 0, sum4 = 0;
        int beyond2 = 0, beyond35 = 0;
        var bins = new int[8];
        for (int i = 0; i < n; i++)
        {
            double x = values[i];
            sum += x; sum2 += x * x; sum4 += x * x * x * x;
            if (Math.Abs(x) > 2) beyond2++;
            if (Math.Abs(x) > 3.5) beyond35++;
            if (x >= -2 && x < 2) bins[(int)((x + 2) * 2)]++;
        }
        (sum / n).Should().BeApproximately(0, 0.003);
        (sum2 / n).Should().BeApproximately(1, 0.004);
        (sum4 / n).Should().BeApproximately(3, 0.03, "kurtosis of a normal");
        (beyond2 / (double)n).Should().BeApproximately(0.0455, 0.0006);
        (beyond35 / (double)n).Should().BeApproximately(4.65e-4, 0.6e-4, "the tail beyond the base strip (R ≈ 3.44) is sampled too");
        // Half-unit bins on [−2, 2): Φ differences.
        double[] expected = [0.0441, 0.0918, 0.1499, 0.1915, 0.1915, 0.1499, 0.0918, 0.0441];
        for (int b = 0; b < 8; b++) (bins[b] / (double)n).Should().BeApproximately(expected[b], 0.0012, $"bin {b}");
    }
}
