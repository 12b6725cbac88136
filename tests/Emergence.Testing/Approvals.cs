using System.Runtime.CompilerServices;

namespace Emergence.Testing;

/// <summary>
/// Approval (golden-file) checks: compare output with <c>TESTCLASS.MEMBER.verified.EXT</c> next to the
/// test's source file. On a mismatch or a missing file the output is written beside it as
/// <c>.received.EXT</c> and the check fails with a summary of the first difference. With the environment
/// variable <c>APPROVE=1</c> the output is written as the verified file instead, and the check still fails
/// ("approved: re-run to check") unless the content already matched — so no run ever passes unchecked.
/// </summary>
public static class Approvals
{
    /// <summary>The environment variable that turns on approving: <c>APPROVE=1</c>.</summary>
    public const string ApproveVariable = "APPROVE";

    /// <summary>
    /// Checks text output. Line endings are normalised to '\n' on both sides, so a verified file checked
    /// out with CRLF still matches.
    /// </summary>
    /// <param name="actual">The output under test.</param>
    /// <param name="extension">File extension without a dot, such as <c>txt</c>, <c>svg</c> or <c>json</c>.</param>
    /// <param name="file">Filled in by the compiler: the calling test's source file.</param>
    /// <param name="member">Filled in by the compiler: the calling test method.</param>
    /// <exception cref="ApprovalException">The output differs from, or there is no, verified file.</exception>
    public static void Verify(
        string actual, string extension = "txt",
        [CallerFilePath] string file = "", [CallerMemberName] string member = "")
    {
        ArgumentNullException.ThrowIfNull(actual);
        ApprovalCheck.Run(ApprovalTarget.From(file, member, extension), ApprovalContent.FromText(actual), ApproveRequested());
    }

    /// <summary>Checks binary output byte for byte.</summary>
    /// <param name="actual">The output under test.</param>
    /// <param name="extension">File extension without a dot, such as <c>png</c> or <c>bin</c>.</param>
    /// <param name="file">Filled in by the compiler: the calling test's source file.</param>
    /// <param name="member">Filled in by the compiler: the calling test method.</param>
    /// <exception cref="ApprovalException">The output differs from, or there is no, verified file.</exception>
    public static void VerifyBytes(
        byte[] actual, string extension = "bin",
        [CallerFilePath] string file = "", [CallerMemberName] string member = "")
    {
        ArgumentNullException.ThrowIfNull(actual);
        ApprovalCheck.Run(ApprovalTarget.From(file, member, extension), ApprovalContent.FromBytes(actual), ApproveRequested());
    }

    private static bool ApproveRequested() => Environment.GetEnvironmentVariable(ApproveVariable) == "1";
}

/// <summary>Thrown when an approval check fails; the message says what differs and what to do.</summary>
public sealed class ApprovalException : Exception
{
    /// <summary>Creates the exception with its explanation.</summary>
    public ApprovalException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an explanation and a cause.</summary>
    public ApprovalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ApprovalException()
        : base("Approval check failed.")
    {
    }
}
