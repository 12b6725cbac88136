using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;
using Emergence.Engine.Tests.MessagePack;

namespace Emergence.Engine.Tests.Checkpoints;

/// <summary>Checkpoints against an independent implementation: Debian's python3-msgpack via tools/msgpack/interop.py.</summary>
public sealed class CheckpointInteropTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _dir = TestPaths.NewTempDirectory("ckpt-interop");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PythonRead_CheckpointWrittenByEngine_SeesSameValues()
    {
        var path = Path.Combine(_dir, "engine.msgpack");
        var rngs = CheckpointSamples.Rngs();
        using (var file = File.Create(path)) CheckpointFile.Write(file, CheckpointSamples.Header(), rngs, CheckpointSamples.State());

        using var summary = JsonDocument.Parse(RunScript("read", path));
        var root = summary.RootElement;

        root.GetProperty("format_version").GetInt32().Should().Be(1);
        root.GetProperty("plugin").GetProperty("name").GetString().Should().Be("SparkNet");
        root.GetProperty("step").GetInt64().Should().Be(42);
        root.GetProperty("created").GetString().Should().Be("2026-11-22T08:30:00.123456+00:00");
        root.GetProperty("manifest").GetString().Should().Be(CheckpointSamples.Header().Manifest);
        root.GetProperty("size").GetInt64().Should().Be(new FileInfo(path).Length);
        var simulation = root.GetProperty("rng").GetProperty("simulation");
        var state = rngs["simulation"].GetState();
        simulation.GetProperty("s").EnumerateArray().Select(e => e.GetUInt64()).Should().Equal(state.S0, state.S1, state.S2, state.S3);
        simulation.GetProperty("spare").GetDouble().Should().Be(state.SpareNormal);
        root.GetProperty("rng").GetProperty("layout").GetProperty("spare").ValueKind.Should().Be(JsonValueKind.Null);

        var tensors = root.GetProperty("state").GetProperty("tensors");
        var weights = tensors.GetProperty("model.weights");
        weights.GetProperty("dtype").GetString().Should().Be("float32");
        weights.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(3, 4);
        weights.GetProperty("values").EnumerateArray().Select(e => e.GetSingle()).Should().Equal(CheckpointSamples.Weights());
        tensors.GetProperty("model.bias").GetProperty("values")[2].GetString().Should().Be("NaN");
        tensors.GetProperty("model.ids").GetProperty("values").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(1, -2, int.MaxValue);
        tensors.GetProperty("model.ages").GetProperty("values").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(long.MinValue, 0, long.MaxValue);
        var scalars = root.GetProperty("state").GetProperty("scalars");
        scalars.GetProperty("trainer.phase").GetString().Should().Be("grokking ✓");
        scalars.GetProperty("trainer.lr").GetDouble().Should().Be(0.001);
        scalars.GetProperty("model.blob").GetProperty("bin").GetString().Should().Be("090807");
        root.GetProperty("state").GetProperty("rngs").TryGetProperty("trainer.noise", out _).Should().BeTrue();
    }

    [Fact]
    public void EngineRead_CheckpointWrittenByPython_SeesEveryFamily()
    {
        var path = Path.Combine(_dir, "python.msgpack");
        RunScript("write", path);

        var checkpoint = CheckpointFile.ReadFile(path);

        var h = checkpoint.Header;
        (h.PluginName, h.PluginVersion, h.Experiment, h.RunId, h.Step).Should().Be(("PyPlugin", "9.9.9", "interop", "py-run", (1L << 40) + 7));
        h.Created.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234567));
        checkpoint.RngPurposes.Should().Equal("simulation", "layout");
        var model = checkpoint.State.Section("model");
        model.ReadFloats("weights", out var shape).Should().Equal(0.5f, -1f, 2.25f, 0f, 3.5f, -4.75f);
        shape.Should().Equal(2, 3);
        model.ReadDoubles("bias", out _).Should().Equal(0.1, -0.2, 1e300);
        model.ReadInt32s("ids", out _).Should().Equal(7, int.MinValue);
        model.ReadInt64s("ages", out _).Should().Equal(1L << 62, -5);
        var noise = new Contracts.Random.RngStream(1);
        checkpoint.State.Section("trainer").ReadRng("noise", noise);
        noise.GetState().Should().Be(new Contracts.Random.RngState(1, 2, 3, ulong.MaxValue, true, 0.5));

        checkpoint.StateValue.TryGet("python", out var families).Should().BeTrue();
        AssertFamilies(families);
    }

    [Fact]
    public void EngineReencode_CheckpointWrittenByPython_IsByteIdentical()
    {
        // Both implementations choose the smallest encoding, so re-encoding the decoded tree must
        // reproduce Python's bytes exactly (crc32c value included).
        var path = Path.Combine(_dir, "python.msgpack");
        RunScript("write", path);
        var bytes = File.ReadAllBytes(path);
        var buffer = new ArrayBufferWriter<byte>();
        new MsgPackWriter(buffer).Write(MsgPackDecoder.Decode(bytes, MsgPackDecoderOptions.Checkpoint));
        buffer.WrittenSpan.ToArray().Should().Equal(bytes);
    }

    private static void AssertFamilies(MsgPackValue families)
    {
        MsgPackValue Get(string key) => families.TryGet(key, out var v) ? v : throw new KeyNotFoundException(key);
        var ints = Get("ints").AsArray();
        ints.Take(10).Select(i => i.AsInt64()).Should().Equal(0, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, long.MaxValue);
        ints[10].AsUInt64().Should().Be(ulong.MaxValue);
        ints.Skip(11).Select(i => i.AsInt64()).Should().Equal(-1, -32, -33, -128, -129, -32768, -32769, int.MinValue, int.MinValue - 1L, long.MinValue);
        Get("float32").Kind.Should().Be(MsgPackKind.Float32);
        Get("float32").AsFloat32().Should().Be(1.5f);
        Get("float32_neg").AsFloat32().Should().Be(-0.25f);
        Get("float64").AsDouble().Should().Be(0.1);
        Get("nil").IsNil.Should().BeTrue();
        Get("yes").AsBool().Should().BeTrue();
        Get("no").AsBool().Should().BeFalse();
        Get("strs").AsArray().Select(s => s.AsString().Length).Should().Equal(0, 31, 32, 255, 256, 65535, 65536, 3);
        Get("strs").AsArray()[7].AsString().Should().Be("é€✓");
        Get("bins").AsArray().Select(b => b.AsBin().Length).Should().Equal(0, 255, 256, 65535, 65536);
        Get("bins").AsArray()[1].AsBin().ToArray().Should().Equal(Enumerable.Range(0, 255).Select(i => (byte)i));
        var exts = Get("exts").AsArray();
        exts.Select(e => e.ExtData.Length).Should().Equal(1, 2, 4, 8, 16, 0, 3, 255, 256, 65535, 65536, 1, 0);
        exts.Select(e => (int)e.ExtType).Should().Equal(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, -128, 127);
        Get("timestamps").AsArray().Select(t => (t.TimestampSeconds, t.TimestampNanoseconds)).Should().Equal(
            (0L, 0u), (4294967295L, 0u), (4294967296L, 0u), (1L, 1u), (17179869183L, 999999999u), (17179869184L, 0u), (-1L, 999999999u));
        Get("array16").AsArray().Select(i => i.AsInt64()).Should().Equal(Enumerable.Range(0, 16).Select(i => (long)i));
        Get("map16").AsMap().Select(p => p.Key.AsString()).Should().HaveCount(16).And.StartWith("k00").And.EndWith("k15");
        Get("nested").AsArray()[2].TryGet("deep", out var deep).Should().BeTrue();
        deep.AsArray()[0].TryGet("deeper", out var deeper).Should().BeTrue();
        deeper.AsArray()[1].AsArray()[1].AsArray()[0].AsInt64().Should().Be(3);
        var intKeys = Get("int_keys").AsMap();
        intKeys.Select(p => p.Key.ToString()).Should().Equal("1", "-2", "nil");
        intKeys[1].Value.AsString().Should().Be("minus two");
    }

    private static string RunScript(string command, string path)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tools", "msgpack", "interop.py");
        if (!File.Exists(Python) || Run(Python, ["-c", "import msgpack"]).ExitCode != 0)
            Assert.Fail("install python3-msgpack (apt-get install python3-msgpack)");
        var (exitCode, stdout, stderr) = Run(Python, [script, command, path]);
        exitCode.Should().Be(0, $"interop.py {command} failed: {stderr}");
        return stdout;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string exe, string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
