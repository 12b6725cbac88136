using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Evolution;

namespace Emergence.Plugins.Genreg;

/// <summary>
/// One network: a dense D → H → 1 tanh MLP, or the ultra-sparse controller whose hidden unit j reads K evolvable inputs
/// (spec §2), plus the protein parameters. W1 is [D × H] row-major when dense (input-major, so a point's hidden
/// pre-activations accumulate one input row at a time) and [H × K] when sparse.
/// </summary>
internal sealed class Genome
{
    public Genome(int d, int h, int k, bool sparse, int proteins)
    {
        (D, H, K, Sparse) = (d, h, k, sparse);
        W1 = new double[sparse ? h * k : d * h];
        Idx = sparse ? new int[h * k] : [];
        B1 = new double[h];
        W2 = new double[h];
        B2 = new double[1];
        Proteins = new double[proteins];
    }

    public int D { get; }
    public int H { get; }
    public int K { get; }
    public bool Sparse { get; }
    public double[] W1 { get; }
    public int[] Idx { get; }
    public double[] B1 { get; }
    public double[] W2 { get; }
    public double[] B2 { get; }
    public double[] Proteins { get; }

    /// <summary>The last evaluation of exactly these parameters on the current features (a cache, never saved).</summary>
    public Evaluation? Eval { get; set; }

    /// <summary>All evaluations of the last generation when a genome is evaluated several times (re-sampled columns).</summary>
    public Evaluation[]? Repeats { get; set; }

    /// <summary>Weight and bias arrays in mutation order.</summary>
    public IEnumerable<double[]> Tensors() => [W1, B1, W2, B2];

    /// <summary>A random genome (spec §2): W1 ~ N(0,1)·√(2/fan_in), W2 ~ N(0,1)·√(2/H), biases 0, K distinct indices from a permutation.</summary>
    public static Genome Random(ModelOptions o, RngStream rng, bool proteins, Genome? spare = null)
    {
        bool sparse = o.Connectivity == Connectivity.Sparse;
        var g = Shaped(o, proteins, spare);
        Array.Clear(g.B1); // a reused genome's biases are not zero
        g.B2[0] = 0;
        double s1 = Math.Sqrt(2.0 / (sparse ? o.KInputs : o.InputWidth)), s2 = Math.Sqrt(2.0 / o.Hidden);
        for (int i = 0; i < g.W1.Length; i++) g.W1[i] = Ziggurat.Normal(rng) * s1;
        for (int i = 0; i < g.W2.Length; i++) g.W2[i] = Ziggurat.Normal(rng) * s2;
        if (sparse)
        {
            var perm = new int[o.IndexUniverse];
            for (int j = 0; j < o.Hidden; j++)
            {
                for (int i = 0; i < perm.Length; i++) perm[i] = i;
                rng.Shuffle(perm.AsSpan());
                Array.Copy(perm, 0, g.Idx, j * o.KInputs, o.KInputs);
            }
        }
        if (proteins) Genreg.Proteins.Defaults().CopyTo(g.Proteins, 0);
        return g;
    }

    public Genome Clone() => CloneInto(null);

    /// <summary>A copy of this genome written into <paramref name="spare"/> when it has the same shape, else a new one.</summary>
    public Genome CloneInto(Genome? spare)
    {
        var g = Reuse(ReferenceEquals(spare, this) ? null : spare, D, H, K, Sparse, Proteins.Length);
        W1.CopyTo(g.W1, 0); Idx.CopyTo(g.Idx, 0); B1.CopyTo(g.B1, 0); W2.CopyTo(g.W2, 0); B2.CopyTo(g.B2, 0); Proteins.CopyTo(g.Proteins, 0);
        return g;
    }

    /// <summary>A genome object of the shape <paramref name="o"/> asks for: <paramref name="spare"/> if it fits, else a new one (parameters unset).</summary>
    public static Genome Shaped(ModelOptions o, bool proteins, Genome? spare) =>
        Reuse(spare, o.InputWidth, o.Hidden, o.KInputs, o.Connectivity == Connectivity.Sparse, proteins ? Genreg.Proteins.Count : 0);

    /// <summary><paramref name="spare"/> with its cached evaluations dropped if it has this shape, else a new genome.</summary>
    private static Genome Reuse(Genome? spare, int d, int h, int k, bool sparse, int proteins)
    {
        if (spare is null || spare.D != d || spare.H != h || spare.K != k || spare.Sparse != sparse || spare.Proteins.Length != proteins)
            return new Genome(d, h, k, sparse, proteins);
        (spare.Eval, spare.Repeats) = (null, null); // the parameters are about to change
        return spare;
    }

    /// <summary>Number of evolvable floats (weights and biases; indices and proteins not counted).</summary>
    public int ParameterCount => W1.Length + B1.Length + W2.Length + 1;

    /// <summary>Share of connections that read a true-signal column (index &lt; T) — dense genomes count every weight.</summary>
    public double TrueInputRatio(int trueSize) =>
        Sparse ? Idx.Count(i => i < trueSize) / (double)Idx.Length : Math.Min(trueSize, D) / (double)D;
}

/// <summary>Saves and copies genomes for <see cref="Population{TGenome}"/> and the search trainers (bit-exact).</summary>
internal sealed class GenomeCodec : IGenomeCodec<Genome>
{
    public static readonly GenomeCodec Instance = new();

    public void Save(Genome g, IStateWriter w)
    {
        w.WriteInt64("d", g.D);
        w.WriteInt64("h", g.H);
        w.WriteInt64("k", g.K);
        w.WriteBool("sparse", g.Sparse);
        w.WriteDoubles("w1", g.W1);
        w.WriteInt32s("idx", g.Idx);
        w.WriteDoubles("b1", g.B1);
        w.WriteDoubles("w2", g.W2);
        w.WriteDouble("b2", g.B2[0]);
        w.WriteDoubles("proteins", g.Proteins);
    }

    public Genome Load(IStateReader r)
    {
        var proteins = r.ReadDoubles("proteins", out _);
        var g = new Genome((int)r.ReadInt64("d"), (int)r.ReadInt64("h"), (int)r.ReadInt64("k"), r.ReadBool("sparse"), proteins.Length);
        r.ReadDoubles("w1", g.W1.AsSpan());
        r.ReadInt32s("idx", g.Idx.AsSpan());
        r.ReadDoubles("b1", g.B1.AsSpan());
        r.ReadDoubles("w2", g.W2.AsSpan());
        g.B2[0] = r.ReadDouble("b2");
        proteins.CopyTo(g.Proteins, 0);
        return g;
    }

    public Genome Clone(Genome genome) => genome.Clone();
}
