using Emergence.Contracts.Random;

namespace Emergence.Plugins.SelfModifying;

/// <summary>
/// The six modification strategies (spec §4), faithful and fixed. Each returns false when it does nothing
/// (the record is then marked failed), and notes the layer and neuron it touched in the record.
/// </summary>
internal static class Modify
{
    public static bool Apply(ModificationType type, Network net, TrainerOptions o, RngStream rng, ModificationRecord record, List<double[]> probe) =>
        type switch
        {
            ModificationType.AddNeuron => AddNeuron(net, o, rng, record),
            ModificationType.RemoveNeuron => net.Fixed ? RemoveNeuronByAblation(net, o, record, probe) : RemoveNeuronFaithful(net, o, record),
            ModificationType.AddLayer => AddLayer(net, o, rng, record),
            ModificationType.RemoveLayer => RemoveLayer(net, o, record),
            ModificationType.Rewire => Rewire(net, o, rng, record),
            ModificationType.Adjust => Adjust(net, o, rng),
            _ => false,
        };

    /// <summary>
    /// need = 2·struggling + 1.5·(1 − mean perf) + (1 − mean activations per sample) + 3·[below min] + N(0, sd²) per layer;
    /// the neediest layer below the maximum gets a child of its best neuron (the first on ties).
    /// </summary>
    private static bool AddNeuron(Network net, TrainerOptions o, RngStream rng, ModificationRecord record)
    {
        int best = -1;
        double bestNeed = double.NegativeInfinity;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            double struggling = layer.Neurons.Count(n => n.ActivationCount > 5 && net.Performance(n) < 0) / (double)layer.Neurons.Count;
            double perf = layer.Neurons.Average(n => net.Performance(n));
            double activity = layer.ActivationCount == 0 ? 0 : layer.Neurons.Average(n => (double)n.ActivationCount / layer.ActivationCount);
            double need = 2 * struggling + 1.5 * (1 - perf) + (1 - activity) + 3 * (layer.Neurons.Count < o.Neurons[0] ? 1 : 0)
                          + rng.NextNormal() * o.AddNeuronNoiseSd;
            if (layer.Neurons.Count < o.Neurons[1] && need > bestNeed) (best, bestNeed) = (l, need);
        }
        if (best < 0) return false;
        var target = net.Layers[best];
        int parentIndex = 0;
        for (int i = 1; i < target.Neurons.Count; i++)
            if (net.Performance(target.Neurons[i]) > net.Performance(target.Neurons[parentIndex])) parentIndex = i;
        var parent = target.Neurons[parentIndex];
        var child = new Neuron(parent.In, parent.Out, parent.Tag.Length, parent.IsOutput) { RewardStart = net.RewardCount };
        for (int i = 0; i < child.W.Length; i++) child.W[i] = parent.W[i] + rng.NextNormal() * o.AddNeuronInheritSd;
        for (int i = 0; i < child.B.Length; i++) child.B[i] = parent.B[i] + rng.NextNormal() * o.AddNeuronInheritSd;
        for (int i = 0; i < child.Tag.Length; i++) child.Tag[i] = parent.Tag[i] + rng.NextNormal() * o.AddNeuronTagSd;
        Neuron.Normalise(child.Tag);
        child.NewRoutingTags(rng);
        target.Neurons.Add(child);
        (record.Layer, record.Neuron) = (best, target.Neurons.Count - 1);
        // Fixed: the previous layer routes to the new neuron too (recomputed at the next pass).
        if (net.Fixed && best > 0) foreach (var n in net.Layers[best - 1].Neurons) n.TargetLayerId = -1;
        return true;
    }

    /// <summary>The original: in layers with more than 2 neurons remove every neuron with mean perf &lt; −2, else every one with &lt; 3 activations (in practice nothing).</summary>
    private static bool RemoveNeuronFaithful(Network net, TrainerOptions o, ModificationRecord record)
    {
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            if (layer.Neurons.Count <= Math.Max(2, o.Neurons[0])) continue;
            var doomed = layer.Neurons.Where(n => net.Performance(n) < -2.0).ToList();
            if (doomed.Count == 0) doomed = layer.Neurons.Where(n => n.ActivationCount < 3).ToList();
            doomed = doomed.Take(layer.Neurons.Count - Math.Max(2, o.Neurons[0])).ToList();
            if (doomed.Count == 0) continue;
            record.Layer = l;
            record.Neuron = layer.Neurons.IndexOf(doomed[0]);
            foreach (var n in doomed) layer.Neurons.Remove(n);
            return true;
        }
        return false;
    }

    /// <summary>Fixed: remove the neuron whose removal changes the predictions on a probe set least (the smallest ablation effect).</summary>
    private static bool RemoveNeuronByAblation(Network net, TrainerOptions o, ModificationRecord record, List<double[]> probe)
    {
        var scratch = new RngStream(1);
        var baseline = probe.Select(x => net.Forward(x, scratch, o.PredClip, count: false)).ToArray();
        (int Layer, int Neuron, double Effect) best = (-1, -1, double.PositiveInfinity);
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            if (layer.Neurons.Count <= o.Neurons[0]) continue;
            for (int i = 0; i < layer.Neurons.Count; i++)
            {
                var neuron = layer.Neurons[i];
                layer.Neurons.RemoveAt(i);
                var saved = l > 0 ? net.Layers[l - 1].Neurons.Select(n => (n.Targets, n.TargetLayerId)).ToList() : null;
                if (l > 0) foreach (var n in net.Layers[l - 1].Neurons) n.TargetLayerId = -1;
                scratch = new RngStream(1);
                double effect = 0;
                for (int k = 0; k < probe.Count; k++) effect += Math.Abs(net.Forward(probe[k], scratch, o.PredClip, count: false) - baseline[k]);
                if (saved is not null)
                    for (int j = 0; j < saved.Count; j++) (net.Layers[l - 1].Neurons[j].Targets, net.Layers[l - 1].Neurons[j].TargetLayerId) = saved[j];
                layer.Neurons.Insert(i, neuron);
                if (effect < best.Effect) best = (l, i, effect);
            }
        }
        if (best.Layer < 0) return false;
        net.Layers[best.Layer].Neurons.RemoveAt(best.Neuron);
        if (best.Layer > 0) foreach (var n in net.Layers[best.Layer - 1].Neurons) n.TargetLayerId = -1;
        (record.Layer, record.Neuron) = (best.Layer, best.Neuron);
        return true;
    }

    /// <summary>Insert a 4→4 layer of 2 fresh tanh neurons at max(1, ⌊L/2⌋); fixed mode initialises it near identity.</summary>
    private static bool AddLayer(Network net, TrainerOptions o, RngStream rng, ModificationRecord record)
    {
        if (net.Layers.Count >= o.Layers[1]) return false;
        int at = Math.Max(1, net.Layers.Count / 2);
        var layer = new Layer(net.NextLayerId(), net.Options.TagDim);
        Neuron.RandomUnit(layer.Tag, rng);
        for (int i = 0; i < 2; i++)
        {
            var n = net.NewNeuron(output: false, rng);
            if (net.Fixed)
            {
                Array.Clear(n.W);
                for (int k = 0; k < Network.Width; k++) n.W[k * Network.Width + k] = 1;
                Array.Clear(n.B);
            }
            layer.Neurons.Add(n);
        }
        net.Layers.Insert(at, layer);
        record.Layer = at;
        return true;
    }

    /// <summary>Pop the middle layer (never the first or last) with the lowest mean neuron performance; needs more than 2 layers.</summary>
    private static bool RemoveLayer(Network net, TrainerOptions o, ModificationRecord record)
    {
        if (net.Layers.Count <= Math.Max(2, o.Layers[0])) return false;
        int worst = 1;
        for (int l = 2; l < net.Layers.Count - 1; l++)
            if (net.MeanPerformance(net.Layers[l]) < net.MeanPerformance(net.Layers[worst])) worst = l;
        net.Layers.RemoveAt(worst);
        record.Layer = worst;
        return true;
    }

    /// <summary>
    /// Source layer s uniform in [0, L−2], a uniform neuron (broadcast fails), target layer uniform in s+1..min(s+3, L−1),
    /// threshold by distance. Faithful stores the layer index as the target id, so the next pass recomputes the default
    /// routing (a no-op). Fixed routes the neuron to layer t by its stable id: a real skip connection when t &gt; s + 1.
    /// </summary>
    private static bool Rewire(Network net, TrainerOptions o, RngStream rng, ModificationRecord record)
    {
        int layers = net.Layers.Count;
        if (layers < 2) return false;
        int s = rng.NextInt(layers - 1);
        var source = net.Layers[s];
        int i = rng.NextInt(source.Neurons.Count);
        var neuron = source.Neurons[i];
        (record.Layer, record.Neuron) = (s, i);
        if (neuron.IsBroadcast) return false;
        int t = s + 1 + rng.NextInt(Math.Min(s + 3, layers - 1) - s);
        int distance = t - s;
        double threshold = o.RewireSim[Math.Min(distance, 4) - 1];
        var targets = Network.Targets(neuron, net.Layers[t], threshold, rng, inclusive: true);
        // Faithful stores the index (never equal to a layer id: the default routing comes back); fixed stores the id: a skip connection.
        (neuron.Targets, neuron.TargetLayerId) = (targets, net.Fixed ? net.Layers[t].Id : t);
        return true;
    }

    /// <summary>Faithful: every threshold ± step, clipped to [0.1, 0.7] (no effect while gating is off). Fixed: every neuron's learning rate ×0.5 or ×2.</summary>
    private static bool Adjust(Network net, TrainerOptions o, RngStream rng)
    {
        bool up = rng.NextDouble() < 0.5;
        foreach (var n in net.Layers.SelectMany(l => l.Neurons))
        {
            if (net.Fixed) n.LrScale = Math.Clamp(n.LrScale * (up ? 2 : 0.5), 1e-3 / o.Lr, 0.5 / o.Lr);
            else n.Threshold = Math.Clamp(n.Threshold + (up ? o.AdjustStep : -o.AdjustStep), 0.1, 0.7);
        }
        return true;
    }
}
