using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Emergence.Plugins.Genreg;

/// <summary>
/// The protein cascade (spec §2): 13 units beside the network that read (x, prediction, target) at sampled points and emit
/// trust. Parameters live in a flat array in <see cref="Layout"/> order; unit state is rebuilt on every evaluation.
/// </summary>
internal static class Proteins
{
    /// <summary>What a parameter is, which decides its mutation clamp.</summary>
    public enum Kind { Gain, Offset, Momentum, Scale, Mode, Threshold, Decay, Bias }

    /// <summary>(unit, parameter, kind, default) in genome order.</summary>
    public static readonly (string Unit, string Param, Kind Kind, double Default)[] Layout =
    [
        ("sensor_x", "gain", Kind.Gain, 1), ("sensor_x", "offset", Kind.Offset, 0),
        ("sensor_pred", "gain", Kind.Gain, 1), ("sensor_pred", "offset", Kind.Offset, 0),
        ("sensor_target", "gain", Kind.Gain, 1), ("sensor_target", "offset", Kind.Offset, 0),
        ("trend_x", "momentum", Kind.Momentum, 0.9), ("trend_x", "scale", Kind.Scale, 1),
        ("trend_pred", "momentum", Kind.Momentum, 0.9), ("trend_pred", "scale", Kind.Scale, 1),
        ("trend_target", "momentum", Kind.Momentum, 0.9), ("trend_target", "scale", Kind.Scale, 1),
        ("error_comparator", "mode", Kind.Mode, 0), ("error_comparator", "threshold", Kind.Threshold, 0),
        ("trend_comparator", "mode", Kind.Mode, 0), ("trend_comparator", "threshold", Kind.Threshold, 0),
        ("error_integrator", "decay", Kind.Decay, 0.1), ("error_integrator", "scale", Kind.Scale, 1),
        ("trend_integrator", "decay", Kind.Decay, 0.05), ("trend_integrator", "scale", Kind.Scale, 1),
        ("trust_error", "scale", Kind.Scale, -0.1), ("trust_error", "gain", Kind.Gain, 2), ("trust_error", "bias", Kind.Bias, 0),
        ("trust_trend", "scale", Kind.Scale, 0.05), ("trust_trend", "gain", Kind.Gain, 1), ("trust_trend", "bias", Kind.Bias, 0),
        ("trust_instant", "scale", Kind.Scale, -0.05), ("trust_instant", "gain", Kind.Gain, 1), ("trust_instant", "bias", Kind.Bias, 0),
    ];

    public const int Units = 13;
    public static int Count => Layout.Length;

    /// <summary>The default parameters of a fresh genome.</summary>
    public static double[] Defaults() => Layout.Select(l => l.Default).ToArray();

    /// <summary>
    /// Mutates a clone's parameters: each with probability <paramref name="rate"/> gets N(0, scale²), then the clamp of its
    /// kind (scale [−0.2, 0.2] — which also hits the trend and integrator scales that start at 1 — gain [−3, 3], momentum
    /// [0.5, 0.99], decay [0.01, 0.5], threshold [−10, 10]; offset, bias and mode are unclamped, so mode drifts).
    /// </summary>
    public static void Mutate(double[] p, double rate, double scale, Emergence.Contracts.Random.RngStream rng)
    {
        for (int i = 0; i < p.Length; i++)
        {
            if (rng.NextDouble() >= rate) continue;
            double v = p[i] + rng.NextNormal() * scale;
            p[i] = Layout[i].Kind switch
            {
                Kind.Scale => Math.Clamp(v, -0.2, 0.2),
                Kind.Gain => Math.Clamp(v, -3.0, 3.0),
                Kind.Momentum => Math.Clamp(v, 0.5, 0.99),
                Kind.Decay => Math.Clamp(v, 0.01, 0.5),
                Kind.Threshold => Math.Clamp(v, -10.0, 10.0),
                _ => v,
            };
        }
    }

    /// <summary>Python's int(mode) % 4: truncation toward zero, then a non-negative remainder.</summary>
    public static int ModeOf(double mode)
    {
        double t = Math.Truncate(mode);
        if (double.IsNaN(t) || Math.Abs(t) > 1e15) return 0;
        return (int)(((long)t % 4 + 4) % 4);
    }

    /// <summary>Genomes per batch of <see cref="RunBatch"/>: one <see cref="Vector512{T}"/> of doubles.</summary>
    public const int Lanes = 8;

    /// <summary>
    /// Runs the cascade over the sampled points (0, s, 2s, … with s = max(1, N div samples)) and returns the summed trust and
    /// the number of units whose last output exceeds <paramref name="threshold"/> in magnitude. The same arithmetic as one
    /// lane of <see cref="RunBatch"/>, so a genome's trust never depends on which path or batch evaluated it.
    /// </summary>
    public static (double Trust, int Saturated) Run(double[] p, double[] x, ReadOnlySpan<double> prediction, double[] target,
        int samples, bool legacyReset, double threshold)
    {
        Span<double> trust = stackalloc double[1];
        Span<int> saturated = stackalloc int[1];
        var predictions = new double[x.Length];
        prediction.CopyTo(predictions);
        RunBatch([p], x, [predictions], target, samples, legacyReset, threshold, trust, saturated);
        return (trust[0], saturated[0]);
    }

    /// <summary>
    /// The cascade of up to <see cref="Lanes"/> genomes at once, one genome per vector lane (spec §2, the units of
    /// <c>proteins.py</c> fused): every unit's tanh goes through <see cref="TensorPrimitives.Tanh{T}(ReadOnlySpan{T}, Span{T})"/>
    /// over whole vectors, comparator modes are selected per lane. Unused lanes repeat the first genome.
    /// </summary>
    public static void RunBatch(ReadOnlySpan<double[]> parameters, double[] x, ReadOnlySpan<double[]> predictions, double[] target,
        int samples, bool legacyReset, double threshold, Span<double> trust, Span<int> saturated)
    {
        int lanes = parameters.Length;
        if (lanes is < 1 or > Lanes) throw new ArgumentOutOfRangeException(nameof(parameters), lanes, $"1..{Lanes} genomes per batch");
        // P[k] holds parameter k of every lane.
        Span<double> pk = stackalloc double[Count * Lanes];
        for (int k = 0; k < Count; k++)
            for (int l = 0; l < Lanes; l++) pk[k * Lanes + l] = parameters[l < lanes ? l : 0][k];
        ReadOnlySpan<double> all = pk;
        var errMode = Mode(all, 12); var trMode = Mode(all, 14);
        int n = x.Length, stride = Math.Max(1, n / samples);
        int steps = Math.Min(samples, (n + stride - 1) / stride);
        if (steps <= 0)
        {
            trust[..lanes].Clear();
            saturated[..lanes].Clear();
            return;
        }
        // Level by level over all sampled points: a unit's inputs at every point are known once the level below is done
        // (the sensors read only the data; trends and integrators are recurrences without a tanh inside), so each level's
        // tanh runs once over [units × steps × lanes]. Element by element this is the point-by-point cascade.
        int block = steps * Lanes;
        var scratch = t_scratch is { } sc && sc.Length >= Units * block ? sc : t_scratch = new double[Units * block];
        var sens = scratch.AsSpan(0, 3 * block);        // sensor x, pred, target
        var trnd = scratch.AsSpan(3 * block, 3 * block); // trend x, pred, target
        var cmp = scratch.AsSpan(6 * block, 2 * block);  // error, trend comparators
        var integ = scratch.AsSpan(8 * block, 2 * block); // error, trend integrators
        var tr = scratch.AsSpan(10 * block, 3 * block);  // trust error, trend, instant
        var one = Vector512<double>.One;
        Span<double> pl = stackalloc double[Lanes];

        var sensX = new Sensor(legacyReset); var sensP = new Sensor(legacyReset); var sensT = new Sensor(legacyReset);
        var gx = P(all, 0); var ox = P(all, 1); var gp = P(all, 2); var op = P(all, 3); var gt = P(all, 4); var ot = P(all, 5);
        for (int t = 0, i = 0; t < steps; t++, i += stride)
        {
            for (int l = 0; l < Lanes; l++) pl[l] = predictions[l < lanes ? l : 0][i];
            Store(gx * sensX.Normalise(Vector512.Create(x[i])) + ox, sens, 0, t, block);
            Store(gp * sensP.Normalise(Vector512.Create((ReadOnlySpan<double>)pl)) + op, sens, 1, t, block);
            Store(gt * sensT.Normalise(Vector512.Create(target[i])) + ot, sens, 2, t, block);
        }
        TensorPrimitives.Tanh(sens, sens);

        // Trends: EMAs of the sensors' changes (previous output starts at 0).
        for (int u = 0; u < 3; u++)
        {
            var m = P(all, 6 + 2 * u);
            var cm = one - m;
            var scale = P(all, 7 + 2 * u);
            Vector512<double> ema = default, prev = default;
            for (int t = 0; t < steps; t++)
            {
                var sv = Load(sens, u, t, block);
                ema = m * ema + cm * (sv - prev);
                prev = sv;
                Store(scale * ema, trnd, u, t, block);
            }
        }
        TensorPrimitives.Tanh(trnd, trnd);

        // Comparators: sensor pred vs target, trend pred vs target; modes per lane.
        var eps = Vector512.Create(1e-6);
        var modes = (Mode(all, 12), Mode(all, 14));
        for (int t = 0; t < steps; t++)
        {
            Store(CompareArgument(Load(sens, 1, t, block), Load(sens, 2, t, block), modes.Item1, eps), cmp, 0, t, block);
            Store(CompareArgument(Load(trnd, 1, t, block), Load(trnd, 2, t, block), modes.Item2, eps), cmp, 1, t, block);
        }
        TensorPrimitives.Tanh(cmp, cmp);
        var thresholds = (P(all, 13), P(all, 15));
        for (int t = 0; t < steps; t++)
        {
            Store(CompareSelect(Load(cmp, 0, t, block), Load(sens, 1, t, block), Load(sens, 2, t, block), modes.Item1, thresholds.Item1), cmp, 0, t, block);
            Store(CompareSelect(Load(cmp, 1, t, block), Load(trnd, 1, t, block), Load(trnd, 2, t, block), modes.Item2, thresholds.Item2), cmp, 1, t, block);
        }

        // Integrators: leaky sums of the comparators.
        for (int u = 0; u < 2; u++)
        {
            var keep = one - Vector512.Clamp(P(all, 16 + 2 * u), Vector512.Create(0.001), Vector512.Create(0.5));
            var scale = P(all, 17 + 2 * u);
            Vector512<double> acc = default;
            for (int t = 0; t < steps; t++)
            {
                acc = acc * keep + Load(cmp, u, t, block);
                Store(scale * acc, integ, u, t, block);
            }
        }
        TensorPrimitives.Tanh(integ, integ);

        // Trust units: error integrator, trend integrator, the instant error comparator.
        var (te1, te2, tr1, tr2, ti1, ti2) = (P(all, 21), P(all, 22), P(all, 24), P(all, 25), P(all, 27), P(all, 28));
        for (int t = 0; t < steps; t++)
        {
            Store(te1 * Load(integ, 0, t, block) + te2, tr, 0, t, block);
            Store(tr1 * Load(integ, 1, t, block) + tr2, tr, 1, t, block);
            Store(ti1 * Load(cmp, 0, t, block) + ti2, tr, 2, t, block);
        }
        TensorPrimitives.Tanh(tr, tr);
        var (te0, tr0, ti0) = (P(all, 20), P(all, 23), P(all, 26));
        Vector512<double> total = default;
        for (int t = 0; t < steps; t++)
        {
            var oTe = te0 * Load(tr, 0, t, block);
            var oTtr = tr0 * Load(tr, 1, t, block);
            var oTi = ti0 * Load(tr, 2, t, block);
            total += oTe + oTtr + oTi;
            if (t == steps - 1)
            {
                Store(oTe, tr, 0, t, block);
                Store(oTtr, tr, 1, t, block);
                Store(oTi, tr, 2, t, block);
            }
        }

        // Units in scratch order (sensors, trends, comparators, integrators, trust) at the last point.
        int lastStep = steps - 1;
        for (int l = 0; l < lanes; l++)
        {
            trust[l] = total[l];
            int sat = 0;
            for (int u = 0; u < Units; u++) sat += Math.Abs(scratch[u * block + lastStep * Lanes + l]) > threshold ? 1 : 0;
            saturated[l] = sat;
        }
    }

    [ThreadStatic] private static double[]? t_scratch;

    private static Vector512<double> Load(Span<double> level, int unit, int step, int block) =>
        Vector512.Create((ReadOnlySpan<double>)level.Slice(unit * block + step * Lanes, Lanes));

    private static void Store(Vector512<double> v, Span<double> level, int unit, int step, int block) =>
        v.CopyTo(level.Slice(unit * block + step * Lanes, Lanes));

    /// <summary>What a comparator takes the tanh of: a / (b + 1e-6) in mode 1, a − b otherwise (modes 2 and 3 ignore it).</summary>
    private static Vector512<double> CompareArgument(Vector512<double> a, Vector512<double> b, Vector512<double> mode, Vector512<double> eps) =>
        Vector512.ConditionalSelect(Vector512.Equals(mode, Vector512<double>.One), a / (b + eps), a - b);

    /// <summary>A comparator's output by mode (Python's int(mode) % 4): 0, 1 the tanh; 2 ±1 as a &gt; b + threshold; 3 ±1 as a &lt; b − threshold.</summary>
    private static Vector512<double> CompareSelect(Vector512<double> tanh, Vector512<double> a, Vector512<double> b, Vector512<double> mode, Vector512<double> t)
    {
        var one = Vector512<double>.One;
        var above = Vector512.ConditionalSelect(Vector512.GreaterThan(a, b + t), one, -one);
        var below = Vector512.ConditionalSelect(Vector512.LessThan(a, b - t), one, -one);
        var r = Vector512.ConditionalSelect(Vector512.Equals(mode, Vector512.Create(2.0)), above, tanh);
        return Vector512.ConditionalSelect(Vector512.Equals(mode, Vector512.Create(3.0)), below, r);
    }

    private static Vector512<double> P(ReadOnlySpan<double> all, int k) => Vector512.Create(all.Slice(k * Lanes, Lanes));

    private static Vector512<double> Mode(ReadOnlySpan<double> all, int k)
    {
        Span<double> m = stackalloc double[Lanes];
        for (int l = 0; l < Lanes; l++) m[l] = ModeOf(all[k * Lanes + l]);
        return Vector512.Create((ReadOnlySpan<double>)m);
    }

    /// <summary>One sensor's state, per lane.</summary>
    private struct Sensor(bool legacyReset)
    {
        // The legacy reset zeroes every numeric state, including alpha and the ±∞ range.
        private Vector512<double> _min = Vector512.Create(legacyReset ? 0 : double.PositiveInfinity);
        private Vector512<double> _max = Vector512.Create(legacyReset ? 0 : double.NegativeInfinity);
        private readonly Vector512<double> _alpha = Vector512.Create(legacyReset ? 0 : 0.01);

        /// <summary>Updates the range with <paramref name="v"/> and returns v scaled to [−1, 1] within it (0 for a range ≤ 1e-6).</summary>
        public Vector512<double> Normalise(Vector512<double> v)
        {
            _min = Vector512.ConditionalSelect(Vector512.LessThan(v, _min), v, _min + _alpha * (v - _min));
            _max = Vector512.ConditionalSelect(Vector512.GreaterThan(v, _max), v, _max + _alpha * (v - _max));
            var range = _max - _min;
            var norm = Vector512.Create(2.0) * (v - _min) / range - Vector512<double>.One;
            return Vector512.ConditionalSelect(Vector512.GreaterThan(range, Vector512.Create(1e-6)), norm, Vector512<double>.Zero);
        }
    }
}
