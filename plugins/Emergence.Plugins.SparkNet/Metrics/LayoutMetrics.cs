namespace Emergence.Plugins.SparkNet.Metrics;

/// <summary>Layout metrics of spec §5 on 2-D positions.</summary>
internal static class LayoutMetrics
{
    /// <summary>√(mean ‖P_i − centroid‖²).</summary>
    public static double RmsRadius(float[] x, float[] y)
    {
        double cx = 0, cy = 0;
        for (int i = 0; i < x.Length; i++) { cx += x[i]; cy += y[i]; }
        cx /= x.Length;
        cy /= x.Length;
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (x[i] - cx) * (x[i] - cx) + (y[i] - cy) * (y[i] - cy);
        return Math.Sqrt(sum / x.Length);
    }

    /// <summary>
    /// Clark–Evans ratio: mean nearest-neighbour distance ÷ (0.5/√density), density = n / bounding-box area.
    /// &gt; 1 even ("gas-like"), ≈ 1 random (Poisson), &lt; 1 clustered.
    /// </summary>
    public static double ClarkEvans(float[] x, float[] y)
    {
        int n = x.Length;
        if (n < 2) return double.NaN;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue, sumNn = 0;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, x[i]); maxX = Math.Max(maxX, x[i]);
            minY = Math.Min(minY, y[i]); maxY = Math.Max(maxY, y[i]);
            double best = double.MaxValue;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dx = x[i] - x[j], dy = y[i] - y[j];
                best = Math.Min(best, dx * dx + dy * dy);
            }
            sumNn += Math.Sqrt(best);
        }
        double area = (maxX - minX) * (maxY - minY);
        if (!(area > 0)) return double.NaN;
        return sumNn / n / (0.5 / Math.Sqrt(n / area));
    }

    /// <summary>
    /// Spearman rank correlation between W_ij and the layout distance ‖P_i − P_j‖ over the <paramref name="top"/>
    /// largest off-diagonal W entries (ties at the threshold taken in index order). Negative when strong edges are short.
    /// </summary>
    public static double WeightDistanceSpearman(float[] w, int n, float[] x, float[] y, int top, float[] scratch)
    {
        int count = 0;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j) scratch[count++] = w[i * n + j];
        top = Math.Min(top, count);
        if (top < 3) return double.NaN;
        float threshold = Selection.KthLargest(scratch.AsSpan(0, count), top);
        var weights = new double[top];
        var distances = new double[top];
        int above = 0;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j && w[i * n + j] > threshold) above++;
        int ties = top - above, k = 0;
        for (int i = 0; i < n && k < top; i++)
        for (int j = 0; j < n && k < top; j++)
        {
            if (i == j) continue;
            float v = w[i * n + j];
            if (v > threshold || (v == threshold && ties-- > 0))
            {
                weights[k] = v;
                double dx = x[i] - x[j], dy = y[i] - y[j];
                distances[k++] = Math.Sqrt(dx * dx + dy * dy);
            }
        }
        return Spearman(weights, distances);
    }

    /// <summary>Spearman's ρ: Pearson correlation of average ranks (ties share their mean rank).</summary>
    public static double Spearman(double[] a, double[] b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), cov = 0, va = 0, vb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : double.NaN;
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(order, (p, q) => values[p].CompareTo(values[q]) is var c && c != 0 ? c : p.CompareTo(q));
        var ranks = new double[values.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int m = i; m <= j; m++) ranks[order[m]] = rank;
            i = j + 1;
        }
        return ranks;
    }
}
