using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class ManifestErrorTests
{
    [Fact]
    public void ToString_FileError_HasPositionKeyMessageAndFix()
    {
        new ManifestError("x.yaml", 3, 5, "model.n", "bad", "do this").ToString().Should().Be("x.yaml:3:5: model.n: bad\n  fix: do this");
    }

    [Fact]
    public void ToString_OverrideError_HasNoPosition()
    {
        new ManifestError("--set model.n=1", 0, 0, "model.n", "bad", "do this").ToString().Should().Be("--set model.n=1: model.n: bad\n  fix: do this");
    }

    [Fact]
    public void ManifestException_Message_ListsEveryError()
    {
        var exception = new ManifestException([new ManifestError("a", 1, 1, "k", "m1", "f1"), new ManifestError("a", 2, 1, "k", "m2", "f2")]);

        exception.Message.Should().Be("the manifest has 2 errors:\na:1:1: k: m1\n  fix: f1\na:2:1: k: m2\n  fix: f2");
    }
}
