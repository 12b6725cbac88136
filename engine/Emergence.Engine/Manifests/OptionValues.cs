using System.Globalization;
using System.Reflection;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Writes option values back as manifest text and trees: invariant culture, round-trippable
/// numbers (always with a decimal point for floating-point keys, so YAML 1.1 readers see a float),
/// snake_case enum names, durations in unit form.
/// </summary>
internal static class OptionValues
{
    /// <summary>The text of a scalar value as it would be written in a manifest (strings unquoted).</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        float f => FormatFloat(f.ToString("R", CultureInfo.InvariantCulture), float.IsNaN(f), float.IsInfinity(f), f < 0),
        double d => FormatFloat(d.ToString("R", CultureInfo.InvariantCulture), double.IsNaN(d), double.IsInfinity(d), d < 0),
        TimeSpan t => Duration.Format(t),
        Enum e => EnumName(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The manifest tree of one options instance, keys in declaration order.</summary>
    public static MapNode ToTree(object options, OptionsModel model, NodeOrigin origin)
    {
        var map = new MapNode(origin);
        foreach (var property in model.Properties)
            map.Set(property.Key, ToNode(property.Property.GetValue(options), property.Type, origin), origin);
        return map;
    }

    /// <summary>The manifest node of one value of <paramref name="type"/>: strings quoted, everything else plain.</summary>
    public static ManifestNode ToNode(object? value, OptionType type, NodeOrigin origin)
    {
        if (value is null) return new ScalarNode(origin, "null", true);
        switch (type.Kind)
        {
            case OptionKind.Nested:
                return ToTree(value, type.Nested!, origin);
            case OptionKind.List:
                var sequence = new SequenceNode(origin);
                foreach (var item in (System.Collections.IEnumerable)value) sequence.Items.Add(ToNode(item, type.Element!, origin));
                return sequence;
            case OptionKind.String:
                return new ScalarNode(origin, (string)value, false);
            default:
                return new ScalarNode(origin, Format(value), true);
        }
    }

    private static string FormatFloat(string text, bool isNaN, bool isInfinity, bool negative)
    {
        if (isNaN) return ".nan";
        if (isInfinity) return negative ? "-.inf" : ".inf";
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? text : text[..e];
        if (!mantissa.Contains('.', StringComparison.Ordinal)) mantissa += ".0";
        return e < 0 ? mantissa : mantissa + "e" + text[(e + 1)..];
    }

    private static string EnumName(Enum value)
    {
        var field = value.GetType().GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return field is null ? Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : OptionNaming.NameOf(field);
    }
}
