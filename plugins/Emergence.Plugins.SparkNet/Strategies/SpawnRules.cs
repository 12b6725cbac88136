using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Strategies;

/// <summary>Faithful <c>memory_softmax</c>: r ~ softmax(gain·M) when ΣM &gt; 0, else uniform (dead code while δ &gt; 0).</summary>
internal sealed class MemorySoftmaxSpawn : ISpawnRule
{
    private double[] _weights = [];

    public int Spawn(in SparkStep step, int spark)
    {
        var m = step.Model.M;
        int n = m.Length;
        double sum = 0, gain = step.Options.RespawnMemGain, max = double.NegativeInfinity;
        for (int i = 0; i < n; i++) sum += m[i];
        if (!(sum > 0)) return step.Simulation.NextInt(n);
        if (_weights.Length != n) _weights = new double[n];
        for (int i = 0; i < n; i++) max = Math.Max(max, gain * m[i]);
        for (int i = 0; i < n; i++) _weights[i] = Math.Exp(gain * m[i] - max);
        return step.Simulation.Categorical(_weights);
    }
}

/// <summary><c>uniform</c>: r ~ UniformInt[0, n).</summary>
internal sealed class UniformSpawn : ISpawnRule
{
    public int Spawn(in SparkStep step, int spark) => step.Simulation.NextInt(step.Model.N);
}

/// <summary><c>fixed</c> (v20–v26): spark k always (re)spawns at neuron k mod n; draws nothing.</summary>
internal sealed class FixedSpawn : ISpawnRule
{
    public int Spawn(in SparkStep step, int spark) => spark % step.Model.N;
}
