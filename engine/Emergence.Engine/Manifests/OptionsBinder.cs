using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Binds a manifest map onto an options instance (whose property initialisers are the defaults)
/// by reflection, reporting every unknown key, wrong type and out-of-range value.
/// </summary>
internal sealed class OptionsBinder(ManifestErrorList errors)
{
    /// <summary>
    /// Binds <paramref name="node"/> (a map; null or a YAML null means "all defaults") onto <paramref name="target"/>.
    /// </summary>
    /// <param name="target">A fresh options instance holding the defaults.</param>
    /// <param name="model">The model of <paramref name="target"/>'s type.</param>
    /// <param name="node">The section's node.</param>
    /// <param name="path">The section's dotted key, e.g. <c>model</c> or <c>strategies.movement</c>.</param>
    /// <param name="what">What the section configures, for messages, e.g. "options of model 'spark'".</param>
    /// <param name="reservedKeys">Engine keys in the same map that are handled elsewhere (e.g. <c>type</c>, <c>every</c>).</param>
    public void Bind(object target, OptionsModel model, ManifestNode? node, string path, string what, IReadOnlyCollection<string> reservedKeys)
    {
        if (node is null or ScalarNode { IsNull: true }) return;
        if (node is not MapNode map)
        {
            errors.Add(node, path, $"expected a map of {what}, got {node.Describe()}",
                $"write the options as 'key: value' lines indented under '{Last(path)}:', or as {{key: value}}");
            return;
        }
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Value;
            if (reservedKeys.Contains(key)) continue;
            var property = model.Find(key);
            if (property is null)
            {
                ReportUnknownKey(entry.Key, KeyPath.Child(path, key), what, model.Keys.Concat(reservedKeys).ToList());
                continue;
            }
            if (TryConvert(property.Type, entry.Value, KeyPath.Child(path, key), property.Range, property.Property.GetValue(target), out var value))
                property.Property.SetValue(target, value);
        }
    }

    /// <summary>Reports an unknown key with a did-you-mean, or the list of valid keys when nothing is close.</summary>
    public void ReportUnknownKey(ScalarNode key, string path, string what, IReadOnlyList<string> validKeys)
    {
        var close = DidYouMean.Suggest(key.Value, validKeys);
        var fix = close is not null ? $"rename it to '{close}'"
            : validKeys.Count == 0 ? $"delete it; {what} take no keys"
            : $"valid keys: {string.Join(", ", validKeys)}";
        errors.Add(key, path, $"unknown key '{key.Value}' in {what}{(close is null ? "" : $"; did you mean '{close}'?")}", fix);
    }

    /// <summary>Converts <paramref name="node"/> to a value of <paramref name="type"/>; reports and returns false when it cannot.</summary>
    public bool TryConvert(OptionType type, ManifestNode node, string path, RangeAttribute? range, object? current, out object? value)
    {
        value = null;
        if (node is ScalarNode { IsNull: true })
        {
            if (type.IsNullable) return true;
            errors.Add(node, path, $"expected {type.Describe()}, got null", "give a value, or delete the key to use the default");
            return false;
        }
        switch (type.Kind)
        {
            case OptionKind.Nested when node is MapNode map:
                value = current ?? Activator.CreateInstance(type.ClrType)!;
                Bind(value, type.Nested!, map, path, $"'{path}'", []);
                return true;
            case OptionKind.List when node is SequenceNode sequence:
                return TryConvertList(type, sequence, path, range, out value);
            case OptionKind.Nested or OptionKind.List:
                errors.Add(node, path, $"expected {type.Describe()}, got {node.Describe()}",
                    type.Kind == OptionKind.List ? "write a list such as [1, 2, 3]" : "write nested 'key: value' lines or {key: value}");
                return false;
        }
        if (node is not ScalarNode scalar)
        {
            errors.Add(node, path, $"expected {type.Describe()}, got {node.Describe()}", "write a single value");
            return false;
        }
        var result = ScalarParser.Parse(scalar, type);
        if (!result.Ok)
        {
            errors.Add(node, path, result.Message, result.Fix);
            return false;
        }
        if (range is not null && !CheckRange(result.Value!, range, node, path)) return false;
        value = result.Value;
        return true;
    }

    private bool TryConvertList(OptionType type, SequenceNode sequence, string path, RangeAttribute? range, out object? value)
    {
        var items = new List<object?>();
        var ok = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            ok &= TryConvert(type.Element!, sequence.Items[i], KeyPath.Index(path, i), range, null, out var item);
            items.Add(item);
        }
        value = null;
        if (!ok) return false;
        var elementType = type.Element!.IsNullable && type.Element.ClrType.IsValueType
            ? typeof(Nullable<>).MakeGenericType(type.Element.ClrType) : type.Element.ClrType;
        if (type.IsArray)
        {
            var array = Array.CreateInstance(elementType, items.Count);
            for (var i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            value = array;
        }
        else
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            foreach (var item in items) list.Add(item);
            value = list;
        }
        return true;
    }

    private bool CheckRange(object value, RangeAttribute range, ManifestNode node, string path)
    {
        if (value is not (int or long or ulong or float or double)) return true;
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var bounds = RangeText.Of(range);
        var inRange = !double.IsNaN(number)
            && (range.MinimumIsExclusive ? number > bounds.Min : number >= bounds.Min)
            && (range.MaximumIsExclusive ? number < bounds.Max : number <= bounds.Max);
        if (inRange) return true;
        errors.Add(node, path, $"{OptionValues.Format(value)} is out of range {bounds.Text}", $"use a value {bounds.Requirement}");
        return false;
    }

    private static string Last(string path) => path[(path.LastIndexOf('.') + 1)..];
}

/// <summary>A <see cref="RangeAttribute"/>'s bounds as numbers and as text for messages and schemas.</summary>
internal sealed record RangeText(double Min, double Max, bool HasMin, bool HasMax, string Text, string Requirement)
{
    /// <summary>Reads <paramref name="range"/>; bounds at or beyond ±int.MaxValue-ish sentinels count as unbounded.</summary>
    public static RangeText Of(RangeAttribute range)
    {
        var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        bool hasMin = !IsUnbounded(min), hasMax = !IsUnbounded(max);
        string minText = OptionValues.Format(range.Minimum), maxText = OptionValues.Format(range.Maximum);
        string lower = range.MinimumIsExclusive ? ">" : ">=", upper = range.MaximumIsExclusive ? "<" : "<=";
        var (text, requirement) = (hasMin, hasMax) switch
        {
            (true, true) => ($"{(range.MinimumIsExclusive ? '(' : '[')}{minText}, {maxText}{(range.MaximumIsExclusive ? ')' : ']')}",
                $"in {(range.MinimumIsExclusive ? '(' : '[')}{minText}, {maxText}{(range.MaximumIsExclusive ? ')' : ']')}"),
            (true, false) => ($"(must be {lower} {minText})", $"{lower} {minText}"),
            (false, true) => ($"(must be {upper} {maxText})", $"{upper} {maxText}"),
            _ => ("(unbounded)", "of any size"),
        };
        return new RangeText(min, max, hasMin, hasMax, text, requirement);
    }

    /// <summary>True for the usual "no bound" sentinels: ±int.MaxValue, ±long.MaxValue, ±float/double.MaxValue, infinities.</summary>
    private static bool IsUnbounded(double bound)
    {
        var magnitude = Math.Abs(bound);
        return magnitude is int.MaxValue or 2147483648.0 || magnitude >= 9.2e18;
    }
}
