namespace Emergence.Contracts.Plugins;

/// <summary>Arguments of a cross-section manifest check: the bound options of every section.</summary>
public sealed class ManifestCheck
{
    private readonly Func<string, object?> _options;
    private readonly Action<string, string, string> _error;

    /// <summary>Created by the host; plugins only consume it.</summary>
    public ManifestCheck(Func<string, object?> options, Action<string, string, string> error)
    {
        _options = options;
        _error = error;
    }

    /// <summary>The bound options of a section (<c>model</c>, <c>trainer</c>, <c>strategies.SLOT</c>, <c>visualizers.NAME</c>), or null.</summary>
    public T? Options<T>(string section) where T : class => _options(section) as T;

    /// <summary>Reports an error at a manifest key (dotted path, e.g. <c>model.num_sparks</c>).</summary>
    public void Error(string key, string message, string fix) => _error(key, message, fix);
}
