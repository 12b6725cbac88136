using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Plugins.SelfModifying;

/// <summary>A bounded history (last <see cref="Capacity"/> values) with a running view of its newest entries.</summary>
internal sealed class History(int capacity)
{
    private double[] _items = new double[capacity];
    private int _start;

    public int Capacity { get; } = capacity;
    public int Count { get; private set; }

    public void Add(double value)
    {
        // Wrap by comparison, not modulo: this runs ~20 times per training sample.
        if (Count < Capacity)
        {
            int at = _start + Count++;
            _items[at >= Capacity ? at - Capacity : at] = value;
        }
        else
        {
            _items[_start] = value;
            if (++_start == Capacity) _start = 0;
        }
    }

    /// <summary>The i-th oldest value.</summary>
    public double this[int i]
    {
        get
        {
            int at = _start + i;
            return _items[at >= Capacity ? at - Capacity : at];
        }
    }

    /// <summary>Mean of the newest <paramref name="window"/> values (all if fewer); 0 when empty.</summary>
    public double MeanLast(int window)
    {
        int n = Math.Min(window, Count);
        if (n == 0) return 0;
        double sum = 0;
        for (int i = Count - n; i < Count; i++) sum += this[i];
        return sum / n;
    }

    /// <summary>Least-squares slope of the newest ≤ <paramref name="window"/> values; 0 when there are ≤ <paramref name="minimum"/>.</summary>
    public double Slope(int window, int minimum)
    {
        int n = Math.Min(window, Count);
        if (n <= minimum) return 0;
        double mx = (n - 1) / 2.0, my = MeanLast(n), sxy = 0, sxx = 0;
        for (int k = 0; k < n; k++)
        {
            double dx = k - mx;
            sxy += dx * (this[Count - n + k] - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    public void Clear() => (_start, Count) = (0, 0);

    public double[] ToArray() => Enumerable.Range(0, Count).Select(i => this[i]).ToArray();

    public History Clone()
    {
        var copy = new History(Capacity);
        foreach (var v in ToArray()) copy.Add(v);
        return copy;
    }

    public void Save(IStateWriter writer, string key) => writer.WriteDoubles(key, ToArray());

    public void Load(IStateReader reader, string key)
    {
        Clear();
        _items = new double[Capacity];
        foreach (var v in reader.ReadDoubles(key, out _)) Add(v);
    }
}

/// <summary>
/// One "neuron" (spec §1): a small dense map x·W + b (in × out), tanh when hidden and linear in the output layer,
/// with its tags, routing targets, counters and reward history.
/// </summary>
internal sealed class Neuron
{
    public const int TagCount = 3;

    public Neuron(int inputs, int outputs, int tagDim, bool isOutput)
    {
        In = inputs;
        Out = outputs;
        IsOutput = isOutput;
        W = new double[inputs * outputs];
        B = new double[outputs];
        Tag = new double[tagDim];
        InTags = new double[TagCount * tagDim];
        OutTags = new double[TagCount * tagDim];
        Output = new double[outputs];
    }

    public int In { get; }
    public int Out { get; }
    public bool IsOutput { get; set; }
    public bool IsBroadcast { get; set; }
    public double[] W { get; set; }
    public double[] B { get; set; }
    public double[] Tag { get; set; }
    public double[] InTags { get; set; }
    public double[] OutTags { get; set; }
    public double Threshold { get; set; } = 0.01;

    /// <summary>Fixed mode: this neuron's learning rate is the network rate times this (ADJUST scales it).</summary>
    public double LrScale { get; set; } = 1;

    public long ActivationCount { get; set; }

    /// <summary>
    /// How many network rewards had been recorded when this neuron's reward history began. Every neuron receives every
    /// reward while gating is off, so its last-100 history is the network's last min(100, since start) rewards:
    /// <see cref="Network.Performance"/> reads them from the shared log instead of 16 copies per sample.
    /// </summary>
    public long RewardStart { get; set; }
    public int[] Targets { get; set; } = [];

    /// <summary>The identity of the layer <see cref="Targets"/> index into; routing is recomputed when it differs.</summary>
    public long TargetLayerId { get; set; } = -1;

    /// <summary>The layer the last forward pass sent this neuron's output to (read by the fixed backward pass).</summary>
    public int RoutedTo { get; set; }

    /// <summary>The last forward pass's output (read by the backward pass).</summary>
    public double[] Output { get; }


    /// <summary>Draws fresh W (He-style scale √(2/(in+out))), unit tags and routing tags.</summary>
    public void Initialise(RngStream rng, double outputBias)
    {
        double scale = Math.Sqrt(2.0 / (In + Out));
        for (int i = 0; i < W.Length; i++) W[i] = rng.NextNormal() * scale;
        Array.Fill(B, IsOutput ? outputBias : 0);
        RandomUnit(Tag, rng);
        NewRoutingTags(rng);
    }

    public void NewRoutingTags(RngStream rng)
    {
        int d = Tag.Length;
        for (int t = 0; t < TagCount; t++)
        {
            RandomUnit(InTags.AsSpan(t * d, d), rng);
            RandomUnit(OutTags.AsSpan(t * d, d), rng);
        }
    }

    public static void RandomUnit(Span<double> v, RngStream rng)
    {
        for (int i = 0; i < v.Length; i++) v[i] = rng.NextNormal();
        Normalise(v);
    }

    public static void Normalise(Span<double> v)
    {
        double norm = 0;
        foreach (var x in v) norm += x * x;
        norm = Math.Sqrt(norm);
        if (norm < 1e-12) return;
        for (int i = 0; i < v.Length; i++) v[i] /= norm;
    }

    /// <summary>Max cosine between this neuron's output tags and <paramref name="next"/>'s input tags (tags are unit vectors).</summary>
    public double Affinity(Neuron next)
    {
        int d = Tag.Length;
        double best = double.NegativeInfinity;
        for (int a = 0; a < TagCount; a++)
            for (int b = 0; b < TagCount; b++)
            {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += OutTags[a * d + k] * next.InTags[b * d + k];
                best = Math.Max(best, dot);
            }
        return best;
    }

    public Neuron Clone()
    {
        var copy = new Neuron(In, Out, Tag.Length, IsOutput)
        {
            IsBroadcast = IsBroadcast, W = (double[])W.Clone(), B = (double[])B.Clone(), Tag = (double[])Tag.Clone(),
            InTags = (double[])InTags.Clone(), OutTags = (double[])OutTags.Clone(), Threshold = Threshold, LrScale = LrScale,
            ActivationCount = ActivationCount, RewardStart = RewardStart, Targets = (int[])Targets.Clone(), TargetLayerId = TargetLayerId,
        };
        Output.CopyTo(copy.Output, 0);
        return copy;
    }

    public void Save(IStateWriter w)
    {
        w.WriteInt64("in", In);
        w.WriteInt64("out", Out);
        w.WriteBool("is_output", IsOutput);
        w.WriteBool("is_broadcast", IsBroadcast);
        w.WriteDoubles("w", W, [In, Out]);
        w.WriteDoubles("b", B);
        w.WriteDoubles("tag", Tag);
        w.WriteDoubles("in_tags", InTags, [TagCount, Tag.Length]);
        w.WriteDoubles("out_tags", OutTags, [TagCount, Tag.Length]);
        w.WriteDouble("threshold", Threshold);
        w.WriteDouble("lr_scale", LrScale);
        w.WriteInt64("activation_count", ActivationCount);
        w.WriteInt64("reward_start", RewardStart);
        w.WriteInt32s("targets", Targets);
        w.WriteInt64("target_layer_id", TargetLayerId);
        w.WriteDoubles("output", Output);
    }

    public static Neuron Load(IStateReader r)
    {
        var tag = r.ReadDoubles("tag", out _);
        var n = new Neuron((int)r.ReadInt64("in"), (int)r.ReadInt64("out"), tag.Length, r.ReadBool("is_output"))
        {
            IsBroadcast = r.ReadBool("is_broadcast"), W = r.ReadDoubles("w", out _), B = r.ReadDoubles("b", out _), Tag = tag,
            InTags = r.ReadDoubles("in_tags", out _), OutTags = r.ReadDoubles("out_tags", out _), Threshold = r.ReadDouble("threshold"),
            LrScale = r.ReadDouble("lr_scale"), ActivationCount = r.ReadInt64("activation_count"), RewardStart = r.ReadInt64("reward_start"),
            Targets = r.ReadInt32s("targets", out _), TargetLayerId = r.ReadInt64("target_layer_id"),
        };
        r.ReadDoubles("output", out _).CopyTo(n.Output, 0);
        return n;
    }
}

/// <summary>A layer: an ensemble of neurons with a stable identity and a tag.</summary>
internal sealed class Layer(long id, int tagDim)
{
    public long Id { get; set; } = id;
    public double[] Tag { get; set; } = new double[tagDim];
    public List<Neuron> Neurons { get; } = [];
    public long ActivationCount { get; set; }

    public Layer Clone()
    {
        var copy = new Layer(Id, Tag.Length) { Tag = (double[])Tag.Clone(), ActivationCount = ActivationCount };
        copy.Neurons.AddRange(Neurons.Select(n => n.Clone()));
        return copy;
    }
}
