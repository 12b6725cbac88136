using System.Runtime.Intrinsics;
using Emergence.Contracts.Random;

namespace Emergence.Plugins.Genreg;

/// <summary>The task: points, target and its name.</summary>
internal sealed class TaskData
{
    public TaskData(TaskOptions o)
    {
        N = o.NPoints;
        X = new double[N];
        Y = new double[N];
        // numpy.linspace: start + i·step, the last point exactly the end.
        double step = (o.XMax - o.XMin) / (N - 1);
        for (int i = 0; i < N; i++)
        {
            X[i] = i == N - 1 ? o.XMax : o.XMin + i * step;
            Y[i] = Math.Sin(X[i]);
        }
    }

    public int N { get; }
    public double[] X { get; }
    public double[] Y { get; }
}

/// <summary>
/// An expanded input matrix [N × D], row-major. Columns from <see cref="ResampleFrom"/> on are re-drawn as 0.5·N(0,1) on
/// every forward pass (the legacy Gaussian tail); before it everything is fixed.
/// </summary>
internal sealed class FeatureSet(double[] values, int n, int d, int resampleFrom, string mode)
{
    public double[] Values { get; } = values;
    public int N { get; } = n;
    public int D { get; } = d;
    public int ResampleFrom { get; } = resampleFrom;
    public string Mode { get; } = mode;

    /// <summary>True when the matrix never changes, so an unchanged genome's evaluation can be reused.</summary>
    public bool Deterministic => ResampleFrom >= D;

    /// <summary>The matrix of one forward pass: the fixed columns, and fresh Gaussian ones drawn from <paramref name="rng"/>.</summary>
    public void Resample(double[] buffer, RngStream rng)
    {
        Values.CopyTo(buffer, 0);
        for (int n = 0; n < N; n++)
            for (int j = ResampleFrom; j < D; j++) buffer[n * D + j] = 0.5 * Ziggurat.Normal(rng);
    }

    public double At(int n, int j) => Values[n * D + j];

    private double[]? _columns;

    /// <summary>Points rounded up to whole <see cref="Vector512{T}"/>s of doubles: the stride of <see cref="Columns"/>.</summary>
    public int PaddedN => (N + 7) & ~7;

    /// <summary>
    /// The matrix feature-major, <c>[D × PaddedN]</c> with zero padding: column j's values over the points are contiguous, so
    /// the dense forward pass vectorises over points (deterministic features only; built on first use).
    /// </summary>
    public double[] Columns
    {
        get
        {
            if (_columns is { } c) return c;
            int stride = PaddedN;
            var t = new double[D * stride];
            for (int i = 0; i < N; i++)
                for (int j = 0; j < D; j++) t[j * stride + i] = Values[i * D + j];
            return Interlocked.CompareExchange(ref _columns, t, null) ?? t;
        }
    }
}

/// <summary>The <c>features</c> slot: what fills the T true and M noise columns (spec §1, §6 IFeatureExpansion).</summary>
internal interface IFeatureExpansion
{
    /// <summary>The expanded inputs for <paramref name="task"/>.</summary>
    FeatureSet Build(TaskData task, FeatureOptions options);
}

/// <summary>The legacy input expansion's pieces, shared by the modes.</summary>
internal static class Expansion
{
    /// <summary>Legacy noise columns (the deterministic blocks); beyond this they are Gaussian.</summary>
    public const int LegacyNoiseBlocks = 240;

    /// <summary>The original's noise tables F, P, S drawn from <c>RandomState(seed)</c>.</summary>
    public static (double[] F, double[] P, double[] S) Tables(uint seed)
    {
        var mt = new Mt19937(seed);
        var f = new double[100];
        var p = new double[100];
        var s = new double[100];
        for (int i = 0; i < 100; i++) f[i] = mt.Uniform(0.1, 10);
        for (int i = 0; i < 100; i++) p[i] = mt.Uniform(0, 2 * Math.PI);
        for (int i = 0; i < 100; i++) s[i] = mt.Uniform(0.5, 2);
        return (f, p, s);
    }

    /// <summary>True column <paramref name="col"/> at x: xn, xn², xn³, sin(f·x) for f = 0.5..3, cos(f·x), then 0 (col 15 and beyond).</summary>
    public static double True(int col, double x, bool includeTarget)
    {
        double xn = x / (2 * Math.PI);
        return col switch
        {
            0 => xn,
            1 => xn * xn,
            2 => xn * xn * xn,
            4 when !includeTarget => 0,
            >= 3 and <= 8 => Math.Sin(0.5 * (col - 2) * x),
            >= 9 and <= 14 => Math.Cos(0.5 * (col - 8) * x),
            _ => 0,
        };
    }

    /// <summary>Legacy noise column <paramref name="j"/> (0-based within the noise block, j &lt; 240) at x.</summary>
    public static double LegacyNoise(int j, double x, double[] f, double[] p, double[] s)
    {
        double xn = x / (2 * Math.PI);
        switch (j)
        {
            case < 50: return Math.Sin(f[j] * x + p[j]);
            case < 100: return Math.Cos(f[j] * x + p[j]);
            case < 110: return -Math.Sin(0.5 * (j - 99) * x);
            case < 120: return -Math.Cos(0.5 * (j - 109) * x);
            case < 140: return Math.Pow(xn, j - 120 + 4);
            case < 160: { int i = j - 140; return Math.Sin(f[i] * x) * Math.Cos(f[20 + i] * x); }
            case < 180: return Math.Tanh(s[j - 160] * x);
            case < 200: return Math.Exp(-Math.Abs(0.3 * s[20 + j - 180] * x)) - 0.5;
            case < 220: return Math.Sign(Math.Sin(f[40 + j - 200] * x));
            default: { int i = j - 220; return CFmod(f[60 + i] * x + p[60 + i], 2) - 1; }
        }
    }

    /// <summary>C's fmod: the remainder keeps the dividend's sign (so fmod(·, 2) − 1 lies in (−3, 1)).</summary>
    public static double CFmod(double a, double b) => a % b;

    /// <summary>
    /// The true block, then M noise columns from <paramref name="noise"/> (column j, point i). With <paramref name="legacyTail"/>, columns
    /// j ≥ 240 are instead 0.5·N(0,1): re-drawn every forward pass if <c>gaussian_resample</c>, else drawn once from
    /// <paramref name="gaussian"/>.
    /// </summary>
    public static FeatureSet Build(TaskData task, FeatureOptions o, Func<int, int, double> noise, bool legacyTail, RngStream gaussian, string mode)
    {
        int t = o.TrueSize, m = o.NoiseSize, d = t + m, n = task.N;
        int computed = legacyTail ? Math.Min(m, LegacyNoiseBlocks) : m;
        var values = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double x = task.X[i];
            for (int c = 0; c < t; c++) values[i * d + c] = True(c, x, o.IncludeTargetFeature);
            for (int j = 0; j < computed; j++) values[i * d + t + j] = noise(j, i);
        }
        int resampleFrom = d;
        if (computed < m)
        {
            if (o.GaussianResample) resampleFrom = t + computed;
            else
                for (int i = 0; i < n; i++)
                    for (int j = t + computed; j < d; j++) values[i * d + j] = 0.5 * gaussian.NextNormal();
        }
        return new FeatureSet(values, n, d, resampleFrom, mode);
    }

    /// <summary>The original's layout: the 240 deterministic legacy noise columns cut at M, then the Gaussian tail.</summary>
    public static FeatureSet Legacy(TaskData task, FeatureOptions o, RngStream gaussian, string mode)
    {
        var (f, p, s) = Tables((uint)o.NoiseSeed);
        return Build(task, o, (j, i) => LegacyNoise(j, task.X[i], f, p, s), legacyTail: true, gaussian, mode);
    }

    /// <summary>Pearson correlation of column <paramref name="col"/> with the target (0 for a constant column).</summary>
    public static double Correlation(FeatureSet set, int col, double[] y) =>
        Correlation(Enumerable.Range(0, set.N).Select(i => set.At(i, col)).ToArray(), y);

    /// <summary>Pearson correlation of two equally long series (0 when either is constant).</summary>
    public static double Correlation(double[] x, double[] y)
    {
        int n = x.Length;
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double a = x[i] - mx, b = y[i] - my;
            sxy += a * b; sxx += a * a; syy += b * b;
        }
        return sxx < 1e-300 || syy < 1e-300 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}

/// <summary>Options of the <c>legacy</c> expansion (none: the sizes and seed live in <c>model.features</c>).</summary>
public sealed class LegacyFeatureOptions;

/// <summary>The original's expansion, leaks and all.</summary>
internal sealed class LegacyFeatures(RngStream rng) : IFeatureExpansion
{
    FeatureSet IFeatureExpansion.Build(TaskData task, FeatureOptions options) =>
        Expansion.Legacy(task, options, new RngStream(rng.GetState()), "legacy");
}

/// <summary>Options of <c>no_leak</c>.</summary>
public sealed class NoLeakOptions
{
    [System.ComponentModel.Description("Noise columns whose |Pearson r| with the target exceeds this are zeroed (the spec's leaky columns: 29, 59, 110, 117, 159, 169, 219 at 0.5). Range 0..1. Default 0.5.")]
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double MaxCorrelation { get; set; } = 0.5;
}

/// <summary>Legacy without the leaks: true column 4 (= the target) and every noise column correlated with the target are zeroed, keeping D.</summary>
internal sealed class NoLeakFeatures(NoLeakOptions options, RngStream rng) : IFeatureExpansion
{
    FeatureSet IFeatureExpansion.Build(TaskData task, FeatureOptions o)
    {
        var set = Expansion.Legacy(task, o, new RngStream(rng.GetState()), "no_leak");
        var zero = new List<int>();
        if (o.TrueSize > 4) zero.Add(4);
        for (int c = o.TrueSize; c < Math.Min(set.D, set.ResampleFrom); c++)
            if (Math.Abs(Expansion.Correlation(set, c, task.Y)) > options.MaxCorrelation) zero.Add(c);
        foreach (int c in zero)
            for (int i = 0; i < set.N; i++) set.Values[i * set.D + c] = 0;
        return set;
    }
}

/// <summary>Options of <c>gaussian_fixed</c>.</summary>
public sealed class GaussianFixedOptions
{
    [System.ComponentModel.Description("Seed of the fixed noise (the repo's later fix used 99999). Default 99999.")]
    public ulong Seed { get; set; } = 99999;
}

/// <summary>The repo's later fix: every noise column is 0.5·N(0,1), drawn once from a fixed seed.</summary>
internal sealed class GaussianFixedFeatures(GaussianFixedOptions options) : IFeatureExpansion
{
    FeatureSet IFeatureExpansion.Build(TaskData task, FeatureOptions o)
    {
        // Column-major draw order (column j for every point, then j + 1) so a wider M keeps the first columns.
        var rng = new RngStream(options.Seed);
        var noise = new double[o.NoiseSize, task.N];
        for (int j = 0; j < o.NoiseSize; j++)
            for (int i = 0; i < task.N; i++) noise[j, i] = 0.5 * rng.NextNormal();
        return Expansion.Build(task, o, (j, i) => noise[j, i], legacyTail: false, rng, "gaussian_fixed");
    }
}

/// <summary>Options of <c>clean_highfreq</c>.</summary>
public sealed class CleanHighFreqOptions
{
    [System.ComponentModel.Description("Seed of the frequencies and phases. Default 12345.")]
    public ulong Seed { get; set; } = 12345;

    [System.ComponentModel.Description("Lowest frequency (the repo's fix: 10). Default 10.")]
    public double MinFrequency { get; set; } = 10;

    [System.ComponentModel.Description("Frequencies are min_frequency + U(0, spread) (the repo's fix: 40). Default 40.")]
    public double Spread { get; set; } = 40;

    [System.ComponentModel.Description("Redraw a column whose |Pearson r| with the target exceeds this. On 100 points over [−2π, 2π] a frequency near 49.5 aliases to sin(x) itself, so the repo's 'clean' noise can leak (found here: r 0.98). 1 = never redraw (the repo). Range 0..1. Default 1.")]
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double MaxCorrelation { get; set; } = 1.0;
}

/// <summary>The repo's "clean" noise: alternating sin/cos at frequency 10 + U(0, 40) with a random phase, deterministic.</summary>
internal sealed class CleanHighFreqFeatures(CleanHighFreqOptions options) : IFeatureExpansion
{
    FeatureSet IFeatureExpansion.Build(TaskData task, FeatureOptions o)
    {
        var rng = new RngStream(options.Seed);
        int m = o.NoiseSize;
        var freq = new double[m];
        var phase = new double[m];
        var column = new double[task.N];
        for (int j = 0; j < m; j++)
            for (int attempt = 0; ; attempt++)
            {
                freq[j] = options.MinFrequency + options.Spread * rng.NextDouble();
                phase[j] = 2 * Math.PI * rng.NextDouble();
                for (int i = 0; i < task.N; i++) column[i] = Value(j, task.X[i], freq, phase);
                if (options.MaxCorrelation >= 1 || attempt >= 1000 || Math.Abs(Expansion.Correlation(column, task.Y)) <= options.MaxCorrelation) break;
            }
        return Expansion.Build(task, o, (j, i) => Value(j, task.X[i], freq, phase), legacyTail: false, rng, "clean_highfreq");
    }

    private static double Value(int j, double x, double[] freq, double[] phase) =>
        j % 2 == 0 ? Math.Sin(freq[j] * x + phase[j]) : Math.Cos(freq[j] * x + phase[j]);
}
