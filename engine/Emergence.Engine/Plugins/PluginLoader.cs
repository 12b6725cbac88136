using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Emergence.Contracts.Plugins;

namespace Emergence.Engine.Plugins;

/// <summary>A plugin loaded into its own context, with what it registered.</summary>
internal sealed class LoadedPlugin(PluginLoadContext context, PluginDescriptor descriptor)
{
    public PluginLoadContext Context { get; } = context;
    public PluginDescriptor Descriptor { get; } = descriptor;
}

/// <summary>A plugin that could not be loaded, with a message for the researcher.</summary>
/// <param name="Path">The plugin's main assembly or folder.</param>
/// <param name="Message">What went wrong and how to fix it.</param>
internal sealed record PluginLoadError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown when a plugin cannot be loaded; the message says why and how to fix it.</summary>
internal sealed class PluginLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Loads one plugin assembly into a fresh collectible context, checks it was built against
/// this host's contract, finds its entry point through <see cref="EmergencePluginAttribute"/>
/// and runs its registration. Every failure becomes a <see cref="PluginLoadException"/> whose
/// message names the plugin and the fix; the context is unloaded again on failure.
/// </summary>
internal static class PluginLoader
{
    private static readonly AssemblyName HostContract = typeof(IPlugin).Assembly.GetName();

    /// <summary>Loads the plugin whose main assembly is <paramref name="mainAssemblyPath"/>.</summary>
    public static LoadedPlugin Load(string mainAssemblyPath)
    {
        var full = Path.GetFullPath(mainAssemblyPath);
        if (!File.Exists(full)) throw new PluginLoadException($"plugin assembly '{full}' does not exist");
        var context = new PluginLoadContext(full);
        try
        {
            var descriptor = LoadInto(context, full);
            return new LoadedPlugin(context, descriptor);
        }
        catch (Exception e)
        {
            context.Unload();
            if (e is PluginLoadException) throw;
            throw new PluginLoadException($"'{Path.GetFileName(full)}' failed to load: {Describe(e)}", e);
        }
    }

    /// <summary>A one-line explanation of why loading failed, with the fix for the common causes.</summary>
    private static string Describe(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Describe(inner),
        TypeInitializationException { InnerException: { } inner } => Describe(inner),
        FileNotFoundException missing => $"a dependency is missing: {missing.FileName ?? missing.Message}; " +
                                         "copy the plugin's whole build output folder, including its .deps.json",
        FileLoadException load => $"a dependency could not be loaded: {load.FileName ?? load.Message} ({load.Message})",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PluginDescriptor LoadInto(PluginLoadContext context, string path)
    {
        string name = Path.GetFileName(path);
        Assembly assembly;
        try
        {
            assembly = context.LoadMain();
        }
        catch (BadImageFormatException e)
        {
            throw new PluginLoadException($"'{name}' is not a .NET assembly ({e.Message})", e);
        }
        CheckContractVersion(assembly, name);
        var attribute = ReadAttribute(assembly, name);
        var plugin = CreatePlugin(attribute.PluginType, name);
        var info = plugin.Info ?? throw new PluginLoadException($"'{name}': IPlugin.Info returned null");
        var descriptor = new PluginDescriptor(info)
        {
            Assembly = assembly,
            AssemblyPath = path,
            AssemblySha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
        };
        var registry = new PluginRegistry(descriptor);
        try
        {
            plugin.Register(registry);
            registry.Complete();
        }
        catch (PluginRegistrationException e)
        {
            throw new PluginLoadException($"plugin '{info.Name}' ({name}) registered something invalid: {e.Message}", e);
        }
        catch (Exception e) when (e is not PluginLoadException)
        {
            throw new PluginLoadException($"plugin '{info.Name}' ({name}) threw during Register: {Describe(e)}", e);
        }
        return descriptor;
    }

    private static void CheckContractVersion(Assembly assembly, string name)
    {
        var reference = assembly.GetReferencedAssemblies().FirstOrDefault(r => r.Name == HostContract.Name);
        if (reference is null)
            throw new PluginLoadException($"'{name}' does not reference {HostContract.Name}; it is not an Emergence plugin");
        if (reference.Version != HostContract.Version)
            throw new PluginLoadException(
                $"'{name}' was built against {HostContract.Name} {reference.Version}, but this host provides {HostContract.Version}; " +
                "rebuild the plugin against this engine's contract");
    }

    private static EmergencePluginAttribute ReadAttribute(Assembly assembly, string name)
    {
        return assembly.GetCustomAttribute<EmergencePluginAttribute>()
               ?? throw new PluginLoadException(
                   $"'{name}' has no [assembly: EmergencePlugin(typeof(...))] attribute; add one naming your IPlugin class");
    }

    private static IPlugin CreatePlugin(Type type, string name)
    {
        if (!typeof(IPlugin).IsAssignableFrom(type))
            throw new PluginLoadException($"'{name}': {type.FullName} named by [EmergencePlugin] does not implement IPlugin " +
                                          "(or the plugin ships its own copy of Emergence.Contracts)");
        try
        {
            return (IPlugin)Activator.CreateInstance(type)!;
        }
        catch (MissingMethodException e)
        {
            throw new PluginLoadException($"'{name}': {type.FullName} needs a public parameterless constructor", e);
        }
        catch (TargetInvocationException e)
        {
            throw new PluginLoadException($"'{name}': the constructor of {type.FullName} threw: {Describe(e)}", e);
        }
    }
}
