using Emergence.Contracts.State;

namespace Emergence.Plugins.SparkNet.Model;

/// <summary>The sparks: position, energy, age and the position before the current one (for return detection).</summary>
internal sealed class Sparks
{
    public Sparks(int count)
    {
        Position = new int[count];
        Energy = new float[count];
        Age = new int[count];
        Before = new int[count];
        Array.Fill(Energy, 1f);
        Array.Fill(Before, -1);
    }

    /// <summary>Number of sparks K.</summary>
    public int Count => Position.Length;

    /// <summary>Current neuron of each spark.</summary>
    public int[] Position { get; private set; }

    /// <summary>Energy of each spark, 1 at (re)spawn, ×ρ per move.</summary>
    public float[] Energy { get; private set; }

    /// <summary>Moves since the last (re)spawn.</summary>
    public int[] Age { get; private set; }

    /// <summary>The neuron the spark occupied before <see cref="Position"/>, or -1 right after a (re)spawn.</summary>
    public int[] Before { get; private set; }

    /// <summary>Resizes to <paramref name="count"/>: new sparks get energy 1, age 0 and position -1 (the caller spawns them); lowering drops the highest indices.</summary>
    public void Resize(int count)
    {
        int old = Count;
        Position = Grow(Position, count, -1, old);
        Energy = Grow(Energy, count, 1f, old);
        Age = Grow(Age, count, 0, old);
        Before = Grow(Before, count, -1, old);
    }

    /// <summary>Puts spark <paramref name="k"/> at <paramref name="neuron"/> with full energy and age 0.</summary>
    public void Respawn(int k, int neuron)
    {
        Position[k] = neuron;
        Energy[k] = 1f;
        Age[k] = 0;
        Before[k] = -1;
    }

    public void Save(IStateWriter writer)
    {
        writer.WriteInt32s("position", Position);
        writer.WriteFloats("energy", Energy);
        writer.WriteInt32s("age", Age);
        writer.WriteInt32s("before", Before);
    }

    public void Load(IStateReader reader)
    {
        Position = reader.ReadInt32s("position", out _);
        Energy = reader.ReadFloats("energy", out _);
        Age = reader.ReadInt32s("age", out _);
        Before = reader.ReadInt32s("before", out _);
        if (Energy.Length != Count || Age.Length != Count || Before.Length != Count)
            throw new StateFormatException($"sparks: arrays of different lengths ({Count}, {Energy.Length}, {Age.Length}, {Before.Length})");
    }

    private static T[] Grow<T>(T[] data, int count, T fill, int old)
    {
        var result = new T[count];
        Array.Copy(data, result, Math.Min(old, count));
        for (int i = old; i < count; i++) result[i] = fill;
        return result;
    }
}
