namespace Emergence.Engine.Manifests;

/// <summary>Collects every error found while loading one manifest.</summary>
internal sealed class ManifestErrorList
{
    private readonly List<ManifestError> _errors = [];

    /// <summary>How many errors were collected so far.</summary>
    public int Count => _errors.Count;

    /// <summary>Adds an error at <paramref name="origin"/>.</summary>
    public void Add(NodeOrigin origin, string key, string message, string fix)
        => _errors.Add(new ManifestError(origin.File, origin.Line, origin.Column, key, message, fix));

    /// <summary>Adds an error at <paramref name="node"/>'s position.</summary>
    public void Add(ManifestNode node, string key, string message, string fix) => Add(node.Origin, key, message, fix);

    /// <summary>Throws a <see cref="ManifestException"/> when any error was collected: file errors in line order, then overrides.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0) return;
        throw new ManifestException(Ordered());
    }

    /// <summary>The errors collected so far, file errors in line order, then overrides.</summary>
    public List<ManifestError> Ordered() =>
        _errors
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.Line == 0 ? 1 : 0)
            .ThenBy(x => x.e.Line).ThenBy(x => x.e.Column).ThenBy(x => x.i)
            .Select(x => x.e)
            .Distinct()
            .ToList();
}
