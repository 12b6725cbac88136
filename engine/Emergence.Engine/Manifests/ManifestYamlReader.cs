using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Reads one YAML document into a <see cref="ManifestNode"/> tree with positions, using
/// YamlDotNet's parser events. Duplicate keys, unknown aliases and tags are collected as errors
/// (reading goes on); a syntax error stops reading and is reported at YamlDotNet's position.
/// </summary>
internal sealed partial class ManifestYamlReader
{
    private const string StringTag = "tag:yaml.org,2002:str";
    private const int MaxDepth = 64;
    private int _depth;
    private readonly IParser _parser;
    private readonly Func<Mark, NodeOrigin> _origin;
    private readonly ManifestErrorList _errors;
    private readonly Dictionary<string, ManifestNode> _anchors = new(StringComparer.Ordinal);

    private ManifestYamlReader(string text, Func<Mark, NodeOrigin> origin, ManifestErrorList errors)
    {
        _parser = new Parser(new StringReader(text));
        _origin = origin;
        _errors = errors;
    }

    /// <summary>
    /// Reads <paramref name="text"/>; returns its root node, an empty map for an empty document,
    /// or null after a syntax error (which is added to <paramref name="errors"/>).
    /// </summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="origin">Maps a YamlDotNet position to the origin recorded on nodes and errors.</param>
    /// <param name="errors">Receives every problem found.</param>
    /// <param name="path">The dotted key under which the text sits (for override values), "" for a whole manifest.</param>
    public static ManifestNode? Read(string text, Func<Mark, NodeOrigin> origin, ManifestErrorList errors, string path = "")
    {
        var reader = new ManifestYamlReader(text, origin, errors);
        try
        {
            return reader.ReadDocument(path);
        }
        catch (YamlException ex)
        {
            // YamlDotNet's Start is where the enclosing construct began; End is where the problem was found.
            var message = StripPosition(ex.Message);
            var at = message.Contains("tab", StringComparison.OrdinalIgnoreCase) ? FirstIndentingTab(text) ?? ex.End : ex.End;
            errors.Add(origin(at), path, $"YAML syntax error: {message}",
                "fix the YAML near this position; the usual causes are wrong indentation, a missing ': ' after a key, a tab, or an unclosed quote or bracket");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet 16.3's scanner throws this (instead of a YamlException) for some malformed
            // flow collections, e.g. a '{' left open across lines; the last event read is the best position.
            errors.Add(origin(reader._parser.Current?.Start ?? Mark.Empty), path, $"YAML syntax error: the YAML parser gave up here ({ex.Message})",
                "look for an unclosed '{' or '[' (a flow map or list must close on the line where it ends), or a stray quote");
            return null;
        }
    }

    /// <summary>The origin function for a file: YamlDotNet's 1-based line and column.</summary>
    public static Func<Mark, NodeOrigin> FileOrigin(string file) => mark => new NodeOrigin(file, (int)mark.Line, (int)mark.Column);

    private ManifestNode? ReadDocument(string path)
    {
        _parser.Consume<StreamStart>();
        if (_parser.TryConsume<StreamEnd>(out _)) return new MapNode(_origin(Mark.Empty));
        _parser.Consume<DocumentStart>();
        var root = ReadNode(path);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
            _errors.Add(_origin(second.Start), path, "a manifest holds exactly one YAML document, but a second one starts here",
                "remove the '---' line and everything after it, or move it to its own file");
        if (root is ScalarNode { IsNull: true }) return new MapNode(root.Origin);
        return root;
    }

    private ManifestNode ReadNode(string path)
    {
        if (++_depth > MaxDepth)
        {
            var at = _parser.Current?.Start ?? Mark.Empty;
            throw new SemanticErrorException(at, at, $"the YAML is nested deeper than {MaxDepth} levels");
        }
        try
        {
            return ReadNodeAtDepth(path);
        }
        finally
        {
            _depth--;
        }
    }

    private ManifestNode ReadNodeAtDepth(string path)
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias)) return ReadAlias(alias, path);
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            var isPlain = scalar.Style == ScalarStyle.Plain;
            if (!scalar.Tag.IsEmpty && scalar.Tag.Value == StringTag) isPlain = false;
            else CheckTag(scalar.Tag, scalar.Start, path);
            return Anchor(scalar.Anchor, new ScalarNode(_origin(scalar.Start), scalar.Value, isPlain));
        }
        if (_parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            CheckTag(sequenceStart.Tag, sequenceStart.Start, path);
            var sequence = Anchor(sequenceStart.Anchor, new SequenceNode(_origin(sequenceStart.Start)));
            while (!_parser.TryConsume<SequenceEnd>(out _))
                sequence.Items.Add(ReadNode(KeyPath.Index(path, sequence.Items.Count)));
            return sequence;
        }
        var mappingStart = _parser.Consume<MappingStart>();
        CheckTag(mappingStart.Tag, mappingStart.Start, path);
        var map = Anchor(mappingStart.Anchor, new MapNode(_origin(mappingStart.Start)));
        while (!_parser.TryConsume<MappingEnd>(out _)) ReadEntry(map, path);
        return map;
    }

    private void ReadEntry(MapNode map, string path)
    {
        var keyNode = ReadNode(path);
        var keyText = keyNode is ScalarNode s ? s.Value : "?";
        var value = ReadNode(KeyPath.Child(path, keyText));
        if (keyNode is not ScalarNode key)
        {
            _errors.Add(keyNode, path, $"a key must be a name, but {keyNode.Describe()} is used as a key",
                "write the key as a plain name, e.g. 'n_neurons:'");
            return;
        }
        var first = map.Find(key.Value);
        if (first is null)
        {
            map.Entries.Add(new MapEntry(key, value));
            return;
        }
        _errors.Add(key, KeyPath.Child(path, key.Value),
            $"duplicate key '{key.Value}' (first set at line {first.Key.Origin.Line}, column {first.Key.Origin.Column})",
            "keep one of the two entries and delete the other");
    }

    private ManifestNode ReadAlias(AnchorAlias alias, string path)
    {
        if (_anchors.TryGetValue(alias.Value.Value, out var target)) return target;
        _errors.Add(_origin(alias.Start), path, $"unknown alias '*{alias.Value.Value}'",
            $"define the anchor '&{alias.Value.Value}' before using it");
        return new ScalarNode(_origin(alias.Start), "", true);
    }

    private T Anchor<T>(AnchorName anchor, T node) where T : ManifestNode
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
        return node;
    }

    private void CheckTag(TagName tag, Mark start, string path)
    {
        if (tag.IsEmpty || tag.IsNonSpecific) return;
        _errors.Add(_origin(start), path, $"YAML tags such as '{tag.Value}' are not supported in manifests",
            "remove the tag; quote a value to make it a string");
    }

    /// <summary>YamlDotNet reports tab-indentation errors at the mapping's start; this finds the tab itself.</summary>
    private static Mark? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent) return new Mark(0, i + 1, tab + 1);
        }
        return null;
    }

    private static string StripPosition(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}

/// <summary>Builds dotted manifest keys.</summary>
internal static class KeyPath
{
    /// <summary><c>parent.key</c>, or <c>key</c> at the top.</summary>
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary><c>parent[index]</c>.</summary>
    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
