using System.Collections;
using System.Text.Json;

namespace Emergence.Engine.Manifests;

/// <summary>Writes the JSON Schema of one options class and of its keys.</summary>
internal static class OptionsSchemaWriter
{
    private const string DurationPattern = @"^(\d+:\d\d:\d\d|(\d+d)?(\d+h)?(\d+m)?(\d+(\.\d+)?s)?)$";

    /// <summary>
    /// Writes <c>{type: object, properties, required, additionalProperties: false}</c> for <paramref name="model"/>,
    /// with defaults read from <paramref name="defaults"/>. <paramref name="extra"/> writes engine keys
    /// (such as <c>type</c> or <c>every</c>) first and may add to the required list.
    /// </summary>
    public static void WriteObject(Utf8JsonWriter json, OptionsModel model, object defaults, bool nullable,
        Action<Utf8JsonWriter, List<string>>? extra, string? description = null)
    {
        json.WriteStartObject();
        JsonSchemaGenerator.WriteTypes(json, "object", nullable);
        if (description is not null) json.WriteString("description", description);
        var required = new List<string>();
        json.WriteStartObject("properties");
        extra?.Invoke(json, required);
        WriteProperties(json, model, defaults);
        json.WriteEndObject();
        if (required.Count > 0)
        {
            json.WriteStartArray("required");
            foreach (var key in required) json.WriteStringValue(key);
            json.WriteEndArray();
        }
        json.WriteBoolean("additionalProperties", false);
        json.WriteEndObject();
    }

    /// <summary>Writes one schema property per key of <paramref name="model"/>.</summary>
    public static void WriteProperties(Utf8JsonWriter json, OptionsModel model, object defaults)
    {
        foreach (var property in model.Properties)
        {
            json.WritePropertyName(property.Key);
            var value = property.Property.GetValue(defaults);
            if (property.Type.Kind == OptionKind.Nested)
            {
                WriteObject(json, property.Type.Nested!, value ?? Activator.CreateInstance(property.Type.ClrType)!,
                    property.Type.IsNullable, null, property.Description);
                continue;
            }
            json.WriteStartObject();
            WriteType(json, property.Type, property);
            json.WritePropertyName("default");
            WriteValue(json, value, property.Type);
            if (property.Description is not null) json.WriteString("description", property.Description);
            if (property.LiveEditable) json.WriteBoolean("x-live-editable", true);
            json.WriteEndObject();
        }
    }

    private static void WriteType(Utf8JsonWriter json, OptionType type, OptionProperty? property)
    {
        JsonSchemaGenerator.WriteTypes(json, JsonType(type), type.IsNullable);
        switch (type.Kind)
        {
            case OptionKind.Enum:
                json.WriteStartArray("enum");
                foreach (var value in type.EnumValues) json.WriteStringValue(value.Name);
                if (type.IsNullable) json.WriteNullValue();
                json.WriteEndArray();
                break;
            case OptionKind.Duration:
                json.WriteString("pattern", DurationPattern);
                break;
            case OptionKind.List:
                json.WriteStartObject("items");
                WriteType(json, type.Element!, property);
                json.WriteEndObject();
                break;
            case OptionKind.Int32 or OptionKind.Int64 or OptionKind.UInt64 or OptionKind.Single or OptionKind.Double:
                WriteBounds(json, type, property);
                break;
        }
    }

    private static void WriteBounds(Utf8JsonWriter json, OptionType type, OptionProperty? property)
    {
        var range = property?.Range is { } attribute ? RangeText.Of(attribute) : null;
        var (typeMin, typeMax) = type.Kind switch
        {
            OptionKind.Int32 => ((double?)int.MinValue, (double?)int.MaxValue),
            OptionKind.Int64 => (long.MinValue, long.MaxValue),
            OptionKind.UInt64 => (0, null),
            _ => ((double?)null, (double?)null),
        };
        if (range is { HasMin: true })
            WriteNumber(json, property!.Range!.MinimumIsExclusive ? "exclusiveMinimum" : "minimum", range.Min);
        else if (typeMin is { } min) WriteNumber(json, "minimum", min);
        if (range is { HasMax: true })
            WriteNumber(json, property!.Range!.MaximumIsExclusive ? "exclusiveMaximum" : "maximum", range.Max);
        else if (type.Kind == OptionKind.UInt64) json.WriteNumber("maximum", ulong.MaxValue);
        else if (type.Kind == OptionKind.Int64) json.WriteNumber("maximum", long.MaxValue);
        else if (typeMax is { } max) WriteNumber(json, "maximum", max);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 9e18) json.WriteNumber(name, (long)value);
        else json.WriteNumber(name, value);
    }

    private static string JsonType(OptionType type) => type.Kind switch
    {
        OptionKind.Bool => "boolean",
        OptionKind.Int32 or OptionKind.Int64 or OptionKind.UInt64 => "integer",
        OptionKind.Single or OptionKind.Double => "number",
        OptionKind.List => "array",
        OptionKind.Nested => "object",
        _ => "string",
    };

    private static void WriteValue(Utf8JsonWriter json, object? value, OptionType type)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case ulong u: json.WriteNumberValue(u); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(double.Parse(f.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float or double: json.WriteStringValue(OptionValues.Format(value)); break;
            case string s: json.WriteStringValue(s); break;
            case IEnumerable items when type.Kind == OptionKind.List:
                json.WriteStartArray();
                foreach (var item in items) WriteValue(json, item, type.Element!);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(OptionValues.Format(value)); break;
        }
    }
}
