namespace Emergence.Engine.Tests.Plugins;

/// <summary>Finds the fixture plugins the build published to artifacts/fixtures/, and makes disposable copies.</summary>
internal static class FixturePlugins
{
    public static string Root { get; } = FindUp(AppContext.BaseDirectory, Path.Combine("artifacts", "fixtures"));

    /// <summary>Main assembly path of a published fixture.</summary>
    public static string MainAssembly(string name) => Path.Combine(Root, name, name + ".dll");

    /// <summary>Copies a fixture's folder into <paramref name="destinationRoot"/>/NAME and returns its main assembly path.</summary>
    public static string CopyTo(string name, string destinationRoot)
    {
        var target = Path.Combine(destinationRoot, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, name)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return Path.Combine(target, name + ".dll");
    }

    /// <summary>A catalog of a private copy of one fixture under <paramref name="root"/>/plugins (tests may overwrite the copy).</summary>
    public static Emergence.Engine.Plugins.PluginCatalog CatalogOfCopy(string name, string root)
    {
        CopyTo(name, Path.Combine(root, "plugins"));
        var catalog = Emergence.Engine.Plugins.PluginCatalog.Discover([Path.Combine(root, "plugins")]);
        if (catalog.Errors.Count > 0) throw new InvalidOperationException(string.Join("; ", catalog.Errors));
        return catalog;
    }

    private static string FindUp(string start, string relative)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"{relative} not found above {start}; build the solution first");
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("emergence-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file; the OS temp cleaner removes it later.
        }
    }
}
