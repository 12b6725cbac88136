using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Options of strategies that take none.</summary>
public sealed class NoOptions
{
}

/// <summary>Faithful presence (<c>force</c>): s[pos_k] ← 1 while age_k &lt; F (the value stays after the spark leaves, bug 7).</summary>
internal sealed class ForcePresence : IPresenceRule
{
    public void Apply(in SparkStep step)
    {
        var sparks = step.Model.Sparks;
        int force = step.Options.SparkForceSteps;
        for (int k = 0; k < sparks.Count; k++)
            if (sparks.Age[k] < force) step.Model.S[sparks.Position[k]] = 1f;
    }
}

/// <summary>Faithful lifecycle (<c>energy_decay</c>): energy ← ρ·energy; s_q ← energy; age += 1; dies when energy &lt; e_min.</summary>
internal sealed class EnergyDecayLifecycle : ILifecycleRule
{
    public bool Advance(in SparkStep step, int spark, int neuron)
    {
        var sparks = step.Model.Sparks;
        float energy = (float)step.Options.SparkEnergyDecay * sparks.Energy[spark];
        sparks.Energy[spark] = energy;
        step.Model.S[neuron] = energy;
        sparks.Age[spark]++;
        return energy < (float)step.Options.SparkMinEnergy;
    }
}
