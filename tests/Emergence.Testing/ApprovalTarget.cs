namespace Emergence.Testing;

/// <summary>Where the verified and received files of one check live.</summary>
/// <param name="VerifiedPath">Full path of <c>TESTCLASS.MEMBER.verified.EXT</c>.</param>
/// <param name="ReceivedPath">Full path of <c>TESTCLASS.MEMBER.received.EXT</c>.</param>
internal readonly record struct ApprovalTarget(string VerifiedPath, string ReceivedPath)
{
    /// <summary>Builds the paths from the caller's source file, member name and extension.</summary>
    public static ApprovalTarget From(string sourceFile, string member, string extension)
    {
        if (string.IsNullOrEmpty(sourceFile) || !Path.IsPathRooted(sourceFile))
        {
            throw new ArgumentException(
                $"The caller's source path '{sourceFile}' is not an absolute path; approvals need [CallerFilePath] " +
                "to point at the test source (do not map source paths in test builds).", nameof(sourceFile));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        if (string.IsNullOrEmpty(extension) || extension.Contains('.', StringComparison.Ordinal) || extension.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Extension '{extension}' must be non-empty, without dots or spaces.", nameof(extension));
        }

        string directory = Path.GetDirectoryName(sourceFile)!;
        string stem = $"{Path.GetFileNameWithoutExtension(sourceFile)}.{member}";
        return new ApprovalTarget(
            Path.Combine(directory, $"{stem}.verified.{extension}"),
            Path.Combine(directory, $"{stem}.received.{extension}"));
    }
}
