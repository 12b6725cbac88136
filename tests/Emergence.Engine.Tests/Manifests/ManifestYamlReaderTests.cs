using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class ManifestYamlReaderTests
{
    private readonly ManifestErrorList _errors = new();

    private ManifestNode? Read(string yaml) => ManifestYamlReader.Read(yaml, ManifestYamlReader.FileOrigin("f.yaml"), _errors);

    [Fact]
    public void Read_NestedMap_KeepsPositionsAndScalarStyle()
    {
        var root = (MapNode)Read("a:\n  b: \"5\"\n  c: 5\n")!;

        var inner = (MapNode)root.Find("a")!.Value;
        inner.Find("b")!.Key.Origin.Should().Be(new NodeOrigin("f.yaml", 2, 3));
        ((ScalarNode)inner.Find("b")!.Value).IsPlain.Should().BeFalse();
        ((ScalarNode)inner.Find("c")!.Value).IsPlain.Should().BeTrue();
        ((ScalarNode)inner.Find("c")!.Value).Origin.Column.Should().Be(6);
    }

    [Fact]
    public void Read_AnchorAndAlias_ResolvesAlias()
    {
        var root = (MapNode)Read("a: &x {n: 1}\nb: *x\n")!;

        root.Find("b")!.Value.Should().BeSameAs(root.Find("a")!.Value);
    }

    [Fact]
    public void Read_UnknownAlias_IsError()
    {
        Read("a: 1\nb: *nope\n");

        _errors.Count.Should().Be(1);
    }

    [Fact]
    public void Read_Tag_IsErrorExceptStr()
    {
        var root = (MapNode)Read("a: !!str 5\nb: !!int 5\n")!;

        ((ScalarNode)root.Find("a")!.Value).IsPlain.Should().BeFalse();
        var act = _errors.ThrowIfAny;
        act.Should().Throw<ManifestException>().Which.Errors.Should().ContainSingle()
            .Which.Message.Should().Be("YAML tags such as 'tag:yaml.org,2002:int' are not supported in manifests");
    }

    [Fact]
    public void Read_OnlyComments_GivesEmptyMap()
    {
        Read("# nothing here\n").Should().BeOfType<MapNode>().Which.Entries.Should().BeEmpty();
    }

    [Fact]
    public void Read_DeepNesting_IsErrorNotStackOverflow()
    {
        var root = Read("a: " + new string('[', 5000) + new string(']', 5000) + "\n");

        root.Should().BeNull();
        var act = _errors.ThrowIfAny;
        act.Should().Throw<ManifestException>().Which.Errors.Should().ContainSingle()
            .Which.Message.Should().Be("YAML syntax error: the YAML is nested deeper than 64 levels");
    }

    [Fact]
    public void Read_UnclosedFlowMapAcrossLines_IsSyntaxErrorNotCrash()
    {
        // Found by the corruption test in ManifestLoaderTests: YamlDotNet throws InvalidOperationException here.
        Read("metrics: {every: 50\nvisualize: {every: 500}\n").Should().BeNull();

        var act = _errors.ThrowIfAny;
        var error = act.Should().Throw<ManifestException>().Which.Errors.Should().ContainSingle().Subject;
        error.Message.Should().StartWith("YAML syntax error");
        error.Line.Should().Be(1);
        error.Fix.Should().Contain("unclosed '{'");
    }
}
