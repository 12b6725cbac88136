using System.Reflection;
using System.Runtime.Loader;

namespace Emergence.Engine.Plugins;

/// <summary>
/// A collectible load context for one plugin. Shared assemblies (the contract, tensors,
/// evolution, and anything the host already loaded) resolve to the host's copies so that
/// interface casts work; everything else resolves from the plugin's folder through its
/// <c>.deps.json</c>. Assemblies are loaded from bytes, not paths, so a rebuilt DLL at the same
/// path is never served from the runtime's path cache and the file is not locked.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: true)
{
    /// <summary>Assemblies that must always come from the host's context.</summary>
    public static readonly IReadOnlySet<string> SharedAssemblies = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Emergence.Contracts",
        "Emergence.Tensors",
        "Emergence.Evolution",
    };

    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    /// <summary>Loads the plugin's main assembly.</summary>
    public Assembly LoadMain() => LoadFromBytes(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || SharedAssemblies.Contains(assemblyName.Name)) return null;
        // Prefer an assembly the host already has (framework and host packages): shared types.
        foreach (var loaded in Default.Assemblies)
            if (AssemblyName.ReferenceMatchesDefinition(assemblyName, loaded.GetName()))
                return null;
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromBytes(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private Assembly LoadFromBytes(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        string pdbPath = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(pdbPath)) return LoadFromStream(assembly);
        using var symbols = new MemoryStream(File.ReadAllBytes(pdbPath));
        return LoadFromStream(assembly, symbols);
    }
}
