using Emergence.Contracts.Telemetry;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Emergence.Engine.Runs;

/// <summary>Adapts the run's Serilog logger to the contract's <see cref="IRunLog"/> for plugins.</summary>
internal sealed class RunLog(ILogger log) : IRunLog
{
    public void Info(string message) => log.Information("{PluginMessage}", message);

    public void Warning(string message) => log.Warning("{PluginMessage}", message);

    /// <summary>
    /// The logger of a run: console (stderr, information and up unless quiet) and a JSON log file
    /// in the run folder with everything from debug up.
    /// </summary>
    public static Serilog.Core.Logger Create(string? logFile, bool quiet, string runId)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("RunId", runId)
            .WriteTo.Console(restrictedToMinimumLevel: quiet ? LogEventLevel.Warning : LogEventLevel.Information,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        if (logFile is not null) config = config.WriteTo.File(new JsonFormatter(renderMessage: true), logFile);
        return config.CreateLogger();
    }
}
