using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Components;
using Emergence.Contracts.Options;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Plugins.SelfModifying;

/// <summary>Which behaviour: the original's, bugs included, or the spec's §10 fixes.</summary>
public enum Compat
{
    /// <summary>Reproduces the original code (full gradient to every neuron, post-update grad_in, raw meta features, ...).</summary>
    Faithful,

    /// <summary>The §10 fixes.</summary>
    Fixed,
}

/// <summary>The <c>model</c> section: dimensions and initialisation (restart-only).</summary>
public sealed class ModelOptions : IValidatableOptions
{
    [Description("faithful reproduces the original, bugs included; fixed applies the spec's section 10 fixes. Restart-only. Default faithful.")]
    public Compat Compat { get; set; } = Compat.Faithful;

    [Description("Dimension of the neuron and layer tags. Range 2..16. Default 4.")]
    [Range(2, 16)]
    public int TagDim { get; set; } = 4;

    [Description("Layers at start (the last is the output layer). Range 2..15. Default 2.")]
    [Range(2, 15)]
    public int InitialLayers { get; set; } = 2;

    [Description("Neurons per layer at start. Range 2..256. Default 8.")]
    [Range(2, 256)]
    public int InitialNeurons { get; set; } = 8;

    [Description("Fraction of a new layer's neurons (the first floor(ratio*N)) that broadcast to every next-layer neuron. Range 0..1. Default 0.2.")]
    [Range(0.0, 1.0)]
    public double BroadcastRatio { get; set; } = 0.2;

    [Description("Initial bias of output neurons, so predict(0) equals it. Range 0..18. Default 9.0.")]
    [Range(0.0, 18.0)]
    public double OutputBiasInit { get; set; } = 9.0;

    [Description("Cosine a non-broadcast neuron's output tags need with a next-layer neuron's input tags to route to it. Range 0..1. Default 0.3.")]
    [Range(0.0, 1.0)]
    public double RoutingSim { get; set; } = 0.3;

    public void Validate(OptionErrors errors)
    {
    }
}

/// <summary>
/// The self-modifying network (spec §1–2): layers of ensemble neurons mapping 4→4 (hidden) and 4→1 (output),
/// tag routing between layers, and the structure the modification strategies change.
/// </summary>
internal sealed class Network : IModel
{
    public const int Width = 4;
    private double[][] _inputs = [];
    private double[][] _pendSums = [];
    private int[][] _pendCounts = [];
    private int[] _received = [];
    private double[][] _gIn = [];
    private readonly double[] _input = new double[Width];
    private readonly double[] _g = new double[Width];
    private readonly double[] _next = new double[Width];
    private readonly double[] _delta = new double[Width];
    private readonly double[] _gradIn = new double[Width];
    private long _nextLayerId = 1000;

    public Network(ModelOptions options, RngStream rng)
    {
        Options = options;
        for (int l = 0; l < options.InitialLayers; l++) Layers.Add(NewLayer(options.InitialNeurons, l == options.InitialLayers - 1, rng));
        InputProjection = new double[Width * options.TagDim];
        for (int i = 0; i < InputProjection.Length; i++) InputProjection[i] = rng.NextNormal() * 0.1;
    }

    public ModelOptions Options { get; }

    /// <summary>The trainer of this network (visualizers read its modification journal).</summary>
    public Trainer? Trainer { get; set; }

    public bool Fixed => Options.Compat == Compat.Fixed;
    public List<Layer> Layers { get; private set; } = [];

    /// <summary>P (4 × tag_dim): input tags are normalise(x·P); they feed only the disabled activation gate.</summary>
    public double[] InputProjection { get; private set; }

    public int NeuronCount => Layers.Sum(l => l.Neurons.Count);

    /// <summary>The network's rewards, newest last (the last 1000), shared by every neuron's history.</summary>
    public History Rewards { get; private set; } = new(1000);

    /// <summary>Rewards recorded since the start.</summary>
    public long RewardCount { get; private set; }

    public void RecordReward(double reward)
    {
        Rewards.Add(reward);
        RewardCount++;
    }

    /// <summary>A neuron's average performance: the mean of its last ≤ 100 rewards (0 before its first).</summary>
    public double Performance(Neuron n)
    {
        int k = (int)Math.Min(100, RewardCount - n.RewardStart);
        return k <= 0 ? 0 : Rewards.MeanLast(k);
    }

    /// <summary>The mean performance of a layer's neurons.</summary>
    public double MeanPerformance(Layer layer) => layer.Neurons.Count == 0 ? 0 : layer.Neurons.Average(Performance);

    public string Shape => "[" + string.Join(",", Layers.Select(l => l.Neurons.Count)) + "]";

    /// <summary>A new layer with <paramref name="neurons"/> fresh neurons; the first ⌊ratio·N⌋ broadcast.</summary>
    public Layer NewLayer(int neurons, bool output, RngStream rng)
    {
        var layer = new Layer(_nextLayerId++, Options.TagDim);
        Neuron.RandomUnit(layer.Tag, rng);
        int broadcast = (int)Math.Floor(Options.BroadcastRatio * neurons);
        for (int i = 0; i < neurons; i++)
        {
            var n = NewNeuron(output, rng);
            n.IsBroadcast = i < broadcast;
            layer.Neurons.Add(n);
        }
        return layer;
    }

    public Neuron NewNeuron(bool output, RngStream rng)
    {
        var n = new Neuron(Width, output ? 1 : Width, Options.TagDim, output) { RewardStart = RewardCount };
        n.Initialise(rng, Options.OutputBiasInit);
        return n;
    }

    public long NextLayerId() => _nextLayerId++;

    /// <summary>
    /// The forward pass (spec §2). <paramref name="rng"/> draws the random target of a neuron with no affine
    /// next-layer neuron when routing is recomputed; <paramref name="count"/> false makes it pure (no counters, no
    /// stored routing). A neuron sends its output to the layer its targets belong to: the next one, or — fixed mode
    /// after REWIRE — a later one (a skip connection keyed by that layer's stable id). A layer's input is the mean,
    /// over its neurons j that received anything, of the mean of what was sent to j.
    /// </summary>
    public double Forward(ReadOnlySpan<double> x, RngStream rng, double predClip, bool count = true)
    {
        int layers = Layers.Count;
        Prepare(layers);
        for (int l = 1; l < layers; l++)
        {
            int m = Layers[l].Neurons.Count;
            if (_pendCounts[l].Length < m) (_pendCounts[l], _pendSums[l]) = (new int[2 * m], new double[2 * m * Width]);
            Array.Clear(_pendCounts[l], 0, m);
            Array.Clear(_pendSums[l], 0, m * Width);
        }
        Span<double> input = _input;
        x.CopyTo(input);
        double prediction = 0;
        for (int l = 0; l < layers; l++)
        {
            var layer = Layers[l];
            if (l > 0) _received[l] = Aggregate(l, input);
            input.CopyTo(_inputs[l]);
            if (count) layer.ActivationCount++;
            foreach (var n in layer.Neurons)
            {
                if (count) n.ActivationCount++;
                // Locals, not properties, in the hot loop: the JIT then hoists the loads and bounds checks.
                double[] w = n.W, b = n.B, o = n.Output;
                int outs = n.Out, ins = n.In;
                bool linear = n.IsOutput;
                for (int k = 0; k < outs; k++)
                {
                    double z = b[k];
                    for (int i = 0; i < ins; i++) z += input[i] * w[i * outs + k];
                    o[k] = linear ? z : Math.Tanh(z);
                }
            }
            if (l == layers - 1)
            {
                double sum = 0;
                foreach (var n in layer.Neurons) sum += n.Output[0];
                prediction = sum / layer.Neurons.Count;
                break;
            }
            Send(l, rng, count);
        }
        return Math.Clamp(prediction, -predClip, predClip);
    }

    private void Prepare(int layers)
    {
        if (_inputs.Length >= layers) return;
        int size = layers + 4;
        _inputs = Enumerable.Range(0, size).Select(_ => new double[Width]).ToArray();
        _pendCounts = Enumerable.Range(0, size).Select(_ => new int[16]).ToArray();
        _pendSums = Enumerable.Range(0, size).Select(_ => new double[16 * Width]).ToArray();
        _received = new int[size];
        _gIn = Enumerable.Range(0, size).Select(_ => new double[Width]).ToArray();
    }

    /// <summary>Routes layer <paramref name="l"/>'s outputs into the accumulators of their target layers, recomputing stale routes.</summary>
    private void Send(int l, RngStream rng, bool count)
    {
        var next = Layers[l + 1];
        foreach (var n in Layers[l].Neurons)
        {
            var targets = n.Targets;
            int t = l + 1;
            if (n.TargetLayerId != next.Id)
            {
                int skip = Fixed ? SkipTarget(l, n.TargetLayerId) : -1;
                if (skip > 0) t = skip;
                else
                {
                    // A pure pass (evaluation) routes as the next training pass would, without storing it.
                    targets = Targets(n, next, Options.RoutingSim, rng);
                    if (count) (n.Targets, n.TargetLayerId) = (targets, next.Id);
                }
            }
            n.RoutedTo = t;
            int m = Layers[t].Neurons.Count;
            int[] counts = _pendCounts[t];
            double[] sums = _pendSums[t], o = n.Output;
            foreach (var j in targets)
            {
                if (j >= m) continue;
                counts[j]++;
                for (int k = 0; k < Width; k++) sums[j * Width + k] += o[k];
            }
        }
    }

    /// <summary>The index of the later layer (beyond the next) whose id is <paramref name="id"/>, or -1.</summary>
    private int SkipTarget(int l, long id)
    {
        for (int t = l + 2; t < Layers.Count; t++)
            if (Layers[t].Id == id) return t;
        return -1;
    }

    /// <summary>Layer <paramref name="l"/>'s input from what was sent to it; returns how many of its neurons received anything.</summary>
    private int Aggregate(int l, Span<double> output)
    {
        int m = Layers[l].Neurons.Count, received = 0;
        int[] counts = _pendCounts[l];
        double[] sums = _pendSums[l];
        output.Clear();
        for (int j = 0; j < m; j++)
        {
            if (counts[j] == 0) continue;
            received++;
            for (int k = 0; k < Width; k++) output[k] += sums[j * Width + k] / counts[j];
        }
        if (received > 0)
            for (int k = 0; k < Width; k++) output[k] /= received;
        return received;
    }

    /// <summary>Broadcast: every next neuron; otherwise every j with affinity above <paramref name="threshold"/>, else one random j.</summary>
    public static int[] Targets(Neuron n, Layer next, double threshold, RngStream rng, bool inclusive = false)
    {
        int m = next.Neurons.Count;
        if (n.IsBroadcast) return Enumerable.Range(0, m).ToArray();
        var targets = new List<int>();
        for (int j = 0; j < m; j++)
        {
            double affinity = n.Affinity(next.Neurons[j]);
            if (inclusive ? affinity >= threshold : affinity > threshold) targets.Add(j);
        }
        if (targets.Count == 0) targets.Add(rng.NextInt(m));
        return targets.ToArray();
    }

    /// <summary>
    /// The backward pass (spec §2) from dLoss/dPrediction <paramref name="g0"/> (already clipped). Faithful: every neuron
    /// receives the full gradient of the layer above, grad_in uses the updated W, and the layer passes the mean. Fixed:
    /// each neuron receives the gradient of the layer it feeds (the next one, or a skip target) scaled by its share of
    /// that layer's input (its routing weight; 1/N in the output ensemble), and grad_in uses W before the update.
    /// </summary>
    public void Backward(double g0, double lr, double gradClip, double weightClip)
    {
        if (Fixed) BackwardFixed(g0, lr, gradClip, weightClip);
        else BackwardFaithful(g0, lr, gradClip, weightClip);
    }

    private void BackwardFaithful(double g0, double lr, double gradClip, double weightClip)
    {
        // Scratch buffers are fields: stackalloc here kept the JIT from optimising these hot loops (measured 7x slower).
        Span<double> g = _g, next = _next, delta = _delta, gradIn = _gradIn;
        g.Clear();
        g[0] = g0;
        for (int l = Layers.Count - 1; l >= 0; l--)
        {
            var neurons = Layers[l].Neurons;
            var x = _inputs[l];
            next.Clear();
            foreach (var n in neurons)
            {
                Update(n, g, 1.0, lr, x, delta, gradClip, weightClip);
                GradIn(n, delta, gradIn);
                for (int i = 0; i < Width; i++) next[i] += gradIn[i];
            }
            for (int i = 0; i < Width; i++) g[i] = next[i] / neurons.Count;
        }
    }

    private void BackwardFixed(double g0, double lr, double gradClip, double weightClip)
    {
        Span<double> delta = _delta, gradIn = _gradIn, top = _g;
        top.Clear();
        top[0] = g0;
        int layers = Layers.Count;
        for (int l = 0; l < layers; l++) Array.Clear(_gIn[l]);
        for (int l = layers - 1; l >= 0; l--)
        {
            var neurons = Layers[l].Neurons;
            var x = _inputs[l];
            bool last = l == layers - 1;
            foreach (var n in neurons)
            {
                double share = last ? 1.0 / neurons.Count : Share(n);
                var upstream = last ? top : _gIn[n.RoutedTo].AsSpan();
                double rate = Math.Clamp(lr * n.LrScale, 1e-3, 0.5);
                DeltaOf(n, upstream, share, delta, gradClip);
                GradIn(n, delta, gradIn);
                ApplyUpdate(n, rate, x, delta, gradClip, weightClip);
                var into = _gIn[l];
                for (int i = 0; i < Width; i++) into[i] += gradIn[i];
            }
        }
    }

    /// <summary>d(input of the layer <paramref name="n"/> feeds)/d(n's output): its routing weight.</summary>
    private double Share(Neuron n)
    {
        int t = n.RoutedTo, m = Layers[t].Neurons.Count, received = _received[t];
        if (received == 0) return 0;
        int[] counts = _pendCounts[t];
        double s = 0;
        foreach (var j in n.Targets)
            if (j < m && counts[j] > 0) s += 1.0 / counts[j];
        return s / received;
    }

    private static void Update(Neuron n, ReadOnlySpan<double> g, double share, double rate, double[] x, Span<double> delta, double gradClip, double weightClip)
    {
        DeltaOf(n, g, share, delta, gradClip);
        ApplyUpdate(n, rate, x, delta, gradClip, weightClip);
    }

    private static void DeltaOf(Neuron n, ReadOnlySpan<double> g, double share, Span<double> delta, double gradClip)
    {
        double[] o = n.Output;
        bool linear = n.IsOutput;
        for (int k = 0; k < n.Out; k++)
        {
            double d = g[k] * share * (linear ? 1 : 1 - o[k] * o[k]);
            delta[k] = Math.Clamp(d, -gradClip, gradClip);
        }
    }

    private static void ApplyUpdate(Neuron n, double rate, double[] x, ReadOnlySpan<double> delta, double gradClip, double weightClip)
    {
        double[] w = n.W, b = n.B;
        int outs = n.Out, ins = n.In;
        for (int i = 0; i < ins; i++)
        {
            double xi = x[i];
            for (int k = 0; k < outs; k++)
            {
                double grad = Math.Clamp(xi * delta[k], -gradClip, gradClip);
                w[i * outs + k] = Math.Clamp(w[i * outs + k] - rate * grad, -weightClip, weightClip);
            }
        }
        for (int k = 0; k < outs; k++) b[k] = Math.Clamp(b[k] - rate * delta[k], -weightClip, weightClip);
    }

    private static void GradIn(Neuron n, ReadOnlySpan<double> delta, Span<double> gradIn)
    {
        gradIn.Clear();
        double[] w = n.W;
        int outs = n.Out;
        for (int i = 0; i < n.In; i++)
        {
            double s = 0;
            for (int k = 0; k < outs; k++) s += w[i * outs + k] * delta[k];
            gradIn[i] = s;
        }
    }

    /// <summary>A deep copy of the structure and every neuron (fixed-mode rollback).</summary>
    public List<Layer> CloneLayers() => Layers.Select(l => l.Clone()).ToList();

    public void ReplaceLayers(List<Layer> layers) => Layers = layers;

    public void Save(IStateWriter writer)
    {
        writer.WriteInt64("next_layer_id", _nextLayerId);
        Rewards.Save(writer, "rewards");
        writer.WriteInt64("reward_count", RewardCount);
        writer.WriteDoubles("input_projection", InputProjection, [Width, Options.TagDim]);
        SaveLayers(writer.Section("layers"), Layers);
    }

    public void Load(IStateReader reader)
    {
        _nextLayerId = reader.ReadInt64("next_layer_id");
        Rewards.Load(reader, "rewards");
        RewardCount = reader.ReadInt64("reward_count");
        InputProjection = reader.ReadDoubles("input_projection", out _);
        Layers = LoadLayers(reader.Section("layers"));
    }

    public static void SaveLayers(IStateWriter w, List<Layer> layers)
    {
        w.WriteInt64("count", layers.Count);
        for (int l = 0; l < layers.Count; l++)
        {
            var s = w.Section(l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var layer = layers[l];
            s.WriteInt64("id", layer.Id);
            s.WriteDoubles("tag", layer.Tag);
            s.WriteInt64("activation_count", layer.ActivationCount);
            s.WriteInt64("neurons", layer.Neurons.Count);
            for (int i = 0; i < layer.Neurons.Count; i++) layer.Neurons[i].Save(s.Section("n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public static List<Layer> LoadLayers(IStateReader r)
    {
        var layers = new List<Layer>();
        long count = r.ReadInt64("count");
        for (int l = 0; l < count; l++)
        {
            var s = r.Section(l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var tag = s.ReadDoubles("tag", out _);
            var layer = new Layer(s.ReadInt64("id"), tag.Length) { Tag = tag, ActivationCount = s.ReadInt64("activation_count") };
            long neurons = s.ReadInt64("neurons");
            for (int i = 0; i < neurons; i++) layer.Neurons.Add(Neuron.Load(s.Section("n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            layers.Add(layer);
        }
        return layers;
    }
}
