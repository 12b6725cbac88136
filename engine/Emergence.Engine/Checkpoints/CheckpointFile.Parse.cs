using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Engine.MessagePack;

namespace Emergence.Engine.Checkpoints;

/// <summary>Layout checks of a decoded checkpoint.</summary>
internal static partial class CheckpointFile
{
    private static readonly string[] ExpectedKeys =
        ["format", "format_version", "engine_version", "plugin", "experiment", "run_id", "step", "created", "manifest", "rng", "state", "crc32c"];

    private static Checkpoint Parse(MsgPackValue root, string source)
    {
        var pairs = root.AsMap();
        for (int i = 0; i < ExpectedKeys.Length; i++)
        {
            var key = pairs[i].Key;
            if (key.Kind != MsgPackKind.Str || key.AsString() != ExpectedKeys[i])
                throw Malformed(source, $"top-level entry {i} should be '{ExpectedKeys[i]}' but is {key}");
        }
        var plugin = Expect(pairs[3].Value, MsgPackKind.Map, "plugin", source);
        var header = new CheckpointHeader(
            Str(pairs[2].Value, "engine_version", source),
            Str(Field(plugin, "name", source), "plugin.name", source),
            Str(Field(plugin, "version", source), "plugin.version", source),
            Str(Field(plugin, "assembly_sha256", source), "plugin.assembly_sha256", source),
            Str(pairs[4].Value, "experiment", source),
            Str(pairs[5].Value, "run_id", source),
            Expect(pairs[6].Value, MsgPackKind.Int, "step", source) is { IsLargeUnsigned: false } step ? step.AsInt64() : throw Malformed(source, "step is out of range"),
            Created(pairs[7].Value, source),
            Str(pairs[8].Value, "manifest", source));
        var rngs = ParseRngs(Expect(pairs[9].Value, MsgPackKind.Map, "rng", source), source);
        var stateValue = Expect(pairs[10].Value, MsgPackKind.Map, "state", source);
        StateTreeReader state;
        try
        {
            state = new StateTreeReader(stateValue);
        }
        catch (StateFormatException e)
        {
            throw Malformed(source, e.Message, e);
        }
        return new Checkpoint(source, header, rngs, state, stateValue, root);
    }

    private static Dictionary<string, RngState> ParseRngs(MsgPackValue map, string source)
    {
        var rngs = new Dictionary<string, RngState>(StringComparer.Ordinal);
        foreach (var (key, value) in map.AsMap())
        {
            string purpose = Str(key, "rng key", source);
            try
            {
                if (!rngs.TryAdd(purpose, StateTreeReader.ReadRngState(value, "rng." + purpose)))
                    throw Malformed(source, $"rng purpose '{purpose}' appears twice");
            }
            catch (StateFormatException e)
            {
                throw Malformed(source, e.Message, e);
            }
        }
        return rngs;
    }

    private static DateTimeOffset Created(MsgPackValue value, string source)
    {
        var ts = Expect(value, MsgPackKind.Timestamp, "created", source);
        try
        {
            return ts.AsDateTimeOffset();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Malformed(source, $"created timestamp {ts} is outside the representable range", e);
        }
    }

    private static MsgPackValue Field(MsgPackValue map, string key, string source) =>
        map.TryGet(key, out var value) ? value : throw Malformed(source, $"plugin has no '{key}'");

    private static string Str(MsgPackValue value, string what, string source) =>
        Expect(value, MsgPackKind.Str, what, source).AsString();

    private static MsgPackValue Expect(MsgPackValue value, MsgPackKind kind, string what, string source) =>
        value.Kind == kind ? value : throw Malformed(source, $"{what} should be {kind.ToString().ToLowerInvariant()} but is {value}");

    private static CheckpointCorruptException Malformed(string source, string detail, Exception? inner = null) =>
        new(source, CheckpointDefect.Malformed, detail, inner);
}
