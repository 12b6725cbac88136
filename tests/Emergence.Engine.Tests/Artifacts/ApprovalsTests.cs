using System.Text;
using Emergence.Testing;

namespace Emergence.Engine.Tests.Artifacts;

// Tests the Emergence.Testing approval helper (it has no test project of its own).
public sealed class ApprovalsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ApprovalTarget Target(string extension = "txt") =>
        ApprovalTarget.From(Path.Combine(_dir.Path, "FooTests.cs"), "Bar_Baz_Qux", extension);

    [Fact]
    public void From_SourceFileAndMember_PutsFilesBesideSource()
    {
        var t = Target("svg");
        t.VerifiedPath.Should().Be(Path.Combine(_dir.Path, "FooTests.Bar_Baz_Qux.verified.svg"));
        t.ReceivedPath.Should().Be(Path.Combine(_dir.Path, "FooTests.Bar_Baz_Qux.received.svg"));
    }

    [Fact]
    public void Run_NoVerifiedFile_WritesReceivedAndFails()
    {
        var act = () => ApprovalCheck.Run(Target(), ApprovalContent.FromText("hello\n"), approve: false);

        act.Should().Throw<ApprovalException>().WithMessage("No verified file*");
        File.ReadAllText(Target().ReceivedPath).Should().Be("hello\n");
        File.Exists(Target().VerifiedPath).Should().BeFalse();
    }

    [Fact]
    public void Run_Matching_PassesAndRemovesStaleReceived()
    {
        File.WriteAllText(Target().VerifiedPath, "a\nb\n");
        File.WriteAllText(Target().ReceivedPath, "old");

        ApprovalCheck.Run(Target(), ApprovalContent.FromText("a\nb\n"), approve: false);

        File.Exists(Target().ReceivedPath).Should().BeFalse();
    }

    [Fact]
    public void Run_VerifiedWithCrlf_MatchesLfOutput()
    {
        File.WriteAllText(Target().VerifiedPath, "a\r\nb\r\n", Encoding.UTF8); // Encoding.UTF8 also writes a BOM
        ApprovalCheck.Run(Target(), ApprovalContent.FromText("a\nb\n"), approve: false);
    }

    [Fact]
    public void Run_TextMismatch_FailsNamingFirstDifferentLine()
    {
        File.WriteAllText(Target().VerifiedPath, "same\nold line\nend\n");

        var act = () => ApprovalCheck.Run(Target(), ApprovalContent.FromText("same\nnew line\nend\n"), approve: false);

        act.Should().Throw<ApprovalException>()
            .WithMessage("*first difference at line 2*verified: \"old line\"*received: \"new line\"*");
        File.ReadAllText(Target().ReceivedPath).Should().Be("same\nnew line\nend\n");
    }

    [Fact]
    public void Run_BytesMismatch_FailsNamingOffset()
    {
        File.WriteAllBytes(Target("bin").VerifiedPath, [1, 2, 3, 4]);

        var act = () => ApprovalCheck.Run(Target("bin"), ApprovalContent.FromBytes([1, 2, 9, 4, 5]), approve: false);

        act.Should().Throw<ApprovalException>().WithMessage("*byte offset 2*4 bytes*received 5*");
    }

    [Fact]
    public void Run_ApproveWithDifference_WritesVerifiedAndStillFails()
    {
        File.WriteAllText(Target().VerifiedPath, "old\n");

        var act = () => ApprovalCheck.Run(Target(), ApprovalContent.FromText("new\n"), approve: true);

        act.Should().Throw<ApprovalException>().WithMessage("approved: re-run to check*");
        File.ReadAllText(Target().VerifiedPath).Should().Be("new\n");
        ApprovalCheck.Run(Target(), ApprovalContent.FromText("new\n"), approve: false);
    }

    [Fact]
    public void Run_ApproveWhenAlreadyMatching_Passes()
    {
        File.WriteAllText(Target().VerifiedPath, "same\n");
        ApprovalCheck.Run(Target(), ApprovalContent.FromText("same\n"), approve: true);
    }

    [Fact]
    public void From_RelativeSourcePathOrDottedExtension_Throws()
    {
        var relative = () => ApprovalTarget.From("FooTests.cs", "M", "txt");
        var dotted = () => ApprovalTarget.From(Path.Combine(_dir.Path, "FooTests.cs"), "M", ".txt");
        relative.Should().Throw<ArgumentException>().WithMessage("*not an absolute path*");
        dotted.Should().Throw<ArgumentException>();
    }
}
