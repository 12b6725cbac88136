using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Plugins.SparkNet.Layout;

namespace Emergence.Plugins.SparkNet.Model;

/// <summary>
/// The whole SparkNet state (spec §1): W (n×n, row = post/target, column = pre/source, so the
/// recurrent input is W·s), activations s, memory field M, the sparks, the step counter t and the
/// layout. Float32 throughout.
/// </summary>
internal sealed class SparkNetModel : IModel
{
    /// <summary>Builds the initial state: W = std·N(0,1) in row-major order first, then K uniform spark positions, both from <paramref name="simulation"/>.</summary>
    public SparkNetModel(SparkNetModelOptions options, RngStream simulation)
    {
        Options = options;
        N = options.NNeurons;
        GridH = options.GridH;
        GridW = options.GridW;
        W = new float[N * N];
        S = new float[N];
        M = new float[N];
        Sparks = new Sparks(options.NumSparks);
        Layout = new LayoutState(N);
        DrawWeights(simulation);
        for (int k = 0; k < Sparks.Count; k++) Sparks.Position[k] = simulation.NextInt(N);
    }

    private void DrawWeights(RngStream simulation)
    {
        double std = Options.InitWeightStd;
        for (int i = 0; i < W.Length; i++) W[i] = (float)(std * simulation.NextNormal());
    }

    /// <summary>
    /// The <c>reset</c> command (spec §3, the GUI's "SAVE"): activations and the memory field back to zero and every spark
    /// respawned uniformly (energy 1, age 0) — but W is kept unless <paramref name="resetWeights"/>, in which case it is
    /// drawn again first, in the same order as at start. The step counter, layout and visit statistics continue.
    /// </summary>
    public void Reset(bool resetWeights, RngStream simulation)
    {
        if (resetWeights) DrawWeights(simulation);
        Array.Clear(S);
        Array.Clear(M);
        for (int k = 0; k < Sparks.Count; k++) Sparks.Respawn(k, simulation.NextInt(N));
    }

    /// <summary>The bound options; <c>num_sparks</c> is live and read by the trainer every step.</summary>
    public SparkNetModelOptions Options { get; }

    /// <summary>Number of neurons.</summary>
    public int N { get; }

    /// <summary>Grid rows.</summary>
    public int GridH { get; }

    /// <summary>Grid columns.</summary>
    public int GridW { get; }

    /// <summary>Weights, row-major: W[i·n + j] is the edge from source j into target i.</summary>
    public float[] W { get; }

    /// <summary>Activations.</summary>
    public float[] S { get; }

    /// <summary>Memory field.</summary>
    public float[] M { get; }

    /// <summary>The sparks.</summary>
    public Sparks Sparks { get; }

    /// <summary>Steps completed.</summary>
    public long T { get; set; }

    /// <summary>Force-layout positions, motion history and pending layout call.</summary>
    public LayoutState Layout { get; }

    /// <summary>Row <paramref name="i"/> of W (edges into neuron i).</summary>
    public Span<float> Row(int i) => W.AsSpan(i * N, N);

    public void Save(IStateWriter writer)
    {
        writer.WriteInt64("n", N);
        writer.WriteInt64("t", T);
        writer.WriteString("precision", "float32");
        writer.WriteFloats("w", W, [N, N]);
        writer.WriteFloats("s", S);
        writer.WriteFloats("m", M);
        Sparks.Save(writer.Section("sparks"));
        Layout.Save(writer.Section("layout"));
    }

    public void Load(IStateReader reader)
    {
        long n = reader.ReadInt64("n");
        if (n != N) throw new StateFormatException($"model: checkpoint has n = {n}, this model n = {N}");
        T = reader.ReadInt64("t");
        reader.ReadFloats("w", W.AsSpan());
        reader.ReadFloats("s", S.AsSpan());
        reader.ReadFloats("m", M.AsSpan());
        Sparks.Load(reader.Section("sparks"));
        Layout.Load(reader.Section("layout"));
    }
}
