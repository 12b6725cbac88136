namespace Emergence.Engine.Tests.MessagePack;

/// <summary>Locates the repository (for tools/ scripts and checked-in regression inputs) and makes temp folders.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Regressions => Path.Combine(RepoRoot, "tests", "Emergence.Engine.Tests", "MessagePack", "regressions");

    public static string NewTempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "emergence-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Emergence.Engine.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Emergence.Engine.sln above {AppContext.BaseDirectory}");
    }
}
