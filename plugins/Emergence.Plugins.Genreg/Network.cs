using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Emergence.Contracts.Random;

namespace Emergence.Plugins.Genreg;

/// <summary>What one evaluation measured (spec §4). Everything a fitness strategy, a metric or a chart needs.</summary>
internal sealed class Evaluation
{
    public double Mse { get; init; }
    /// <summary>Summed protein trust (0 without proteins).</summary>
    public double Trust { get; set; }
    /// <summary>s_j: per hidden unit, the fraction of points with |h| above the threshold.</summary>
    public required double[] NeuronSaturation { get; init; }
    /// <summary>k: hidden units saturated on more than the majority of points (the sweep's k_mlp).</summary>
    public int KMlp { get; init; }
    /// <summary>The log's "saturation %": the mean of 1[|h| &gt; threshold] over all unit × point pairs.</summary>
    public double SaturationFraction { get; init; }
    /// <summary>Protein units whose last output exceeds the threshold (the third definition).</summary>
    public int KProteins { get; set; }
    /// <summary>mean |h| over units and points.</summary>
    public double MeanAbsActivation { get; init; }
    /// <summary>Predictions per point, kept only when asked for (charts).</summary>
    public double[]? Predictions { get; init; }
}

/// <summary>Per-thread buffers of an evaluation.</summary>
internal sealed class Workspace
{
    private double[] _pre = [];
    private double[] _x = [];
    private double[] _pred = [];
    private double[] _act = [];

    public double[] Pre(int length) => _pre.Length >= length ? _pre : _pre = new double[length];
    public double[] X(int length) => _x.Length >= length ? _x : _x = new double[length];
    public double[] Pred(int length) => _pred.Length >= length ? _pred : _pred = new double[length];
    public double[] Act(int length) => _act.Length >= length ? _act : _act = new double[length];
}

/// <summary>Forward passes and the metrics of one genome on the expanded inputs.</summary>
internal static class Network
{
    /// <summary>
    /// Evaluates <paramref name="g"/>: hidden activations, predictions, MSE, the three saturation measures and, if
    /// <paramref name="proteins"/>, the protein cascade's trust. <paramref name="gaussian"/> draws the re-sampled columns
    /// (legacy N5); it is unused when the features are deterministic.
    /// </summary>
    public static Evaluation Evaluate(Genome g, FeatureSet f, TaskData task, ModelOptions o, bool proteins, RngStream? gaussian,
        Workspace ws, bool keepPredictions = false)
    {
        int n = f.N, h = g.H;
        var act = ws.Act(n * h); // unit-major: act[j·N + i]
        HiddenPreActivations(g, f, gaussian, ws, act);

        double thr = o.Saturation.Threshold;
        var pred = ws.Pred(n).AsSpan(0, n);
        var a = act.AsSpan(0, n * h);
        System.Numerics.Tensors.TensorPrimitives.Tanh(a, a); // pre-activations become activations
        var satCount = new int[h];
        pred.Fill(g.B2[0]);
        double sumAbs = 0, se = 0;
        for (int j = 0; j < h; j++)
        {
            var unit = a.Slice(j * n, n);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(unit, g.W2[j], pred, pred);
            sumAbs += System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(unit);
            satCount[j] = CountAbove(unit, thr);
        }
        if (o.OutAct == OutputActivation.Tanh) System.Numerics.Tensors.TensorPrimitives.Tanh(pred, pred);
        for (int i = 0; i < n; i++)
        {
            double e = pred[i] - task.Y[i];
            se += e * e;
        }
        var s = new double[h];
        int k = 0, total = 0;
        for (int j = 0; j < h; j++)
        {
            s[j] = satCount[j] / (double)n;
            if (s[j] > o.Saturation.NeuronMajority) k++;
            total += satCount[j];
        }
        double trust = 0;
        int kp = 0;
        if (proteins && g.Proteins.Length > 0)
            (trust, kp) = Genreg.Proteins.Run(g.Proteins, task.X, pred, task.Y, o.Proteins.Samples, o.Proteins.LegacyResetBug, thr);
        return new Evaluation
        {
            Mse = se / n, Trust = trust, NeuronSaturation = s, KMlp = k, SaturationFraction = total / (double)(n * h), KProteins = kp,
            MeanAbsActivation = sumAbs / (n * h), Predictions = keepPredictions ? pred.ToArray() : null,
        };
    }

    /// <summary>How many of <paramref name="values"/> exceed <paramref name="threshold"/> in magnitude (branch-free).</summary>
    internal static int CountAbove(ReadOnlySpan<double> values, double threshold)
    {
        int count = 0, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var t = Vector512.Create(threshold);
            ref double r = ref MemoryMarshal.GetReference(values);
            for (; i + 8 <= values.Length; i += 8)
                count += BitOperations.PopCount(Vector512.GreaterThan(Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i)), t).ExtractMostSignificantBits());
        }
        for (; i < values.Length; i++) count += Math.Abs(values[i]) > threshold ? 1 : 0;
        return count;
    }

    /// <summary>
    /// Runs the protein cascade of <paramref name="genomes"/> on their evaluations (which kept their predictions) in batches of
    /// <see cref="Proteins.Lanes"/>, and stores each one's trust and saturated-unit count in its evaluation.
    /// </summary>
    public static void ProteinsOf(IReadOnlyList<Genome> genomes, IReadOnlyList<Evaluation> evaluations, TaskData task, ModelOptions o)
    {
        const int lanes = Proteins.Lanes;
        var parameters = new double[lanes][];
        var predictions = new double[lanes][];
        Span<double> trust = stackalloc double[lanes];
        Span<int> saturated = stackalloc int[lanes];
        for (int start = 0; start < genomes.Count; start += lanes)
        {
            int m = Math.Min(lanes, genomes.Count - start);
            for (int l = 0; l < m; l++)
            {
                parameters[l] = genomes[start + l].Proteins;
                predictions[l] = evaluations[start + l].Predictions ?? throw new ArgumentException("evaluations must keep their predictions", nameof(evaluations));
            }
            Proteins.RunBatch(parameters.AsSpan(0, m), task.X, predictions.AsSpan(0, m), task.Y, o.Proteins.Samples, o.Proteins.LegacyResetBug,
                o.Saturation.Threshold, trust, saturated);
            for (int l = 0; l < m; l++) (evaluations[start + l].Trust, evaluations[start + l].KProteins) = (trust[l], saturated[l]);
        }
    }

    /// <summary>The hidden pre-activations, unit-major (<c>pre[j·N + i]</c>).</summary>
    public static void HiddenPreActivations(Genome g, FeatureSet f, RngStream? gaussian, Workspace ws, double[] destination)
    {
        int n = f.N, d = f.D, h = g.H;
        double[] x = f.Values;
        if (!f.Deterministic)
        {
            x = ws.X(n * d);
            f.Resample(x, gaussian ?? throw new ArgumentNullException(nameof(gaussian), "re-sampled features need a stream"));
        }
        if (!g.Sparse && f.Deterministic && h % 4 == 0 && Vector512.IsHardwareAccelerated)
        {
            HiddenDenseByColumns(g, f.Columns, n, f.PaddedN, d, destination);
            return;
        }
        var pre = ws.Pre(n * h);
        if (g.Sparse) HiddenSparse(g, x, n, d, pre);
        else HiddenDense(g, x, n, d, pre);
        Transpose(pre, n, h, destination);
    }

    /// <summary>
    /// Dense pre-activations straight into unit-major order from the feature-major inputs <paramref name="columns"/>
    /// (<c>[D × stride]</c>): vectorised over points, 8 hidden units × 16 points in 16 registers per pass over the inputs, so each
    /// loaded column vector feeds 8 FMAs. Every element is b1[j] + x[i,0]·W1[0,j] + x[i,1]·W1[1,j] + … fused in input order,
    /// exactly as <see cref="HiddenDense"/> does, so the two agree bit for bit. Needs H a multiple of 4 (groups of 8 units,
    /// then one of 4).
    /// </summary>
    internal static void HiddenDenseByColumns(Genome g, double[] columns, int n, int stride, int d, double[] destination)
    {
        int h = g.H;
        if (h % 4 != 0) throw new ArgumentException($"H = {h} is not a multiple of 4", nameof(g));
        ref double wr = ref MemoryMarshal.GetArrayDataReference(g.W1);
        ref double xr = ref MemoryMarshal.GetArrayDataReference(columns);
        ref double dr = ref MemoryMarshal.GetArrayDataReference(destination);
        Span<double> tail = stackalloc double[8 * 16];
        int full = h - h % 8;
        if (full < h) FourUnits(g, full, ref xr, n, stride, d, destination, tail);
        for (int j0 = 0; j0 < full; j0 += 8)
        {
            ref double w = ref Unsafe.Add(ref wr, j0);
            var b0 = Vector512.Create(g.B1[j0]); var b1 = Vector512.Create(g.B1[j0 + 1]);
            var b2 = Vector512.Create(g.B1[j0 + 2]); var b3 = Vector512.Create(g.B1[j0 + 3]);
            var b4 = Vector512.Create(g.B1[j0 + 4]); var b5 = Vector512.Create(g.B1[j0 + 5]);
            var b6 = Vector512.Create(g.B1[j0 + 6]); var b7 = Vector512.Create(g.B1[j0 + 7]);
            for (int i = 0; i < n; i += 16)
            {
                bool two = i + 8 < n;
                Vector512<double> a0 = b0, a1 = b1, a2 = b2, a3 = b3, a4 = b4, a5 = b5, a6 = b6, a7 = b7;
                Vector512<double> c0 = b0, c1 = b1, c2 = b2, c3 = b3, c4 = b4, c5 = b5, c6 = b6, c7 = b7;
                ref double xc = ref Unsafe.Add(ref xr, i);
                if (two)
                {
                    for (int c = 0; c < d; c++)
                    {
                        var x0 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride));
                        var x1 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride + 8));
                        ref double wc = ref Unsafe.Add(ref w, c * h);
                        var v = Vector512.Create(wc); a0 = Vector512.FusedMultiplyAdd(x0, v, a0); c0 = Vector512.FusedMultiplyAdd(x1, v, c0);
                        v = Vector512.Create(Unsafe.Add(ref wc, 1)); a1 = Vector512.FusedMultiplyAdd(x0, v, a1); c1 = Vector512.FusedMultiplyAdd(x1, v, c1);
                        v = Vector512.Create(Unsafe.Add(ref wc, 2)); a2 = Vector512.FusedMultiplyAdd(x0, v, a2); c2 = Vector512.FusedMultiplyAdd(x1, v, c2);
                        v = Vector512.Create(Unsafe.Add(ref wc, 3)); a3 = Vector512.FusedMultiplyAdd(x0, v, a3); c3 = Vector512.FusedMultiplyAdd(x1, v, c3);
                        v = Vector512.Create(Unsafe.Add(ref wc, 4)); a4 = Vector512.FusedMultiplyAdd(x0, v, a4); c4 = Vector512.FusedMultiplyAdd(x1, v, c4);
                        v = Vector512.Create(Unsafe.Add(ref wc, 5)); a5 = Vector512.FusedMultiplyAdd(x0, v, a5); c5 = Vector512.FusedMultiplyAdd(x1, v, c5);
                        v = Vector512.Create(Unsafe.Add(ref wc, 6)); a6 = Vector512.FusedMultiplyAdd(x0, v, a6); c6 = Vector512.FusedMultiplyAdd(x1, v, c6);
                        v = Vector512.Create(Unsafe.Add(ref wc, 7)); a7 = Vector512.FusedMultiplyAdd(x0, v, a7); c7 = Vector512.FusedMultiplyAdd(x1, v, c7);
                    }
                }
                else
                {
                    for (int c = 0; c < d; c++)
                    {
                        var x0 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride));
                        ref double wc = ref Unsafe.Add(ref w, c * h);
                        a0 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(wc), a0);
                        a1 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 1)), a1);
                        a2 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 2)), a2);
                        a3 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 3)), a3);
                        a4 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 4)), a4);
                        a5 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 5)), a5);
                        a6 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 6)), a6);
                        a7 = Vector512.FusedMultiplyAdd(x0, Vector512.Create(Unsafe.Add(ref wc, 7)), a7);
                    }
                }
                int m = Math.Min(16, n - i);
                if (m == 16)
                {
                    ref double o = ref Unsafe.Add(ref dr, j0 * n + i);
                    a0.StoreUnsafe(ref o); c0.StoreUnsafe(ref o, 8); a1.StoreUnsafe(ref o, (nuint)n); c1.StoreUnsafe(ref o, (nuint)(n + 8));
                    a2.StoreUnsafe(ref o, (nuint)(2 * n)); c2.StoreUnsafe(ref o, (nuint)(2 * n + 8));
                    a3.StoreUnsafe(ref o, (nuint)(3 * n)); c3.StoreUnsafe(ref o, (nuint)(3 * n + 8));
                    a4.StoreUnsafe(ref o, (nuint)(4 * n)); c4.StoreUnsafe(ref o, (nuint)(4 * n + 8));
                    a5.StoreUnsafe(ref o, (nuint)(5 * n)); c5.StoreUnsafe(ref o, (nuint)(5 * n + 8));
                    a6.StoreUnsafe(ref o, (nuint)(6 * n)); c6.StoreUnsafe(ref o, (nuint)(6 * n + 8));
                    a7.StoreUnsafe(ref o, (nuint)(7 * n)); c7.StoreUnsafe(ref o, (nuint)(7 * n + 8));
                    continue;
                }
                // The last, partial block: through a buffer so nothing is written past unit j's n points.
                ref double t = ref MemoryMarshal.GetReference(tail);
                a0.StoreUnsafe(ref t); c0.StoreUnsafe(ref t, 8); a1.StoreUnsafe(ref t, 16); c1.StoreUnsafe(ref t, 24);
                a2.StoreUnsafe(ref t, 32); c2.StoreUnsafe(ref t, 40); a3.StoreUnsafe(ref t, 48); c3.StoreUnsafe(ref t, 56);
                a4.StoreUnsafe(ref t, 64); c4.StoreUnsafe(ref t, 72); a5.StoreUnsafe(ref t, 80); c5.StoreUnsafe(ref t, 88);
                a6.StoreUnsafe(ref t, 96); c6.StoreUnsafe(ref t, 104); a7.StoreUnsafe(ref t, 112); c7.StoreUnsafe(ref t, 120);
                for (int u = 0; u < 8; u++) tail.Slice(u * 16, m).CopyTo(destination.AsSpan((j0 + u) * n + i, m));
            }
        }
    }

    private static void Transpose(double[] rowMajor, int n, int h, double[] unitMajor)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < h; j++) unitMajor[j * n + i] = rowMajor[i * h + j];
    }

    /// <summary>Units j0 … j0+3 of <see cref="HiddenDenseByColumns"/>: 4 units × 32 points in 16 registers.</summary>
    private static void FourUnits(Genome g, int j0, ref double xr, int n, int stride, int d, double[] destination, Span<double> tail)
    {
        int h = g.H;
        ref double w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(g.W1), j0);
        var b0 = Vector512.Create(g.B1[j0]); var b1 = Vector512.Create(g.B1[j0 + 1]);
        var b2 = Vector512.Create(g.B1[j0 + 2]); var b3 = Vector512.Create(g.B1[j0 + 3]);
        for (int i = 0; i < n; i += 32)
        {
            Vector512<double> a0 = b0, a1 = b1, a2 = b2, a3 = b3, c0 = b0, c1 = b1, c2 = b2, c3 = b3;
            Vector512<double> e0 = b0, e1 = b1, e2 = b2, e3 = b3, f0 = b0, f1 = b1, f2 = b2, f3 = b3;
            ref double xc = ref Unsafe.Add(ref xr, i);
            int vectors = Math.Min(4, (stride - i) / 8); // never past the padded row (stride is n rounded up to 8)
            for (int c = 0; c < d; c++)
            {
                ref double wc = ref Unsafe.Add(ref w, c * h);
                var w0 = Vector512.Create(wc); var w1 = Vector512.Create(Unsafe.Add(ref wc, 1));
                var w2 = Vector512.Create(Unsafe.Add(ref wc, 2)); var w3 = Vector512.Create(Unsafe.Add(ref wc, 3));
                var x0 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride));
                a0 = Vector512.FusedMultiplyAdd(x0, w0, a0); a1 = Vector512.FusedMultiplyAdd(x0, w1, a1);
                a2 = Vector512.FusedMultiplyAdd(x0, w2, a2); a3 = Vector512.FusedMultiplyAdd(x0, w3, a3);
                if (vectors < 2) continue;
                var x1 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride + 8));
                c0 = Vector512.FusedMultiplyAdd(x1, w0, c0); c1 = Vector512.FusedMultiplyAdd(x1, w1, c1);
                c2 = Vector512.FusedMultiplyAdd(x1, w2, c2); c3 = Vector512.FusedMultiplyAdd(x1, w3, c3);
                if (vectors < 3) continue;
                var x2 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride + 16));
                e0 = Vector512.FusedMultiplyAdd(x2, w0, e0); e1 = Vector512.FusedMultiplyAdd(x2, w1, e1);
                e2 = Vector512.FusedMultiplyAdd(x2, w2, e2); e3 = Vector512.FusedMultiplyAdd(x2, w3, e3);
                if (vectors < 4) continue;
                var x3 = Vector512.LoadUnsafe(ref xc, (nuint)(c * stride + 24));
                f0 = Vector512.FusedMultiplyAdd(x3, w0, f0); f1 = Vector512.FusedMultiplyAdd(x3, w1, f1);
                f2 = Vector512.FusedMultiplyAdd(x3, w2, f2); f3 = Vector512.FusedMultiplyAdd(x3, w3, f3);
            }
            int m = Math.Min(32, n - i);
            Span<Vector512<double>> unit0 = [a0, c0, e0, f0];
            Span<Vector512<double>> unit1 = [a1, c1, e1, f1];
            Span<Vector512<double>> unit2 = [a2, c2, e2, f2];
            Span<Vector512<double>> unit3 = [a3, c3, e3, f3];
            for (int u = 0; u < 4; u++)
            {
                var vs = u switch { 0 => unit0, 1 => unit1, 2 => unit2, _ => unit3 };
                for (int v = 0; v < 4; v++) vs[v].CopyTo(tail[(8 * v)..]);
                tail[..m].CopyTo(destination.AsSpan((j0 + u) * n + i, m));
            }
        }
    }

    /// <summary>pre[i, j] = b1[j] + Σ_d x[i, d]·W1[d, j], one input row at a time (vectorised over the hidden units).</summary>
    internal static void HiddenDense(Genome g, double[] x, int n, int d, double[] pre)
    {
        int h = g.H;
        var w = g.W1;
        if (h == 8 && Vector512.IsHardwareAccelerated)
        {
            // All 8 hidden units in one register; 4 points at a time so 4 independent FMA chains hide the latency.
            ref double wr = ref MemoryMarshal.GetArrayDataReference(w);
            ref double xr = ref MemoryMarshal.GetArrayDataReference(x);
            ref double pr = ref MemoryMarshal.GetArrayDataReference(pre);
            var b = Vector512.Create(g.B1.AsSpan());
            int i = 0;
            for (; i + 4 <= n; i += 4)
            {
                Vector512<double> a0 = b, a1 = b, a2 = b, a3 = b;
                ref double x0 = ref Unsafe.Add(ref xr, i * d);
                ref double x1 = ref Unsafe.Add(ref x0, d);
                ref double x2 = ref Unsafe.Add(ref x1, d);
                ref double x3 = ref Unsafe.Add(ref x2, d);
                for (int c = 0; c < d; c++)
                {
                    var wv = Vector512.LoadUnsafe(ref wr, (nuint)(c * 8));
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x0, c)), wv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x1, c)), wv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x2, c)), wv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x3, c)), wv, a3);
                }
                a0.StoreUnsafe(ref pr, (nuint)(i * 8));
                a1.StoreUnsafe(ref pr, (nuint)(i * 8 + 8));
                a2.StoreUnsafe(ref pr, (nuint)(i * 8 + 16));
                a3.StoreUnsafe(ref pr, (nuint)(i * 8 + 24));
            }
            for (; i < n; i++)
            {
                var acc = b;
                ref double xi = ref Unsafe.Add(ref xr, i * d);
                for (int c = 0; c < d; c++)
                    acc = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xi, c)), Vector512.LoadUnsafe(ref wr, (nuint)(c * 8)), acc);
                acc.StoreUnsafe(ref pr, (nuint)(i * 8));
            }
            return;
        }
        // Any H: fused multiply-adds in input order, the same rounding as the vector kernels.
        for (int i = 0; i < n; i++)
        {
            var acc = pre.AsSpan(i * h, h);
            g.B1.CopyTo(acc);
            int row = i * d;
            for (int c = 0; c < d; c++)
            {
                double xv = x[row + c];
                var wr = w.AsSpan(c * h, h);
                for (int j = 0; j < h; j++) acc[j] = Math.FusedMultiplyAdd(xv, wr[j], acc[j]);
            }
        }
    }

    /// <summary>pre[i, j] = b1[j] + Σ_k w1[j, k]·x[i, idx[j, k]].</summary>
    internal static void HiddenSparse(Genome g, double[] x, int n, int d, double[] pre)
    {
        int h = g.H, kk = g.K;
        for (int i = 0; i < n; i++)
        {
            int row = i * d;
            for (int j = 0; j < h; j++)
            {
                double z = g.B1[j];
                for (int k = 0; k < kk; k++) z += g.W1[j * kk + k] * x[row + g.Idx[j * kk + k]];
                pre[i * h + j] = z;
            }
        }
    }

    /// <summary>
    /// Energy = mean |h| + mean |w| (spec §4). <paramref name="includeBiases"/>: the benchmark's and saved models' variant
    /// (all parameters); false: <c>core/metrics</c>' (W1 and W2 only).
    /// </summary>
    public static double Energy(Genome g, Evaluation e, bool includeBiases)
    {
        double sum = System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(g.W1) + System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(g.W2);
        long count = g.W1.Length + g.W2.Length;
        if (includeBiases)
        {
            sum += System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(g.B1) + Math.Abs(g.B2[0]);
            count += g.B1.Length + 1;
        }
        return e.MeanAbsActivation + sum / count;
    }

    [ThreadStatic] private static double[]? t_act;

    /// <summary>
    /// Predictions of a sparse genome on pre-expanded inputs [batch × width] (the inference benchmark's kernel). Samples go
    /// in blocks of 64: gathered pre-activations per unit, one vectorised tanh over the block, the output layer vectorised
    /// over samples.
    /// </summary>
    public static void InferSparse(Genome g, ReadOnlySpan<double> x, int batch, int width, Span<double> output)
    {
        const int Block = 64;
        int h = g.H, kk = g.K;
        if (batch < 8)
        {
            // Too few samples to vectorise over: scalar, no buffers.
            for (int b = 0; b < batch; b++)
            {
                var row = x.Slice(b * width, width);
                double z = g.B2[0];
                for (int j = 0; j < h; j++)
                {
                    double a = g.B1[j];
                    for (int k = 0; k < kk; k++) a += g.W1[j * kk + k] * row[g.Idx[j * kk + k]];
                    z += g.W2[j] * Math.Tanh(a);
                }
                output[b] = Math.Tanh(z);
            }
            return;
        }
        var act = (t_act is { } buffer && buffer.Length >= h * Block) ? buffer : t_act = new double[h * Block];
        ref double xr = ref MemoryMarshal.GetReference(x);
        for (int start = 0; start < batch; start += Block)
        {
            int m = Math.Min(Block, batch - start);
            for (int j = 0; j < h; j++)
            {
                var unit = act.AsSpan(j * Block, m);
                double b1 = g.B1[j];
                for (int s = 0; s < m; s++)
                {
                    ref double row = ref Unsafe.Add(ref xr, (start + s) * width);
                    double z = b1;
                    for (int k = 0; k < kk; k++) z += g.W1[j * kk + k] * Unsafe.Add(ref row, g.Idx[j * kk + k]);
                    unit[s] = z;
                }
            }
            for (int j = 0; j < h; j++) System.Numerics.Tensors.TensorPrimitives.Tanh(act.AsSpan(j * Block, m), act.AsSpan(j * Block, m));
            var o = output.Slice(start, m);
            o.Fill(g.B2[0]);
            for (int j = 0; j < h; j++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(act.AsSpan(j * Block, m), g.W2[j], o, o);
            System.Numerics.Tensors.TensorPrimitives.Tanh(o, o);
        }
    }
}
