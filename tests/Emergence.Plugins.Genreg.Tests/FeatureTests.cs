using System.Text.Json;
using Emergence.Contracts.Random;

namespace Emergence.Plugins.Genreg.Tests;

/// <summary>The input expansion against values computed independently with numpy (tools/golden/genreg_features.py).</summary>
public class FeatureTests
{
    private static readonly JsonElement Golden =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy_features.json"))).RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static FeatureSet Legacy(int trueSize = 16, int noise = 240, Action<FeatureOptions>? more = null)
    {
        var o = new FeatureOptions { TrueSize = trueSize, NoiseSize = noise };
        more?.Invoke(o);
        return ((IFeatureExpansion)new LegacyFeatures(new RngStream(1))).Build(new TaskData(new TaskOptions()), o);
    }

    [Fact]
    public void The_noise_tables_are_numpys_RandomState_12345()
    {
        var (f, p, s) = Expansion.Tables(12345);
        f[..5].Should().Equal(Doubles(Golden.GetProperty("F_first")));
        p[..5].Should().Equal(Doubles(Golden.GetProperty("P_first")));
        s[..5].Should().Equal(Doubles(Golden.GetProperty("S_first")));
        (f[0], p[0], s[0]).Should().Be((9.303199318889764, 1.230216261493966, 1.7704144953653658), "the spec's verified first values");
    }

    [Fact]
    public void Legacy_rows_and_columns_match_the_numpy_oracle()
    {
        var set = Legacy();
        new TaskData(new TaskOptions()).X.Should().Equal(Doubles(Golden.GetProperty("x")));
        foreach (var row in Golden.GetProperty("rows").EnumerateObject())
        {
            int i = int.Parse(row.Name);
            var expected = Doubles(row.Value);
            var actual = Enumerable.Range(0, 256).Select(j => set.At(i, j)).ToArray();
            for (int j = 0; j < 256; j++)
                actual[j].Should().BeApproximately(expected[j], 1e-12 * Math.Max(1, Math.Abs(expected[j])), $"row {i}, column {j}");
        }
        foreach (var col in Golden.GetProperty("columns").EnumerateObject())
        {
            int j = int.Parse(col.Name);
            var expected = Doubles(col.Value);
            for (int i = 0; i < 100; i++) set.At(i, j).Should().BeApproximately(expected[i], 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"column {j}, row {i}");
        }
    }

    [Fact]
    public void The_leaks_are_where_the_spec_says_column_4_is_the_target_117_its_negative_and_15_is_dead()
    {
        var set = Legacy();
        var task = new TaskData(new TaskOptions());
        var leaky = Enumerable.Range(16, 240).Where(j => Math.Abs(Expansion.Correlation(set, j, task.Y)) > 0.5).ToArray();
        leaky.Should().Equal(Golden.GetProperty("leaky").EnumerateArray().Select(p => p[0].GetInt32()));
        leaky.Should().Equal(29, 59, 110, 117, 159, 169, 219);
        Expansion.Correlation(set, 4, task.Y).Should().BeApproximately(1, 1e-12);
        Expansion.Correlation(set, 117, task.Y).Should().BeApproximately(-1, 1e-12);
        Enumerable.Range(0, 100).Select(i => set.At(i, 15)).Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void Narrower_noise_blocks_are_prefixes_and_the_fmod_block_keeps_the_dividends_sign()
    {
        var wide = Legacy();
        var narrow = Legacy(noise: 112);
        for (int i = 0; i < 100; i++)
            for (int j = 0; j < 128; j++) narrow.At(i, j).Should().Be(wide.At(i, j));
        var fmod = Enumerable.Range(0, 100).SelectMany(i => Enumerable.Range(16 + 220, 20).Select(j => wide.At(i, j))).ToArray();
        fmod.Should().OnlyContain(v => v > -3 && v < 1);
        fmod.Should().Contain(v => v < -1, "negative dividends give remainders below 0, so values below −1 occur");
    }

    [Fact]
    public void Columns_beyond_240_are_gaussian_and_redrawn_per_forward_pass_unless_told_otherwise()
    {
        var n5 = Legacy(noise: 496);
        n5.Deterministic.Should().BeFalse();
        n5.ResampleFrom.Should().Be(256);
        var a = new double[n5.Values.Length];
        var b = new double[n5.Values.Length];
        n5.Resample(a, new RngStream(1));
        n5.Resample(b, new RngStream(2));
        a.AsSpan(0, 256).SequenceEqual(b.AsSpan(0, 256)).Should().BeTrue("the deterministic columns do not change");
        a[300].Should().NotBe(b[300]);
        var tail = Enumerable.Range(0, 100).SelectMany(i => Enumerable.Range(256, 256).Select(j => a[i * 512 + j])).ToArray();
        double mean = tail.Average(), std = Math.Sqrt(tail.Select(v => (v - mean) * (v - mean)).Average());
        mean.Should().BeApproximately(0, 0.02);
        std.Should().BeApproximately(0.5, 0.02);

        var fixedOnce = Legacy(noise: 496, more: o => o.GaussianResample = false);
        fixedOnce.Deterministic.Should().BeTrue();
        fixedOnce.At(3, 400).Should().NotBe(0);
    }

    [Fact]
    public void No_leak_zeroes_the_target_column_and_every_correlated_noise_column_and_keeps_the_rest()
    {
        var task = new TaskData(new TaskOptions());
        var legacy = Legacy();
        var clean = ((IFeatureExpansion)new NoLeakFeatures(new NoLeakOptions(), new RngStream(1))).Build(task, new FeatureOptions());
        foreach (int j in new[] { 4, 29, 59, 110, 117, 159, 169, 219 })
            Enumerable.Range(0, 100).Select(i => clean.At(i, j)).Should().OnlyContain(v => v == 0, $"column {j} leaks");
        Enumerable.Range(0, 256).Where(j => j != 4).Max(j => Math.Abs(Expansion.Correlation(clean, j, task.Y))).Should().BeLessThanOrEqualTo(0.5);
        clean.At(7, 3).Should().Be(legacy.At(7, 3));
        clean.At(7, 200).Should().Be(legacy.At(7, 200));
    }

    [Fact]
    public void The_fixed_noise_modes_are_deterministic_and_do_not_leak_the_target()
    {
        var task = new TaskData(new TaskOptions());
        var o = new FeatureOptions { IncludeTargetFeature = false };
        foreach (IFeatureExpansion mode in new IFeatureExpansion[] { new GaussianFixedFeatures(new GaussianFixedOptions()), new CleanHighFreqFeatures(new CleanHighFreqOptions { MaxCorrelation = 0.5 }) })
        {
            var a = mode.Build(task, o);
            var b = mode.Build(task, o);
            a.Values.Should().Equal(b.Values);
            a.Deterministic.Should().BeTrue();
            Enumerable.Range(0, 100).Select(i => a.At(i, 4)).Should().OnlyContain(v => v == 0, "include_target_feature: false");
            Enumerable.Range(16, 240).Max(j => Math.Abs(Expansion.Correlation(a, j, task.Y))).Should().BeLessThan(0.5, a.Mode);
        }
    }

    [Fact]
    public void The_repos_clean_high_frequency_noise_leaks_through_aliasing_unless_such_columns_are_redrawn()
    {
        var task = new TaskData(new TaskOptions());
        var repo = ((IFeatureExpansion)new CleanHighFreqFeatures(new CleanHighFreqOptions())).Build(task, new FeatureOptions());
        // 100 points 4π/99 apart: frequency f and f − 2π/(4π/99) = f − 49.5 are indistinguishable, so f ≈ 48.5..50 reads as ≈ sin(x).
        Enumerable.Range(16, 240).Max(j => Math.Abs(Expansion.Correlation(repo, j, task.Y))).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Mt19937_matches_the_reference_outputs_of_init_genrand_5489()
    {
        // The first outputs of the reference implementation (mt19937ar.c) for seed 5489.
        var mt = new Mt19937(5489);
        new[] { mt.NextUInt32(), mt.NextUInt32(), mt.NextUInt32() }.Should().Equal(3499211612u, 581869302u, 3890346734u);
    }
}
