namespace Emergence.Engine.Plugins;

/// <summary>
/// The plugins found in the plugin folders. Each immediate subfolder of a plugin folder holds one
/// plugin whose main assembly is <c>FOLDER/FOLDER.dll</c> (what a plugin project's build
/// produces in <c>artifacts/plugins/</c>). A plugin that fails to load is recorded in
/// <see cref="Errors"/> and never stops the others from loading.
/// </summary>
internal sealed class PluginCatalog
{
    private readonly Dictionary<string, LoadedPlugin> _byName = new(StringComparer.Ordinal);

    /// <summary>Loaded plugins, by name order.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins => _byName.Values.OrderBy(p => p.Descriptor.Info.Name, StringComparer.Ordinal).ToList();

    /// <summary>Plugins that could not be loaded, with why.</summary>
    public List<PluginLoadError> Errors { get; } = [];

    /// <summary>The folders that were searched.</summary>
    public List<string> SearchedFolders { get; } = [];

    /// <summary>Names of the loaded plugins.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>The plugin registered under <paramref name="name"/>, or null.</summary>
    public PluginDescriptor? Find(string name) => _byName.TryGetValue(name, out var p) ? p.Descriptor : null;

    /// <summary>Loads every plugin in <paramref name="folders"/> (missing folders are skipped).</summary>
    public static PluginCatalog Discover(IEnumerable<string> folders)
    {
        var catalog = new PluginCatalog();
        foreach (var folder in folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder)) continue;
            catalog.SearchedFolders.Add(folder);
            foreach (var dir in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            {
                var main = Path.Combine(dir, Path.GetFileName(dir) + ".dll");
                if (File.Exists(main)) catalog.TryAdd(main);
            }
        }
        return catalog;
    }

    /// <summary>Loads one plugin from its main assembly and adds it, recording any error.</summary>
    public bool TryAdd(string mainAssemblyPath)
    {
        LoadedPlugin plugin;
        try
        {
            plugin = PluginLoader.Load(mainAssemblyPath);
        }
        catch (PluginLoadException e)
        {
            Errors.Add(new PluginLoadError(mainAssemblyPath, e.Message));
            return false;
        }
        var name = plugin.Descriptor.Info.Name;
        if (_byName.TryGetValue(name, out var existing))
        {
            Errors.Add(new PluginLoadError(mainAssemblyPath,
                $"plugin name '{name}' is already provided by {existing.Descriptor.AssemblyPath}; this copy is ignored"));
            plugin.Context.Unload();
            return false;
        }
        _byName.Add(name, plugin);
        return true;
    }

    /// <summary>
    /// Puts a reloaded copy of a plugin in place of the loaded one (the caller unloads the old
    /// context), so nothing in the catalog keeps the old load context alive.
    /// </summary>
    public void Replace(LoadedPlugin plugin) => _byName[plugin.Descriptor.Info.Name] = plugin;

    /// <summary>
    /// The default plugin folders: explicit ones, then <c>EMERGENCE_PLUGINS</c> (path-separated),
    /// then <c>plugins/</c> beside the executable, then the nearest <c>artifacts/plugins</c>
    /// above the executable and above the current directory (a built checkout).
    /// </summary>
    public static IReadOnlyList<string> DefaultFolders(IEnumerable<string> explicitFolders, string? environment, string baseDirectory, string currentDirectory)
    {
        var folders = new List<string>(explicitFolders);
        if (folders.Count > 0) return folders;
        if (!string.IsNullOrWhiteSpace(environment))
            folders.AddRange(environment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        folders.Add(Path.Combine(baseDirectory, "plugins"));
        foreach (var start in new[] { baseDirectory, currentDirectory })
            if (FindUp(start, Path.Combine("artifacts", "plugins")) is { } found) folders.Add(found);
        return folders;
    }

    private static string? FindUp(string start, string relative)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
