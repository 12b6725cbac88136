using System.Text.RegularExpressions;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Applies <c>--set a.b.c=VALUE</c> overrides to the manifest tree before binding. VALUE is read as
/// a YAML scalar or flow node (<c>{name: softmax, weight_view: column}</c>, <c>[1, 2]</c>); missing
/// sections are created; a short-form strategy (<c>movement: softmax</c>) becomes <c>{name: softmax}</c>
/// when a key below it is set. Nodes from an override carry its text as their origin.
/// </summary>
internal static partial class ManifestOverrides
{
    /// <summary>Applies every override in order, reporting bad ones and going on with the rest.</summary>
    public static void Apply(MapNode root, IReadOnlyList<string> overrides, ManifestErrorList errors)
    {
        foreach (var text in overrides) ApplyOne(root, text, errors);
    }

    private static void ApplyOne(MapNode root, string text, ManifestErrorList errors)
    {
        var origin = NodeOrigin.Override(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            errors.Add(origin, "", "bad override syntax: expected KEY=VALUE, but there is no '='",
                "write --set section.key=value, e.g. --set model.n_neurons=500");
            return;
        }
        var key = text[..equals].Trim();
        var segments = key.Split('.');
        if (key.Length == 0 || !segments.All(s => Segment().IsMatch(s)))
        {
            errors.Add(origin, key, $"bad override syntax: '{key}' is not a dotted key",
                "write the key as dotted names of lower-case letters, digits, '_' or '-', e.g. --set trainer.lr_edge=0.01");
            return;
        }
        var valueText = text[(equals + 1)..];
        ManifestNode? value = valueText.Trim().Length == 0
            ? new ScalarNode(origin, "", true)
            : ManifestYamlReader.Read(valueText, _ => origin, errors, key);
        if (value is null) return;
        var section = Walk(root, segments, origin, errors, key);
        section?.Set(segments[^1], value, origin);
    }

    private static MapNode? Walk(MapNode root, string[] segments, NodeOrigin origin, ManifestErrorList errors, string key)
    {
        var current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var entry = current.Find(segments[i]);
            switch (entry?.Value)
            {
                case null:
                case ScalarNode { IsNull: true }:
                    var created = new MapNode(origin);
                    current.Set(segments[i], created, origin);
                    current = created;
                    break;
                case MapNode map:
                    current = map;
                    break;
                case ScalarNode name when i == 1 && segments[0] == "strategies":
                    var longForm = new MapNode(name.Origin);
                    longForm.Set("name", name, name.Origin);
                    entry.Value = longForm;
                    current = longForm;
                    break;
                default:
                    var prefix = string.Join('.', segments[..(i + 1)]);
                    errors.Add(origin, key, $"cannot set '{key}': '{prefix}' is {entry.Value.Describe()}, not a section",
                        $"set '{prefix}' itself, e.g. --set {prefix}={{{segments[i + 1]}: value}}");
                    return null;
            }
        }
        return current;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Segment();
}
