using System.Reflection;
using System.Text;
using Emergence.Contracts.Options;

namespace Emergence.Engine.Manifests;

/// <summary>Manifest names of options properties and enum values: snake_case, or <see cref="OptionNameAttribute"/>.</summary>
internal static class OptionNaming
{
    /// <summary>
    /// <c>SparkForceSteps</c> → <c>spark_force_steps</c>, <c>LR</c> → <c>lr</c>, <c>HTTPServer2</c> → <c>http_server2</c>.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var startsWord = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if ((previousIsLowerOrDigit || startsWord) && text.Length > 0 && text[^1] != '_') text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary>The manifest key of a property or enum field.</summary>
    public static string NameOf(MemberInfo member)
        => member.GetCustomAttribute<OptionNameAttribute>()?.Name ?? ToSnakeCase(member.Name);
}
