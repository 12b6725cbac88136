namespace Emergence.Contracts.Plugins;

/// <summary>
/// The entry point of a plugin assembly. The host finds it through
/// <see cref="EmergencePluginAttribute"/> (never by scanning types), creates it with its
/// parameterless constructor, and calls <see cref="Register"/> once.
/// </summary>
public interface IPlugin
{
    /// <summary>Name (as used by manifests' <c>plugin:</c> key), version and description.</summary>
    PluginInfo Info { get; }

    /// <summary>Declares every component, strategy slot and strategy the plugin offers.</summary>
    void Register(IPluginRegistry registry);
}

/// <summary>Identity of a plugin.</summary>
/// <param name="Name">Lower-case name used in manifests, e.g. <c>sparknet</c>.</param>
/// <param name="Version">Semantic version of the plugin's behaviour and state layout.</param>
/// <param name="Description">One sentence: what family of networks it implements.</param>
public sealed record PluginInfo(string Name, string Version, string Description);

/// <summary>Marks an assembly as an Emergence plugin and names its <see cref="IPlugin"/> type.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class EmergencePluginAttribute(Type pluginType) : Attribute
{
    /// <summary>The type implementing <see cref="IPlugin"/>; it needs a public parameterless constructor.</summary>
    public Type PluginType { get; } = pluginType;
}
