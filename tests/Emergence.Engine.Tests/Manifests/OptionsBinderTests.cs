using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class OptionsBinderTests
{
    private readonly ManifestErrorList _errors = new();

    private NetModelOptions Bind(string yaml)
    {
        var node = ManifestYamlReader.Read(yaml, ManifestYamlReader.FileOrigin("t.yaml"), _errors);
        var options = new NetModelOptions();
        new OptionsBinder(_errors).Bind(options, OptionsModel.For(typeof(NetModelOptions)), node, "model", "options of model 'net'", []);
        return options;
    }

    private ManifestError BindError(string yaml)
    {
        Bind(yaml);
        var act = _errors.ThrowIfAny;
        return act.Should().Throw<ManifestException>().Which.Errors.Should().ContainSingle().Subject;
    }

    [Fact]
    public void Bind_EverySupportedType_SetsValues()
    {
        var options = Bind("""
            n_neurons: 7
            big_count: -9223372036854775808
            mask: 0xFF
            density: 0.1
            temperature: 1e-6
            use_bias: false
            name: "quoted"
            tag: plain words
            view: both_ways
            optional_view: ~
            limit: 12
            layers: []
            rates: [1, 2.5, .inf]
            labels: [a, "b"]
            inner: {depth: 1, label: x}
            """);

        options.NNeurons.Should().Be(7);
        options.BigCount.Should().Be(long.MinValue);
        options.Mask.Should().Be(255UL);
        options.Density.Should().Be(0.1f);
        options.Temperature.Should().Be(1e-6);
        options.UseBias.Should().BeFalse();
        options.Name.Should().Be("quoted");
        options.Tag.Should().Be("plain words");
        options.View.Should().Be(WeightView.BothWays);
        options.OptionalView.Should().BeNull();
        options.Limit.Should().Be(12);
        options.Layers.Should().BeEmpty();
        options.Rates.Should().Equal(1.0, 2.5, double.PositiveInfinity);
        options.Labels.Should().Equal("a", "b");
        options.Inner.Depth.Should().Be(1);
        options.Inner.Label.Should().Be("x");
        _errors.Count.Should().Be(0);
    }

    [Fact]
    public void Bind_NothingGiven_KeepsDefaultsOfFreshInstance()
    {
        var options = Bind("{}");

        options.Should().BeEquivalentTo(new NetModelOptions());
    }

    [Fact]
    public void Bind_FractionForInteger_IsErrorWithWholeNumberFix()
    {
        var error = BindError("n_neurons: 2.5");

        error.Message.Should().Be("expected an integer, got '2.5'");
        error.Fix.Should().Be("write a whole number, e.g. 2 or 3");
    }

    [Fact]
    public void Bind_ExponentForInteger_SuggestsPlainNumber()
    {
        BindError("big_count: 1e6").Fix.Should().Be("write it as a whole number: 1000000");
    }

    [Fact]
    public void Bind_IntegerOverflow_NamesTheTypeRange()
    {
        BindError("n_neurons: 3000000000").Message.Should().Be("3000000000 does not fit in a 32-bit integer (range -2147483648 to 2147483647)");
    }

    [Fact]
    public void Bind_NegativeForUnsigned_IsError()
    {
        BindError("mask: -1").Message.Should().StartWith("-1 does not fit in an unsigned 64-bit integer");
    }

    [Fact]
    public void Bind_FloatOverflow_IsError()
    {
        BindError("density: 1e39").Message.Should().StartWith("1e39 is too large for a 32-bit float");
    }

    [Fact]
    public void Bind_YesForBool_IsNotABoolean()
    {
        var error = BindError("use_bias: yes");

        error.Message.Should().Be("expected true or false, got 'yes'");
        error.Fix.Should().Contain("yes, no, on, off are not booleans");
    }

    [Fact]
    public void Bind_QuotedNumber_AsksToRemoveQuotes()
    {
        var error = BindError("n_neurons: \"500\"");

        error.Message.Should().Be("expected an integer, got the quoted string \"500\"");
        error.Fix.Should().Be("remove the quotes: 500");
    }

    [Fact]
    public void Bind_NullForNonNullable_AsksForValue()
    {
        var error = BindError("n_neurons: null");

        error.Message.Should().Be("expected an integer, got null");
        error.Fix.Should().Be("give a value, or delete the key to use the default");
    }

    [Fact]
    public void Bind_BadListItem_KeysTheIndex()
    {
        var error = BindError("layers: [1, x, 3]");

        error.Key.Should().Be("model.layers[1]");
        (error.Line, error.Column).Should().Be((1, 13));
    }

    [Fact]
    public void Bind_ScalarForList_AsksForList()
    {
        BindError("layers: 5").Message.Should().Be("expected a list of integers, got '5'");
    }

    [Fact]
    public void Bind_UnknownNestedKey_UsesNestedPath()
    {
        var error = BindError("inner: {dept: 3}");

        error.Key.Should().Be("model.inner.dept");
        error.Message.Should().Be("unknown key 'dept' in 'model.inner'; did you mean 'depth'?");
    }

    [Fact]
    public void Bind_NestedOutOfRange_IsError()
    {
        BindError("inner: {depth: 11}").Message.Should().Be("11 is out of range [0, 10]");
    }

    [Fact]
    public void Bind_FloatOutOfRange_ShowsFloatBounds()
    {
        BindError("density: 1.5").Message.Should().Be("1.5 is out of range [0.0, 1.0]");
    }

    [Fact]
    public void Bind_NaNWithRange_IsOutOfRange()
    {
        BindError("density: .nan").Message.Should().Be(".nan is out of range [0.0, 1.0]");
    }

    [Fact]
    public void Bind_SectionIsScalar_AsksForMap()
    {
        BindError("5").Message.Should().Be("expected a map of options of model 'net', got '5'");
    }
}
