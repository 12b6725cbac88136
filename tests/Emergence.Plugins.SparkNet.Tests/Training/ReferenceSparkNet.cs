using Emergence.Contracts.Random;

namespace Emergence.Plugins.SparkNet.Tests.Training;

/// <summary>
/// An independent, plain scalar re-implementation of spec §2 with the faithful rules (written from the
/// spec, not from the plugin), used to check the trainer phase by phase on small networks. Float32 state,
/// double logits, the categorical rule written out here.
/// </summary>
internal sealed class ReferenceSparkNet
{
    public int N, K;
    public float[] W, S, M, Energy;
    public int[] Pos, Age;
    public double StateDecay = 0.95, Noise = 0.05, Eta = 0.05, Lambda = 0.001, Clip = 1, MemDecay = 0.92, Deposit = 0.15,
        Beta = 0.8, Explore = 0.05, Temperature = 0.3, Eps = 1e-6, Gain = 2, Rho = 0.98, EMin = 0.05;
    public int Force = 5;
    public long Respawns;
    private readonly RngStream _rng;

    public ReferenceSparkNet(ulong seed, int n, int k)
    {
        N = n; K = k;
        _rng = RngStream.Derive(seed, "simulation");
        W = new float[n * n]; S = new float[n]; M = new float[n];
        for (int i = 0; i < n * n; i++) W[i] = (float)(0.1 * _rng.NextNormal());
        Pos = new int[k]; Age = new int[k]; Energy = new float[k];
        for (int j = 0; j < k; j++) { Pos[j] = _rng.NextInt(n); Energy[j] = 1f; }
    }

    public void Step()
    {
        var x = new float[N];
        for (int j = 0; j < N; j++) x[j] = (float)StateDecay * S[j];
        for (int i = 0; i < N; i++) M[i] *= (float)MemDecay;
        for (int i = 0; i < N; i++)
        {
            float acc = 0f;
            for (int j = 0; j < N; j++) acc = MathF.FusedMultiplyAdd(W[i * N + j], x[j], acc);
            float pre = acc + (float)Noise * (float)_rng.NextNormal();
            S[i] = 1f / (1f + MathF.Exp(-pre));
        }
        for (int k = 0; k < K; k++) if (Age[k] < Force) S[Pos[k]] = 1f;
        for (int k = 0; k < K; k++) MoveSpark(k);
        for (int i = 0; i < W.Length; i++) W[i] = Math.Clamp(W[i] * (float)(1 - Lambda), -(float)Clip, (float)Clip);
    }

    private void MoveSpark(int k)
    {
        int p = Pos[k], q;
        if (_rng.NextDouble() < Explore) q = _rng.NextInt(N);
        else
        {
            var logits = new double[N];
            for (int j = 0; j < N; j++) logits[j] = (Math.Max(W[p * N + j], 0f) + Eps) / Temperature + Beta * M[j];
            q = SampleExp(logits);
        }
        Pos[k] = q;
        W[q * N + p] = (1f - (float)Eta) * W[q * N + p] + (float)Eta * S[p];
        M[q] += (float)Deposit;
        Energy[k] = (float)Rho * Energy[k];
        S[q] = Energy[k];
        Age[k]++;
        if (Energy[k] < (float)EMin)
        {
            double sum = 0;
            foreach (float m in M) sum += m;
            var logits = new double[N];
            for (int j = 0; j < N; j++) logits[j] = Gain * M[j];
            Pos[k] = sum > 0 ? SampleExp(logits) : _rng.NextInt(N);
            Energy[k] = 1f;
            Age[k] = 0;
            Respawns++;
        }
    }

    /// <summary>exp(ℓ − max ℓ) in double, cumulative sum in index order, first index whose sum exceeds u·Z.</summary>
    private int SampleExp(double[] logits)
    {
        double max = logits.Max(), z = 0;
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        foreach (double v in e) z += v;
        double target = _rng.NextDouble() * z, running = 0;
        for (int j = 0; j < e.Length; j++)
        {
            running += e[j];
            if (running > target) return j;
        }
        return e.Length - 1;
    }
}
