namespace Emergence.Plugins.SparkNet.Metrics;

/// <summary>Metrics of the memory field and the activations (spec §5).</summary>
internal static class FieldMetrics
{
    /// <summary>Normalised entropy −Σ p ln p / ln n of non-negative values (p = v/Σv); NaN when Σv ≤ 0.</summary>
    public static double NormalisedEntropy(ReadOnlySpan<float> values)
    {
        double sum = 0, h = 0;
        foreach (float v in values) sum += Math.Max(v, 0f);
        if (!(sum > 0) || values.Length < 2) return double.NaN;
        foreach (float v in values)
        {
            double p = Math.Max(v, 0f) / sum;
            if (p > 0) h -= p * Math.Log(p);
        }
        return h / Math.Log(values.Length);
    }

    /// <summary>Normalised entropy of counts.</summary>
    public static double NormalisedEntropy(ReadOnlySpan<long> counts)
    {
        double sum = 0, h = 0;
        foreach (long c in counts) sum += c;
        if (!(sum > 0) || counts.Length < 2) return double.NaN;
        foreach (long c in counts)
            if (c > 0) h -= c / sum * Math.Log(c / sum);
        return h / Math.Log(counts.Length);
    }

    /// <summary>Records mem.* and s.* metrics.</summary>
    public static void Record(float[] m, float[] s, Action<string, double> record)
    {
        double sumM = 0, maxM = double.NegativeInfinity, sumS = 0, sqS = 0;
        int saturated = 0;
        foreach (float v in m) { sumM += v; maxM = Math.Max(maxM, v); }
        foreach (float v in s) { sumS += v; sqS += (double)v * v; if (v >= 0.99f) saturated++; }
        double mean = sumS / s.Length;
        record("mem.sum", sumM);
        record("mem.max", maxM);
        record("mem.entropy", NormalisedEntropy(m));
        record("s.mean", mean);
        record("s.std", Math.Sqrt(Math.Max(sqS / s.Length - mean * mean, 0)));
        record("s.frac_saturated", (double)saturated / s.Length);
    }
}
