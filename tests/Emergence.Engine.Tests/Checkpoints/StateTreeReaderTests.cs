using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Tests.Checkpoints;

public class StateTreeReaderTests
{
    private static StateTreeReader Read(StateTreeWriter writer) => new(writer.ToValue());

    private static MsgPackValue Str(string s) => MsgPackValue.FromString(s);

    private static MsgPackValue Map(params (string Key, MsgPackValue Value)[] pairs) =>
        MsgPackValue.FromMap(pairs.Select(p => new KeyValuePair<MsgPackValue, MsgPackValue>(Str(p.Key), p.Value)).ToArray());

    [Fact]
    public void Read_EveryWrittenType_RoundTripsBitExactly()
    {
        var reader = Read(CheckpointSamples.State());
        reader.Keys.Should().Equal("model", "trainer", "host");
        var model = reader.Section("model");
        model.ReadFloats("weights", out var shape).Should().Equal(CheckpointSamples.Weights());
        shape.Should().Equal(3, 4);
        var bias = model.ReadDoubles("bias", out _);
        bias[..2].Should().Equal(0.1, -0.2);
        double.IsNaN(bias[2]).Should().BeTrue();
        model.ReadInt32s("ids", out _).Should().Equal(1, -2, int.MaxValue);
        model.ReadInt64s("ages", out _).Should().Equal(long.MinValue, 0, long.MaxValue);
        model.ReadBytes("blob").Should().Equal(9, 8, 7);
        var trainer = reader.Section("trainer");
        trainer.ReadInt64("epoch").Should().Be(3);
        trainer.ReadDouble("lr").Should().Be(0.001);
        trainer.ReadBool("warm").Should().BeTrue();
        trainer.ReadString("phase").Should().Be("grokking ✓");
        var rng = new RngStream(99);
        trainer.ReadRng("noise", rng);
        rng.GetState().Should().Be(RngStream.Derive(1, "noise").GetState());
        trainer.Contains("epoch").Should().BeTrue();
        trainer.Contains("nope").Should().BeFalse();
    }

    [Fact]
    public void ReadFloatsIntoSpan_Exact_UsesContractDefault()
    {
        IStateReader reader = Read(CheckpointSamples.State());
        var destination = new float[12];
        reader.Section("model").ReadFloats("weights", destination.AsSpan());
        destination.Should().Equal(CheckpointSamples.Weights());
    }

    [Fact]
    public void ReadInt64_MissingKey_NamesFullPathAndPresentKeys() =>
        FluentActions.Invoking(() => Read(CheckpointSamples.State()).Section("trainer").ReadInt64("epochs"))
            .Should().Throw<StateFormatException>().WithMessage("state 'trainer.epochs': missing key (present: epoch, lr, warm, phase, noise)");

    [Fact]
    public void ReadString_WrongType_NamesPathExpectedAndFound() =>
        FluentActions.Invoking(() => Read(CheckpointSamples.State()).Section("trainer").ReadString("epoch"))
            .Should().Throw<StateFormatException>().WithMessage("state 'trainer.epoch': expected a string but found 3");

    [Fact]
    public void ReadDoubles_DtypeMismatch_NamesPathAndBothDtypes() =>
        FluentActions.Invoking(() => Read(CheckpointSamples.State()).Section("model").ReadDoubles("weights", out _))
            .Should().Throw<StateFormatException>().WithMessage("state 'model.weights': dtype mismatch, expected float64 but found float32");

    [Fact]
    public void Section_OnScalar_NamesPath() =>
        FluentActions.Invoking(() => Read(CheckpointSamples.State()).Section("host").Section("step"))
            .Should().Throw<StateFormatException>().WithMessage("state 'host.step': expected a section (map) but found 42");

    [Fact]
    public void ReadFloats_ShapeProductDiffersFromData_NamesPathAndSizes()
    {
        var tensor = Map(("dtype", Str("float32")), ("shape", MsgPackValue.FromArray([MsgPackValue.FromInt(3)])), ("data", MsgPackValue.FromBin(new byte[8])));
        var reader = new StateTreeReader(Map(("m", Map(("w", tensor)))));
        FluentActions.Invoking(() => reader.Section("m").ReadFloats("w", out _))
            .Should().Throw<StateFormatException>().WithMessage("state 'm.w': shape [3] needs 3 x 4 = 12 bytes but data has 8");
    }

    [Fact]
    public void ReadFloats_NegativeDimension_NamesShapeIndex()
    {
        var tensor = Map(("dtype", Str("float32")), ("shape", MsgPackValue.FromArray([MsgPackValue.FromInt(-1)])), ("data", MsgPackValue.FromBin(Array.Empty<byte>())));
        FluentActions.Invoking(() => new StateTreeReader(Map(("w", tensor))).ReadFloats("w", out _))
            .Should().Throw<StateFormatException>().WithMessage("state 'w.shape[0]': expected a non-negative 32-bit integer but found -1");
    }

    [Fact]
    public void ReadRng_AllZeroState_IsRejectedWithPath()
    {
        var zero = MsgPackValue.FromInt(0);
        var rng = Map(("rng", Str("xoshiro256**")), ("s", MsgPackValue.FromArray([zero, zero, zero, zero])), ("spare", MsgPackValue.Nil));
        FluentActions.Invoking(() => new StateTreeReader(Map(("t", Map(("r", rng))))).Section("t").ReadRng("r", new RngStream(1)))
            .Should().Throw<StateFormatException>().WithMessage("state 't.r.s': an all-zero xoshiro256** state is invalid");
    }

    [Fact]
    public void ReadRng_OtherAlgorithm_IsRejected()
    {
        var rng = Map(("rng", Str("mt19937")), ("s", MsgPackValue.FromArray([])), ("spare", MsgPackValue.Nil));
        FluentActions.Invoking(() => new StateTreeReader(Map(("r", rng))).ReadRng("r", new RngStream(1)))
            .Should().Throw<StateFormatException>().WithMessage("state 'r': expected rng \"xoshiro256**\" but found str \"mt19937\"");
    }

    [Fact]
    public void Constructor_DuplicateOrNonStringKeys_AreRejected()
    {
        var dup = MsgPackValue.FromMap([new(Str("a"), MsgPackValue.Nil), new(Str("a"), MsgPackValue.Nil)]);
        FluentActions.Invoking(() => new StateTreeReader(dup)).Should().Throw<StateFormatException>().WithMessage("state 'a': key appears twice");
        var intKey = MsgPackValue.FromMap([new(MsgPackValue.FromInt(1), MsgPackValue.Nil)]);
        FluentActions.Invoking(() => new StateTreeReader(intKey, "model")).Should().Throw<StateFormatException>().WithMessage("state 'model': keys must be strings*");
    }
}
