using Emergence.Contracts.Random;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Tests.Checkpoints;

public class StateTreeWriterTests
{
    [Fact]
    public void WriteFloats_Tensor_IsDtypeShapeLittleEndianBin()
    {
        var writer = new StateTreeWriter();
        writer.WriteFloats("w", [1f, -2f], [1, 2]);
        var tensor = writer.ToValue().AsMap()[0].Value;
        tensor.AsMap().Select(p => p.Key.AsString()).Should().Equal("dtype", "shape", "data");
        tensor.TryGet("dtype", out var dtype).Should().BeTrue();
        dtype.AsString().Should().Be("float32");
        tensor.TryGet("shape", out var shape).Should().BeTrue();
        shape.AsArray().Select(d => d.AsInt64()).Should().Equal(1, 2);
        tensor.TryGet("data", out var data).Should().BeTrue();
        Convert.ToHexStringLower(data.AsBin().Span).Should().Be("0000803f000000c0");
    }

    [Fact]
    public void WriteFloats_CallerMutatesBufferAfterwards_TreeKeepsCopy()
    {
        var buffer = new[] { 1f, 2f };
        var writer = new StateTreeWriter();
        writer.WriteFloats("w", buffer, [2]);
        buffer[0] = 99f;
        var reader = new StateTreeReader(writer.ToValue());
        reader.ReadFloats("w", out _).Should().Equal(1f, 2f);
    }

    [Fact]
    public void WriteRng_Layout_IsAlgorithmWordsAndSpare()
    {
        var rng = new RngStream(5);
        rng.NextNormal();
        var writer = new StateTreeWriter();
        writer.WriteRng("r", rng);
        var map = writer.ToValue().AsMap()[0].Value;
        map.AsMap().Select(p => p.Key.AsString()).Should().Equal("rng", "s", "spare");
        map.TryGet("rng", out var name).Should().BeTrue();
        name.AsString().Should().Be("xoshiro256**");
        map.TryGet("s", out var words).Should().BeTrue();
        words.AsArray().Select(w => w.AsUInt64()).Should().Equal(rng.GetState().S0, rng.GetState().S1, rng.GetState().S2, rng.GetState().S3);
        map.TryGet("spare", out var spare).Should().BeTrue();
        spare.AsDouble().Should().Be(rng.GetState().SpareNormal);
        writer.Section("x").WriteRng("r", new RngStream(6));
        writer.ToValue().AsMap()[1].Value.AsMap()[0].Value.TryGet("spare", out var none).Should().BeTrue();
        none.IsNil.Should().BeTrue();
    }

    [Fact]
    public void Write_DuplicateKeyInSection_ThrowsNamingPath()
    {
        var writer = new StateTreeWriter();
        var model = writer.Section("model");
        model.WriteInt64("n", 1);
        FluentActions.Invoking(() => model.WriteDouble("n", 2)).Should().Throw<ArgumentException>().WithMessage("*'model.n'*twice*");
        FluentActions.Invoking(() => writer.Section("model")).Should().Throw<ArgumentException>().WithMessage("*'model'*");
    }

    [Fact]
    public void WriteFloats_ShapeMismatch_ThrowsNamingPath() =>
        FluentActions.Invoking(() => new StateTreeWriter().Section("m").WriteFloats("w", [1f, 2f, 3f], [2, 2]))
            .Should().Throw<ArgumentException>().WithMessage("*'m.w'*4 elements*3*");

    [Fact]
    public void WriteTo_StreamsSameBytesAsToValue()
    {
        var state = CheckpointSamples.State();
        var streamed = new MemoryStream();
        using (var w = new MsgPackWriter(streamed)) state.WriteTo(w);
        var viaValue = new MemoryStream();
        using (var w = new MsgPackWriter(viaValue)) w.Write(state.ToValue());
        streamed.ToArray().Should().Equal(viaValue.ToArray());
    }

    [Fact]
    public void Keys_AreInWriteOrder()
    {
        var writer = new StateTreeWriter();
        writer.WriteInt64("b", 1);
        writer.WriteInt64("a", 2);
        writer.Section("c");
        writer.Keys.Should().Equal("b", "a", "c");
    }

    [Fact]
    public void Dispose_ThenNextTreeOfSameSize_ReusesBufferWithNewContent()
    {
        var first = new float[1_234_567];
        first.AsSpan().Fill(1f);
        byte[] buffer;
        using (var a = new StateTreeWriter())
        {
            a.Section("m").WriteFloats("w", first, [first.Length]);
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(TensorData(a), out var segment).Should().BeTrue();
            buffer = segment.Array!;
        }
        var second = new float[first.Length];
        second.AsSpan().Fill(2f);
        using var b = new StateTreeWriter();
        b.Section("m").WriteFloats("w", second, [second.Length]);
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(TensorData(b), out var reused).Should().BeTrue();
        reused.Array.Should().BeSameAs(buffer);
        new StateTreeReader(b.ToValue()).Section("m").ReadFloats("w", out _).Should().Equal(second);
    }

    [Fact]
    public void Write_AfterDispose_ThrowsObjectDisposed()
    {
        var root = new StateTreeWriter();
        var section = root.Section("s");
        root.Dispose();
        FluentActions.Invoking(() => section.WriteInt64("x", 1)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => root.WriteInt64("x", 1)).Should().Throw<ObjectDisposedException>();
    }

    private static ReadOnlyMemory<byte> TensorData(StateTreeWriter writer)
    {
        writer.ToValue().AsMap()[0].Value.AsMap()[0].Value.TryGet("data", out var data).Should().BeTrue();
        return data.AsBin();
    }
}
