using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Plugins.SelfModifying;

/// <summary>
/// The meta-learner (spec §5): ReLU(x·W1 + b1) → sigmoid(h·W2 + b2), 14 → hidden → 1, He-initialised, trained with
/// binary cross-entropy by minibatch SGD on completed modification records.
/// </summary>
internal sealed class MetaLearner
{
    public const int Features = 14;

    public MetaLearner(int hidden, RngStream rng)
    {
        Hidden = hidden;
        W1 = new double[Features * hidden];
        B1 = new double[hidden];
        W2 = new double[hidden];
        double s1 = Math.Sqrt(2.0 / Features), s2 = Math.Sqrt(2.0 / hidden);
        for (int i = 0; i < W1.Length; i++) W1[i] = rng.NextNormal() * s1;
        for (int i = 0; i < W2.Length; i++) W2[i] = rng.NextNormal() * s2;
    }

    public int Hidden { get; }
    public double[] W1 { get; private set; }
    public double[] B1 { get; private set; }
    public double[] W2 { get; private set; }
    public double B2 { get; private set; }
    public long TrainingRuns { get; private set; }

    public double Score(ReadOnlySpan<double> x)
    {
        Span<double> h = stackalloc double[Hidden];
        return Forward(x, h);
    }

    private double Forward(ReadOnlySpan<double> x, Span<double> h)
    {
        double z = B2;
        for (int j = 0; j < Hidden; j++)
        {
            double a = B1[j];
            for (int i = 0; i < Features; i++) a += x[i] * W1[i * Hidden + j];
            h[j] = Math.Max(0, a);
            z += h[j] * W2[j];
        }
        return 1.0 / (1.0 + Math.Exp(-Math.Clamp(z, -500, 500)));
    }

    /// <summary><paramref name="epochs"/> passes over the examples, reshuffled each time, minibatches of <paramref name="batch"/>.</summary>
    public void Train(IReadOnlyList<(double[] X, double Y)> examples, RngStream rng, int epochs, int batch, double lr)
    {
        TrainingRuns++;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        Span<double> h = stackalloc double[Hidden];
        var gW1 = new double[W1.Length];
        var gB1 = new double[B1.Length];
        var gW2 = new double[W2.Length];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int start = 0; start < order.Length; start += batch)
            {
                int end = Math.Min(order.Length, start + batch);
                Array.Clear(gW1);
                Array.Clear(gB1);
                Array.Clear(gW2);
                double gB2 = 0;
                for (int k = start; k < end; k++)
                {
                    var (x, y) = examples[order[k]];
                    double p = Forward(x, h);
                    double dz = p - y; // dBCE/dz for a sigmoid output
                    gB2 += dz;
                    for (int j = 0; j < Hidden; j++)
                    {
                        gW2[j] += dz * h[j];
                        if (h[j] <= 0) continue;
                        double dh = dz * W2[j];
                        gB1[j] += dh;
                        for (int i = 0; i < Features; i++) gW1[i * Hidden + j] += dh * x[i];
                    }
                }
                double scale = lr / (end - start);
                for (int i = 0; i < W1.Length; i++) W1[i] -= scale * gW1[i];
                for (int i = 0; i < B1.Length; i++) B1[i] -= scale * gB1[i];
                for (int i = 0; i < W2.Length; i++) W2[i] -= scale * gW2[i];
                B2 -= scale * gB2;
            }
        }
    }

    public void Save(IStateWriter w)
    {
        w.WriteDoubles("w1", W1, [Features, Hidden]);
        w.WriteDoubles("b1", B1);
        w.WriteDoubles("w2", W2);
        w.WriteDouble("b2", B2);
        w.WriteInt64("training_runs", TrainingRuns);
    }

    public void Load(IStateReader r)
    {
        W1 = r.ReadDoubles("w1", out _);
        B1 = r.ReadDoubles("b1", out _);
        W2 = r.ReadDoubles("w2", out _);
        B2 = r.ReadDouble("b2");
        TrainingRuns = r.ReadInt64("training_runs");
    }
}
