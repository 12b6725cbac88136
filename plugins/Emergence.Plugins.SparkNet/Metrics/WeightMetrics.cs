namespace Emergence.Plugins.SparkNet.Metrics;

/// <summary>
/// Weight-matrix metrics of spec §5 on A = |W| (n×n row-major, S = ΣA). All sums in double, index order.
/// Every method returns NaN when S = 0 where a ratio would be undefined.
/// </summary>
internal static class WeightMetrics
{
    /// <summary>Writes every weight metric under <c>w.*</c>.</summary>
    public static void Record(float[] w, int n, Action<string, double> record, float[] scratch)
    {
        double s = 0, sq = 0, max = double.NegativeInfinity, min = double.PositiveInfinity;
        long above = 0;
        foreach (float v in w)
        {
            double a = Math.Abs(v);
            s += a;
            sq += a * a;
            max = Math.Max(max, v);
            min = Math.Min(min, v);
            if (a > 0.01) above++;
        }
        record("w.sum_abs", s);
        record("w.frobenius", Math.Sqrt(sq));
        record("w.max", max);
        record("w.min", min);
        record("w.count_above_0_01", above);
        record("w.diag_ratio", DiagonalRatio(w, n));
        record("w.sbi", SequentialBiasIndex(w, n));
        record("w.band_ratio_2", BandRatio(w, n));
        record("w.entropy", Entropy(w, n));
        record("w.participation_ratio", s > 0 ? s * s / sq : double.NaN);
        record("w.top1pct_share", TopShare(w, 0.01, scratch));
        record("w.gini_rows", Gini(Strengths(w, n, rows: true)));
        record("w.gini_cols", Gini(Strengths(w, n, rows: false)));
        record("w.reciprocity", Reciprocity(w, n));
    }

    /// <summary>S = Σ|W|.</summary>
    public static double SumAbs(float[] w)
    {
        double s = 0;
        foreach (float v in w) s += Math.Abs(v);
        return s;
    }

    /// <summary>R_diag = mean_i A_ii / (S/n²): ≈1 unbiased, n for W = I.</summary>
    public static double DiagonalRatio(float[] w, int n)
    {
        double s = SumAbs(w), diag = 0;
        for (int i = 0; i < n; i++) diag += Math.Abs(w[i * n + i]);
        return s > 0 ? diag / n / (s / ((double)n * n)) : double.NaN;
    }

    /// <summary>L(d) = (1/n) Σ_i A[(i+d) mod n, i] for d = 0..n−1.</summary>
    public static double[] OffsetProfile(float[] w, int n)
    {
        var profile = new double[n];
        for (int d = 0; d < n; d++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Math.Abs(w[(i + d) % n * n + i]);
            profile[d] = sum / n;
        }
        return profile;
    }

    /// <summary>SBI = max over 1 ≤ |d| ≤ 10 of L(d), divided by the median of L over all d.</summary>
    public static double SequentialBiasIndex(float[] w, int n)
    {
        var profile = OffsetProfile(w, n);
        double best = 0;
        for (int d = 1; d <= Math.Min(10, n - 1); d++) best = Math.Max(best, Math.Max(profile[d], profile[(n - d) % n]));
        var sorted = (double[])profile.Clone();
        Array.Sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return median > 0 ? best / median : double.NaN;
    }

    /// <summary>B₂ = (Σ_{1≤|i−j|≤2} A / S) ÷ ((4n−6)/n²): ≈1 unbiased.</summary>
    public static double BandRatio(float[] w, int n)
    {
        double s = SumAbs(w), band = 0;
        for (int i = 0; i < n; i++)
        for (int j = Math.Max(0, i - 2); j <= Math.Min(n - 1, i + 2); j++)
            if (j != i) band += Math.Abs(w[i * n + j]);
        return s > 0 && n >= 2 ? band / s / ((4.0 * n - 6) / ((double)n * n)) : double.NaN;
    }

    /// <summary>Normalised entropy −Σ p ln p / ln n², p = A/S.</summary>
    public static double Entropy(float[] w, int n)
    {
        double s = SumAbs(w), h = 0;
        if (!(s > 0)) return double.NaN;
        foreach (float v in w)
        {
            double p = Math.Abs(v) / s;
            if (p > 0) h -= p * Math.Log(p);
        }
        return h / Math.Log((double)n * n);
    }

    /// <summary>Share of S held by the largest ⌈fraction·count⌉ entries of A (selection, no full sort).</summary>
    public static double TopShare(float[] w, double fraction, float[] scratch)
    {
        int k = Math.Max(1, (int)Math.Ceiling(fraction * w.Length));
        double s = 0;
        for (int i = 0; i < w.Length; i++) { scratch[i] = Math.Abs(w[i]); s += scratch[i]; }
        if (!(s > 0)) return double.NaN;
        float threshold = Selection.KthLargest(scratch.AsSpan(0, w.Length), k);
        double top = 0;
        int above = 0;
        foreach (float v in w)
        {
            float a = Math.Abs(v);
            if (a > threshold) { top += a; above++; }
        }
        top += (k - above) * (double)threshold;
        return top / s;
    }

    /// <summary>Row (edges into i) or column (edges out of j) sums of A.</summary>
    public static double[] Strengths(float[] w, int n, bool rows)
    {
        var result = new double[n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            result[rows ? i : j] += Math.Abs(w[i * n + j]);
        return result;
    }

    /// <summary>Gini coefficient of non-negative values: 0 equal, → 1 concentrated.</summary>
    public static double Gini(double[] values)
    {
        var x = (double[])values.Clone();
        Array.Sort(x);
        double sum = 0, weighted = 0;
        for (int i = 0; i < x.Length; i++) { sum += x[i]; weighted += (i + 1) * x[i]; }
        return sum > 0 ? 2 * weighted / (x.Length * sum) - (x.Length + 1.0) / x.Length : double.NaN;
    }

    /// <summary>Σ_{i≠j} min(A_ij, A_ji) / S: 1 for a symmetric off-diagonal matrix, 0 without two-way edges.</summary>
    public static double Reciprocity(float[] w, int n)
    {
        double s = SumAbs(w), r = 0;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j) r += Math.Min(Math.Abs(w[i * n + j]), Math.Abs(w[j * n + i]));
        return s > 0 ? r / s : double.NaN;
    }
}

/// <summary>Deterministic quickselect.</summary>
internal static class Selection
{
    /// <summary>The k-th largest value (k ≥ 1) of <paramref name="values"/>, which is reordered.</summary>
    public static float KthLargest(Span<float> values, int k)
    {
        int lo = 0, hi = values.Length - 1, target = k - 1;
        while (lo < hi)
        {
            float pivot = MedianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] > pivot) i++;
                while (values[j] < pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return values[target];
        }
        return values[target];
    }

    private static float MedianOfThree(float a, float b, float c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
