using System.Globalization;
using System.Text;
using Emergence.Engine.MessagePack;

namespace Emergence.Cli.Commands;

/// <summary>Renders a decoded checkpoint state tree as indented text: sections, scalars, tensors with dtype and shape.</summary>
internal static class CheckpointTree
{
    public static string Describe(MsgPackValue value, string indent)
    {
        var text = new StringBuilder();
        Walk(value, indent, text);
        return text.ToString();
    }

    private static void Walk(MsgPackValue map, string indent, StringBuilder text)
    {
        foreach (var (key, value) in map.AsMap())
        {
            var name = key.Kind == MsgPackKind.Str ? key.AsString() : key.ToString();
            if (value.Kind == MsgPackKind.Map && Tensor(value) is { } tensor)
                text.Append(indent).Append(name).Append(": ").Append(tensor).Append('\n');
            else if (value.Kind == MsgPackKind.Map && value.TryGet("rng", out var rng))
                text.Append(indent).Append(name).Append(": rng ").Append(rng.AsString()).Append('\n');
            else if (value.Kind == MsgPackKind.Map)
            {
                text.Append(indent).Append(name).Append(":\n");
                Walk(value, indent + "  ", text);
            }
            else text.Append(indent).Append(name).Append(": ").Append(Scalar(value)).Append('\n');
        }
    }

    private static string? Tensor(MsgPackValue map)
    {
        if (!map.TryGet("dtype", out var dtype) || !map.TryGet("shape", out var shape) || !map.TryGet("data", out var data)) return null;
        var dims = string.Join("×", shape.AsArray().Select(d => d.AsInt64().ToString(CultureInfo.InvariantCulture)));
        return $"{dtype.AsString()}[{dims}] ({data.AsBin().Length:N0} bytes)";
    }

    private static string Scalar(MsgPackValue value) => value.Kind switch
    {
        MsgPackKind.Str => value.AsString().Length > 80 ? $"\"{value.AsString()[..77]}…\"" : $"\"{value.AsString()}\"",
        MsgPackKind.Bin => $"bin ({value.AsBin().Length:N0} bytes)",
        MsgPackKind.Array => $"array ({value.AsArray().Count} items)",
        _ => value.ToString(),
    };
}
