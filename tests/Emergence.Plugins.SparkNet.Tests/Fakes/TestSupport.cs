using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Standalone;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Tests.Fakes;

/// <summary>Small builders shared by the tests.</summary>
internal static class TestSupport
{
    public static SparkNetModelOptions Small(int n = 6, int k = 1, int h = 2) =>
        new() { NNeurons = n, GridH = h, GridW = n / h, NumSparks = k };

    public static SparkNetSession Session(ulong seed = 1, SparkNetModelOptions? model = null, SparkNetTrainerOptions? trainer = null,
        params (string Slot, string Name, object? Options)[] strategies) =>
        new(seed, model, trainer, strategies.ToDictionary(s => s.Slot, s => (s.Name, s.Options)));

    /// <summary>A step context for calling strategies directly.</summary>
    public static SparkStep Step(SparkNetModel model, SparkNetTrainerOptions? options = null, RngStream? rng = null, long t = 1, EdgeVisits? visits = null) =>
        new(model, options ?? new SparkNetTrainerOptions(), rng ?? new RngStream(7), t, visits ?? new EdgeVisits());

    /// <summary>A model with W = 0 (or a given W), s = M = 0 and sparks at the given positions.</summary>
    public static SparkNetModel Model(int n, float[]? w = null, params int[] sparks)
    {
        var model = new SparkNetModel(new SparkNetModelOptions { NNeurons = n, GridH = 1, GridW = n, NumSparks = sparks.Length }, new RngStream(3));
        Array.Clear(model.W);
        w?.CopyTo(model.W, 0);
        for (int k = 0; k < sparks.Length; k++) model.Sparks.Position[k] = sparks[k];
        return model;
    }

    /// <summary>SHA-256 of W, s, M, sparks and t.</summary>
    public static string Hash(SparkNetModel model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(model.W.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(model.S.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(model.M.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(model.Sparks.Position.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(model.Sparks.Energy.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(model.Sparks.Age.AsSpan()));
        sha.AppendData(BitConverter.GetBytes(model.T));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
