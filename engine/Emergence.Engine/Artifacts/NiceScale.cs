using System.Globalization;

namespace Emergence.Engine.Artifacts;

/// <summary>
/// An axis range widened to whole multiples of a "nice" tick step (1, 2 or 5 times a power of ten).
/// </summary>
/// <param name="Low">First tick, at or below the data minimum.</param>
/// <param name="High">Last tick, at or above the data maximum.</param>
/// <param name="Step">Distance between ticks.</param>
internal readonly record struct NiceScale(double Low, double High, double Step)
{
    /// <summary>Number of ticks from <see cref="Low"/> to <see cref="High"/> inclusive.</summary>
    public int TickCount => (int)Math.Round((High - Low) / Step) + 1;

    /// <summary>
    /// A scale covering [min, max] with about <paramref name="targetTicks"/> intervals. Equal bounds are
    /// widened (by 10% of their magnitude, or 1 around zero); <paramref name="minimumStep"/> keeps integer
    /// axes (steps) from getting fractional ticks. Both bounds must be finite.
    /// </summary>
    public static NiceScale For(double min, double max, int targetTicks = 5, double minimumStep = 0)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new ArgumentException($"Axis bounds must be finite with min ≤ max, got [{min}, {max}].", nameof(min));
        }

        if (min == max)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }

        double step = Math.Max(NiceStep((max - min) / targetTicks), minimumStep);
        return new NiceScale(Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    /// <summary>The value of tick <paramref name="index"/> (0-based), computed without accumulated error.</summary>
    public double Tick(int index) => Low + index * Step;

    /// <summary>A short label for <paramref name="value"/>, with just enough decimals for this scale's step.</summary>
    public string Format(double value)
    {
        if (Math.Abs(value) < Step * 1e-9) value = 0; // no "-0" or "1e-17" at the origin
        double magnitude = Math.Max(Math.Abs(Low), Math.Abs(High));
        if (magnitude >= 1e6 || Step < 1e-4)
        {
            return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
        }

        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(Step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}
