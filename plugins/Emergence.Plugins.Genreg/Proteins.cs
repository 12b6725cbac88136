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

    private static double Compare(double a, double b, double mode, double threshold) => ModeOf(mode) switch
    {
        0 => Math.Tanh(a - b),
        1 => Math.Tanh(a / (b + 1e-6)),
        2 => a > b + threshold ? 1.0 : -1.0,
        _ => a < b - threshold ? 1.0 : -1.0,
    };

    /// <summary>One sensor's state.</summary>
    private struct Sensor(bool legacyReset)
    {
        // The legacy reset zeroes every numeric state, including alpha and the ±∞ range.
        private double _min = legacyReset ? 0 : double.PositiveInfinity, _max = legacyReset ? 0 : double.NegativeInfinity;
        private readonly double _alpha = legacyReset ? 0 : 0.01;

        public double Step(double v, double gain, double offset)
        {
            if (v < _min) _min = v; else _min += _alpha * (v - _min);
            if (v > _max) _max = v; else _max += _alpha * (v - _max);
            double range = _max - _min;
            double norm = range > 1e-6 ? 2.0 * (v - _min) / range - 1.0 : 0.0;
            return Math.Tanh(gain * norm + offset);
        }
    }

    /// <summary>
    /// Runs the cascade over the sampled points (0, s, 2s, … with s = max(1, N div samples)) and returns the summed trust and
    /// the number of units whose last output exceeds <paramref name="threshold"/> in magnitude.
    /// </summary>
    public static (double Trust, int Saturated) Run(double[] p, double[] x, ReadOnlySpan<double> prediction, double[] target,
        int samples, bool legacyReset, double threshold)
    {
        int n = x.Length, stride = Math.Max(1, n / samples);
        var sx = new Sensor(legacyReset);
        var sp = new Sensor(legacyReset);
        var st = new Sensor(legacyReset);
        double prevX = 0, prevP = 0, prevT = 0, emaX = 0, emaP = 0, emaT = 0, accErr = 0, accTrend = 0, trust = 0;
        Span<double> outs = stackalloc double[Units];
        outs.Clear();
        for (int c = 0, i = 0; c < samples && i < n; c++, i += stride)
        {
            double oSx = sx.Step(x[i], p[0], p[1]);
            double oSp = sp.Step(prediction[i], p[2], p[3]);
            double oSt = st.Step(target[i], p[4], p[5]);
            emaX = p[6] * emaX + (1 - p[6]) * (oSx - prevX); prevX = oSx;
            emaP = p[8] * emaP + (1 - p[8]) * (oSp - prevP); prevP = oSp;
            emaT = p[10] * emaT + (1 - p[10]) * (oSt - prevT); prevT = oSt;
            double oTx = Math.Tanh(p[7] * emaX), oTp = Math.Tanh(p[9] * emaP), oTt = Math.Tanh(p[11] * emaT);
            double oErr = Compare(oSp, oSt, p[12], p[13]);
            double oTrendCmp = Compare(oTp, oTt, p[14], p[15]);
            accErr = accErr * (1 - Math.Clamp(p[16], 0.001, 0.5)) + oErr;
            accTrend = accTrend * (1 - Math.Clamp(p[18], 0.001, 0.5)) + oTrendCmp;
            double oIe = Math.Tanh(p[17] * accErr), oIt = Math.Tanh(p[19] * accTrend);
            double oTe = p[20] * Math.Tanh(p[21] * oIe + p[22]);
            double oTtr = p[23] * Math.Tanh(p[24] * oIt + p[25]);
            double oTi = p[26] * Math.Tanh(p[27] * oErr + p[28]);
            trust += oTe + oTtr + oTi;
            outs[0] = oSx; outs[1] = oSp; outs[2] = oSt; outs[3] = oTx; outs[4] = oTp; outs[5] = oTt; outs[6] = oErr; outs[7] = oTrendCmp;
            outs[8] = oIe; outs[9] = oIt; outs[10] = oTe; outs[11] = oTtr; outs[12] = oTi;
        }
        int saturated = 0;
        foreach (double o in outs) if (Math.Abs(o) > threshold) saturated++;
        return (trust, saturated);
    }
}
