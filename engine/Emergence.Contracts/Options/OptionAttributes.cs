namespace Emergence.Contracts.Options;

/// <summary>
/// Marks an options property that a running experiment may change at a step boundary
/// (by editing the manifest or sending a swap). Unmarked properties are restart-only.
/// Document range and unit with <c>System.ComponentModel.DataAnnotations.RangeAttribute</c>
/// and <c>System.ComponentModel.DescriptionAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class LiveEditableAttribute : Attribute
{
}

/// <summary>
/// Overrides the manifest key of an options property (by default the property name in snake_case,
/// e.g. <c>SparkForceSteps</c> → <c>spark_force_steps</c>) or of an enum value.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class OptionNameAttribute(string name) : Attribute
{
    /// <summary>The manifest key.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Options that check relations between their own properties after binding
/// (each property's type and range is already checked by the host).
/// </summary>
public interface IValidatableOptions
{
    /// <summary>Reports every problem through <paramref name="errors"/>; reports nothing when valid.</summary>
    void Validate(OptionErrors errors);
}

/// <summary>Collects option errors for the host, which adds file, line and column.</summary>
public sealed class OptionErrors(Action<string, string, string> report)
{
    /// <summary>
    /// Reports an error at <paramref name="key"/> (the manifest key relative to this options section,
    /// e.g. <c>num_sparks</c>), saying what is wrong and how to fix it.
    /// </summary>
    public void Add(string key, string message, string fix) => report(key, message, fix);
}
