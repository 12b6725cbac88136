namespace Emergence.Engine.Manifests;

/// <summary>Where a node came from: a file position (1-based), or a <c>--set</c> override (line 0).</summary>
internal sealed record NodeOrigin(string File, int Line, int Column)
{
    /// <summary>An origin inside the override <paramref name="overrideText"/> (<c>--set KEY=VALUE</c>).</summary>
    public static NodeOrigin Override(string overrideText) => new($"--set {overrideText}", 0, 0);
}

/// <summary>
/// A node of the manifest's YAML tree. The engine keeps its own small tree (built from YamlDotNet's
/// parser events) so that it can report every duplicate key instead of stopping at the first,
/// keep the scalar style (quoted <c>"5"</c> is a string), and record override origins.
/// </summary>
internal abstract class ManifestNode(NodeOrigin origin)
{
    /// <summary>Where the node starts.</summary>
    public NodeOrigin Origin { get; } = origin;

    /// <summary>A short description of the node for messages: the scalar's text, or "a map" / "a list".</summary>
    public abstract string Describe();
}

/// <summary>A scalar: its text, and whether it was written plain (unquoted).</summary>
internal sealed class ScalarNode(NodeOrigin origin, string value, bool isPlain) : ManifestNode(origin)
{
    /// <summary>The scalar's text (without quotes).</summary>
    public string Value { get; } = value;

    /// <summary>True when written without quotes or block style, so it may be a number, bool or null.</summary>
    public bool IsPlain { get; } = isPlain;

    /// <summary>True for plain <c>null</c>, <c>Null</c>, <c>NULL</c>, <c>~</c> or an empty value.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <inheritdoc />
    public override string Describe() => IsNull ? "null" : IsPlain ? $"'{Value}'" : $"the quoted string \"{Value}\"";
}

/// <summary>A key and its value inside a <see cref="MapNode"/>.</summary>
internal sealed class MapEntry(ScalarNode key, ManifestNode value)
{
    /// <summary>The key node (its origin is the key's position).</summary>
    public ScalarNode Key { get; } = key;

    /// <summary>The value node.</summary>
    public ManifestNode Value { get; set; } = value;
}

/// <summary>A mapping with unique keys, in document order.</summary>
internal sealed class MapNode(NodeOrigin origin) : ManifestNode(origin)
{
    /// <summary>The entries in document order.</summary>
    public List<MapEntry> Entries { get; } = [];

    /// <summary>The entry with key <paramref name="key"/>, or null.</summary>
    public MapEntry? Find(string key) => Entries.Find(e => e.Key.Value == key);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, adding the key (at <paramref name="keyOrigin"/>) if missing.</summary>
    public void Set(string key, ManifestNode value, NodeOrigin keyOrigin)
    {
        var entry = Find(key);
        if (entry is null) Entries.Add(new MapEntry(new ScalarNode(keyOrigin, key, true), value));
        else entry.Value = value;
    }

    /// <inheritdoc />
    public override string Describe() => "a map";
}

/// <summary>A sequence (list).</summary>
internal sealed class SequenceNode(NodeOrigin origin) : ManifestNode(origin)
{
    /// <summary>The items in document order.</summary>
    public List<ManifestNode> Items { get; } = [];

    /// <inheritdoc />
    public override string Describe() => "a list";
}
