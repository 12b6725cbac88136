using Emergence.Contracts.Random;
using Emergence.Engine.Checkpoints;

namespace Emergence.Engine.Tests.Checkpoints;

/// <summary>A representative checkpoint: header, two RNG streams (one with a cached normal) and a state tree.</summary>
internal static class CheckpointSamples
{
    public static readonly DateTimeOffset Created = new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.Zero).AddTicks(1234567);

    public static CheckpointHeader Header(long step = 42) => new(
        "0.1.0", "SparkNet", "1.2.3", new string('a', 64), "sparks-small", "run-7", step, Created,
        "experiment: sparks-small\nseed: 7\nmodel:\n  sparks: 3\n");

    public static Dictionary<string, RngStream> Rngs()
    {
        var simulation = RngStream.Derive(7, "simulation");
        simulation.NextNormal(); // leaves a cached spare normal
        var layout = RngStream.Derive(7, "layout");
        layout.NextUInt64();
        return new(StringComparer.Ordinal) { ["simulation"] = simulation, ["layout"] = layout };
    }

    public static float[] Weights(int n = 12)
    {
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = i * 0.5f - 3f;
        return w;
    }

    public static StateTreeWriter State(int weights = 12)
    {
        var root = new StateTreeWriter();
        var model = root.Section("model");
        model.WriteFloats("weights", Weights(weights), [weights / 4, 4]);
        model.WriteDoubles("bias", [0.1, -0.2, double.NaN]);
        model.WriteInt32s("ids", [1, -2, int.MaxValue]);
        model.WriteInt64s("ages", [long.MinValue, 0, long.MaxValue]);
        model.WriteBytes("blob", [9, 8, 7]);
        var trainer = root.Section("trainer");
        trainer.WriteInt64("epoch", 3);
        trainer.WriteDouble("lr", 0.001);
        trainer.WriteBool("warm", true);
        trainer.WriteString("phase", "grokking ✓");
        trainer.WriteRng("noise", RngStream.Derive(1, "noise"));
        root.Section("host").WriteInt64("step", 42);
        return root;
    }
}
