using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class OptionsModelTests
{
    public sealed class Unsupported
    {
        public Dictionary<string, int> Map { get; set; } = [];
    }

    public sealed class Clash
    {
        public int Rate { get; set; }
        [Emergence.Contracts.Options.OptionName("rate")] public int Other { get; set; }
    }

    [Fact]
    public void For_TestOptions_ListsKeysInDeclarationOrderWithAttributes()
    {
        var model = OptionsModel.For(typeof(NetModelOptions));

        model.Keys.Should().StartWith(["n_neurons", "big_count", "mask", "density"]);
        model.Find("n_neurons")!.Range!.Maximum.Should().Be(500);
        model.Find("temperature")!.LiveEditable.Should().BeTrue();
        model.Find("tag")!.Type.IsNullable.Should().BeTrue();
        model.Find("name")!.Type.IsNullable.Should().BeFalse();
        model.Find("inner")!.Type.Nested!.Keys.Should().Equal("depth", "label");
    }

    [Fact]
    public void For_UnsupportedPropertyType_ThrowsWithAdvice()
    {
        var act = () => OptionsModel.For(typeof(Unsupported));

        act.Should().Throw<OptionsModelException>().WithMessage("*Unsupported.Map has type Dictionary`2, which manifests cannot express*");
    }

    [Fact]
    public void For_TwoPropertiesWithOneKey_Throws()
    {
        var act = () => OptionsModel.For(typeof(Clash));

        act.Should().Throw<OptionsModelException>().WithMessage("*two properties use the key 'rate'*");
    }
}
