using System.Globalization;
using System.Text.RegularExpressions;

namespace Emergence.Engine.Manifests;

/// <summary>The outcome of converting one YAML scalar: a value, or a message and a fix.</summary>
internal readonly record struct ScalarResult(bool Ok, object? Value, string Message, string Fix)
{
    /// <summary>A successful conversion.</summary>
    public static ScalarResult Success(object value) => new(true, value, "", "");

    /// <summary>A failed conversion.</summary>
    public static ScalarResult Failure(string message, string fix) => new(false, null, message, fix);
}

/// <summary>
/// Converts non-null YAML scalars to option values, strictly: integers must be integral and fit,
/// only <c>true</c>/<c>false</c> are booleans, quoted text is never a number.
/// </summary>
internal static partial class ScalarParser
{
    /// <summary>Converts <paramref name="node"/> to a value of <paramref name="type"/> (a scalar kind).</summary>
    public static ScalarResult Parse(ScalarNode node, OptionType type)
    {
        if (type.Kind is OptionKind.String) return ScalarResult.Success(node.Value);
        if (type.Kind is OptionKind.Enum) return ParseEnum(node, type);
        if (type.Kind is OptionKind.Duration)
            return Duration.TryParse(node.Value, out var duration)
                ? ScalarResult.Success(duration)
                : ScalarResult.Failure($"expected a duration, got {node.Describe()}", Duration.Help);
        if (!node.IsPlain)
            return ScalarResult.Failure($"expected {type.Describe()}, got {node.Describe()}", $"remove the quotes: {node.Value}");
        return type.Kind switch
        {
            OptionKind.Bool => ParseBool(node),
            OptionKind.Int32 => ParseInteger(node, type, "a 32-bit integer", int.MinValue, int.MaxValue),
            OptionKind.Int64 => ParseInteger(node, type, "a 64-bit integer", long.MinValue, long.MaxValue),
            OptionKind.UInt64 => ParseInteger(node, type, "an unsigned 64-bit integer", ulong.MinValue, ulong.MaxValue),
            _ => ParseFloat(node, type),
        };
    }

    private static ScalarResult ParseBool(ScalarNode node) => node.Value switch
    {
        "true" or "True" or "TRUE" => ScalarResult.Success(true),
        "false" or "False" or "FALSE" => ScalarResult.Success(false),
        _ => ScalarResult.Failure($"expected true or false, got {node.Describe()}",
            "write true or false (YAML 1.1 words such as yes, no, on, off are not booleans in manifests)"),
    };

    private static ScalarResult ParseInteger(ScalarNode node, OptionType type, string what, Int128 min, Int128 max)
    {
        var text = node.Value;
        Int128 value;
        var hex = HexInteger().Match(text);
        if (hex.Success)
        {
            if (!UInt128.TryParse(hex.Groups[2].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var magnitude)
                || magnitude > (UInt128)Int128.MaxValue)
                return TooLarge(node, what, min, max);
            value = hex.Groups[1].Value == "-" ? -(Int128)magnitude : (Int128)magnitude;
        }
        else if (DecimalInteger().IsMatch(text))
        {
            if (!Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                return TooLarge(node, what, min, max);
        }
        else
        {
            var fix = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && FloatLiteral().IsMatch(text)
                ? number == Math.Floor(number) && Math.Abs(number) < 1e18
                    ? $"write it as a whole number: {number.ToString("F0", CultureInfo.InvariantCulture)}"
                    : $"write a whole number, e.g. {Math.Floor(number).ToString("F0", CultureInfo.InvariantCulture)} or {Math.Ceiling(number).ToString("F0", CultureInfo.InvariantCulture)}"
                : "write a whole number such as 42";
            return ScalarResult.Failure($"expected {type.Describe()}, got {node.Describe()}", fix);
        }
        if (value < min || value > max) return TooLarge(node, what, min, max);
        object boxed = type.Kind switch
        {
            OptionKind.Int32 => (int)value,
            OptionKind.Int64 => (long)value,
            _ => (ulong)value,
        };
        return ScalarResult.Success(boxed);
    }

    private static ScalarResult TooLarge(ScalarNode node, string what, Int128 min, Int128 max)
        => ScalarResult.Failure($"{node.Value} does not fit in {what} (range {min} to {max})", $"use a value between {min} and {max}");

    private static ScalarResult ParseFloat(ScalarNode node, OptionType type)
    {
        var text = node.Value;
        double value;
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": value = double.PositiveInfinity; break;
            case "-.inf" or "-.Inf" or "-.INF": value = double.NegativeInfinity; break;
            case ".nan" or ".NaN" or ".NAN": value = double.NaN; break;
            default:
                if (!FloatLiteral().IsMatch(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                    return ScalarResult.Failure($"expected {type.Describe()}, got {node.Describe()}",
                        "write a number such as 0.05, 3 or 1e-6");
                if (double.IsInfinity(value))
                    return ScalarResult.Failure($"{text} is too large for a number", "use a smaller value, or .inf for infinity");
                break;
        }
        if (type.Kind == OptionKind.Single)
        {
            var single = double.IsFinite(value) ? float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : (float)value;
            if (float.IsInfinity(single) && !double.IsInfinity(value))
                return ScalarResult.Failure($"{text} is too large for a 32-bit float (max {float.MaxValue.ToString(CultureInfo.InvariantCulture)})",
                    "use a smaller value");
            return ScalarResult.Success(single);
        }
        return ScalarResult.Success(value);
    }

    private static ScalarResult ParseEnum(ScalarNode node, OptionType type)
    {
        var match = type.EnumValues.FirstOrDefault(v => v.Name == node.Value);
        if (match is not null) return ScalarResult.Success(match.Value);
        var names = type.EnumValues.Select(v => v.Name).ToList();
        var close = DidYouMean.Suggest(node.Value, names);
        return ScalarResult.Failure($"{node.Describe()} is not an allowed value; allowed: {string.Join(", ", names)}",
            close is null ? $"use one of: {string.Join(", ", names)}" : $"did you mean '{close}'?");
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^([-+]?)0x([0-9a-fA-F]+)$")]
    private static partial Regex HexInteger();

    [GeneratedRegex(@"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatLiteral();
}
