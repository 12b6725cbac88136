using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using Emergence.Contracts.Options;

namespace Emergence.Engine.Manifests;

/// <summary>
/// The manifest view of an options class: its keys (snake_case property names), their types,
/// ranges, descriptions and live-editability. Built by reflection once per type; cached weakly so
/// a plugin's types never keep its load context alive.
/// </summary>
internal sealed class OptionsModel
{
    private static readonly ConditionalWeakTable<Type, OptionsModel> Cache = new();

    private OptionsModel(Type type, IReadOnlyList<OptionProperty> properties)
    {
        Type = type;
        Properties = properties;
    }

    /// <summary>The options class.</summary>
    public Type Type { get; }

    /// <summary>Its keys in declaration order.</summary>
    public IReadOnlyList<OptionProperty> Properties { get; }

    /// <summary>The manifest keys, in declaration order.</summary>
    public IEnumerable<string> Keys => Properties.Select(p => p.Key);

    /// <summary>The property with manifest key <paramref name="key"/>, or null.</summary>
    public OptionProperty? Find(string key) => Properties.FirstOrDefault(p => p.Key == key);

    /// <summary>
    /// The model of <paramref name="type"/>; throws <see cref="OptionsModelException"/> when a property
    /// has a type the binder does not support or two properties share a key (a plugin bug).
    /// </summary>
    public static OptionsModel For(Type type) => Cache.GetValue(type, t => Build(t, []));

    private static OptionsModel Build(Type type, HashSet<Type> visiting)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new OptionsModelException($"options type {type.FullName} needs a public parameterless constructor");
        if (!visiting.Add(type))
            throw new OptionsModelException($"options type {type.FullName} contains itself; nested options must not be recursive");
        var nullability = new NullabilityInfoContext();
        var properties = new List<OptionProperty>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                     .OrderBy(p => p.MetadataToken))
        {
            var key = OptionNaming.NameOf(property);
            if (properties.Any(p => p.Key == key))
                throw new OptionsModelException($"options type {type.FullName}: two properties use the key '{key}'");
            var isNullable = nullability.Create(property).WriteState == NullabilityState.Nullable;
            var optionType = TypeOf(property.PropertyType, isNullable, $"{type.FullName}.{property.Name}", visiting);
            properties.Add(new OptionProperty(key, property, optionType,
                property.GetCustomAttribute<DescriptionAttribute>()?.Description,
                property.GetCustomAttribute<RangeAttribute>(),
                property.GetCustomAttribute<LiveEditableAttribute>() is not null));
        }
        visiting.Remove(type);
        return new OptionsModel(type, properties);
    }

    private static OptionType TypeOf(Type clr, bool referenceNullable, string where, HashSet<Type> visiting)
    {
        var underlying = Nullable.GetUnderlyingType(clr);
        if (underlying is not null) return Scalar(underlying, true, where);
        if (clr == typeof(string)) return new OptionType(OptionKind.String, clr, referenceNullable);
        if (clr.IsArray && clr.GetArrayRank() == 1)
            return new OptionType(OptionKind.List, clr, referenceNullable) { Element = Element(clr.GetElementType()!, where), IsArray = true };
        if (clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(List<>))
            return new OptionType(OptionKind.List, clr, referenceNullable) { Element = Element(clr.GetGenericArguments()[0], where) };
        if (clr.IsClass && !clr.IsAbstract && !clr.IsGenericType)
            return new OptionType(OptionKind.Nested, clr, referenceNullable) { Nested = Build(clr, visiting) };
        return Scalar(clr, false, where);
    }

    private static OptionType Element(Type clr, string where)
    {
        var underlying = Nullable.GetUnderlyingType(clr);
        if (clr == typeof(string)) return new OptionType(OptionKind.String, clr, false);
        return Scalar(underlying ?? clr, underlying is not null, where);
    }

    private static OptionType Scalar(Type clr, bool nullable, string where)
    {
        OptionKind? kind = clr switch
        {
            _ when clr == typeof(bool) => OptionKind.Bool,
            _ when clr == typeof(int) => OptionKind.Int32,
            _ when clr == typeof(long) => OptionKind.Int64,
            _ when clr == typeof(ulong) => OptionKind.UInt64,
            _ when clr == typeof(float) => OptionKind.Single,
            _ when clr == typeof(double) => OptionKind.Double,
            _ when clr == typeof(TimeSpan) => OptionKind.Duration,
            { IsEnum: true } => OptionKind.Enum,
            _ => null,
        };
        if (kind is null)
            throw new OptionsModelException(
                $"{where} has type {clr.Name}, which manifests cannot express; use bool, int, long, ulong, float, double, string, an enum, TimeSpan, a nullable of those, a List<T>/T[] of those, or a nested options class");
        var type = new OptionType(kind.Value, clr, nullable);
        if (kind == OptionKind.Enum)
            type.EnumValues = clr.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => new EnumValue(OptionNaming.NameOf(f), f.GetValue(null)!)).ToList();
        return type;
    }
}

/// <summary>The kind of value a manifest key holds.</summary>
internal enum OptionKind { Bool, Int32, Int64, UInt64, Single, Double, String, Enum, Duration, List, Nested }

/// <summary>One enum member: its manifest name and value.</summary>
internal sealed record EnumValue(string Name, object Value);

/// <summary>The type of one manifest key.</summary>
internal sealed class OptionType(OptionKind kind, Type clrType, bool isNullable)
{
    /// <summary>What kind of value.</summary>
    public OptionKind Kind { get; } = kind;

    /// <summary>The CLR type (non-nullable underlying type for value types; the collection type for lists).</summary>
    public Type ClrType { get; } = clrType;

    /// <summary>True when <c>null</c> is a valid value.</summary>
    public bool IsNullable { get; } = isNullable;

    /// <summary>The item type of a list.</summary>
    public OptionType? Element { get; init; }

    /// <summary>True when the list is a <c>T[]</c> rather than a <c>List&lt;T&gt;</c>.</summary>
    public bool IsArray { get; init; }

    /// <summary>The model of a nested options class.</summary>
    public OptionsModel? Nested { get; init; }

    /// <summary>The members of an enum.</summary>
    public IReadOnlyList<EnumValue> EnumValues { get; set; } = [];

    /// <summary>"an integer", "a number", "true or false", ... for messages.</summary>
    public string Describe() => Kind switch
    {
        OptionKind.Bool => "true or false",
        OptionKind.Int32 or OptionKind.Int64 => "an integer",
        OptionKind.UInt64 => "a non-negative integer",
        OptionKind.Single or OptionKind.Double => "a number",
        OptionKind.String => "a string",
        OptionKind.Enum => $"one of: {string.Join(", ", EnumValues.Select(v => v.Name))}",
        OptionKind.Duration => "a duration such as 90s, 10m, 2h, 1d, 1h30m or hh:mm:ss",
        OptionKind.List => $"a list of {Plural(Element!)}",
        _ => "a map of options",
    } + (IsNullable ? " (or null)" : "");

    private static string Plural(OptionType element) => element.Kind switch
    {
        OptionKind.Bool => "true/false values",
        OptionKind.Int32 or OptionKind.Int64 or OptionKind.UInt64 => "integers",
        OptionKind.Single or OptionKind.Double => "numbers",
        OptionKind.String => "strings",
        OptionKind.Duration => "durations",
        _ => $"values ({element.Describe()})",
    };
}

/// <summary>One key of an options class.</summary>
internal sealed record OptionProperty(
    string Key, PropertyInfo Property, OptionType Type, string? Description, RangeAttribute? Range, bool LiveEditable);

/// <summary>An options class cannot be expressed in a manifest; the message is for the plugin's author.</summary>
internal sealed class OptionsModelException(string message) : Exception(message);
