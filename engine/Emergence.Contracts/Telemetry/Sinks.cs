namespace Emergence.Contracts.Telemetry;

/// <summary>Receives metric values for the current step. Every value is kept; nothing is downsampled.</summary>
public interface IMetricSink
{
    /// <summary>Records <paramref name="value"/> under <paramref name="name"/> (snake_case, dots for groups).</summary>
    void Record(string name, double value);
}

/// <summary>Receives notable events (structural changes, milestones) for the current step.</summary>
public interface IEventSink
{
    /// <summary>
    /// Records an event. Field values may be null, bool, integers, floating point numbers, strings,
    /// or arrays of those; anything else is written with <c>ToString()</c>.
    /// </summary>
    void Emit(string type, IReadOnlyDictionary<string, object?> fields);
}

/// <summary>The run's log, for plugins (the contract takes no logging dependency).</summary>
public interface IRunLog
{
    /// <summary>Something a researcher may want to read later.</summary>
    void Info(string message);

    /// <summary>Something went wrong but the run continues; say what was lost.</summary>
    void Warning(string message);
}
