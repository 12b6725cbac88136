using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Durations in manifests: unit form (<c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>,
/// <c>1.5s</c>) or clock form (<c>hh:mm:ss</c>). <see cref="Format"/> writes the unit form back.
/// </summary>
internal static partial class Duration
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var clock = Clock().Match(text);
        if (clock.Success)
        {
            int minutes = int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture), seconds = int.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture);
            if (minutes > 59 || seconds > 59) return false;
            value = new TimeSpan(long.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture) * TimeSpan.TicksPerHour
                + minutes * TimeSpan.TicksPerMinute + seconds * TimeSpan.TicksPerSecond);
            return true;
        }
        var units = Units().Match(text);
        if (!units.Success || text.Length == 0) return false;
        try
        {
            decimal ticks = 0;
            ticks += Part(units.Groups["d"], TimeSpan.TicksPerDay);
            ticks += Part(units.Groups["h"], TimeSpan.TicksPerHour);
            ticks += Part(units.Groups["m"], TimeSpan.TicksPerMinute);
            ticks += Part(units.Groups["s"], TimeSpan.TicksPerSecond);
            if (ticks > TimeSpan.MaxValue.Ticks || ticks != decimal.Truncate(ticks)) return false;
            value = new TimeSpan((long)ticks);
            return true;
        }
        catch (OverflowException)
        {
            return false; // a number too large for decimal is simply not a valid duration
        }
    }

    /// <summary>The unit form of <paramref name="value"/>, e.g. <c>1h30m</c>, <c>45s</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var text = new StringBuilder();
        var ticks = value.Ticks;
        Append(text, ref ticks, TimeSpan.TicksPerDay, 'd');
        Append(text, ref ticks, TimeSpan.TicksPerHour, 'h');
        Append(text, ref ticks, TimeSpan.TicksPerMinute, 'm');
        if (ticks > 0)
            text.Append(((decimal)ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    /// <summary>The fix text shown for an invalid duration.</summary>
    public const string Help = "write a duration like 90s, 10m, 2h, 1d, 1h30m or hh:mm:ss";

    private static void Append(StringBuilder text, ref long ticks, long unit, char suffix)
    {
        if (ticks < unit) return;
        text.Append(ticks / unit).Append(suffix);
        ticks %= unit;
    }

    private static decimal Part(Group group, long ticksPerUnit)
        => group.Success ? decimal.Parse(group.Value, CultureInfo.InvariantCulture) * ticksPerUnit : 0;

    [GeneratedRegex(@"^(\d+):(\d\d):(\d\d)$")]
    private static partial Regex Clock();

    [GeneratedRegex(@"^(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Units();
}
