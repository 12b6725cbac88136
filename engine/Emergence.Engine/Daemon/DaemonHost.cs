using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Emergence.Engine.Artifacts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Emergence.Engine.Daemon;

/// <summary>How <c>emergence daemon</c> was asked to run.</summary>
internal sealed record DaemonRequest
{
    public required DaemonSettings Settings { get; init; }

    /// <summary>Address of the control API, e.g. <c>127.0.0.1:5740</c> (port 0 = any free port).</summary>
    public string Listen { get; init; } = "127.0.0.1:5740";

    /// <summary>Bearer token the API requires; mandatory when listening on anything but loopback.</summary>
    public string? Token { get; init; }

    /// <summary>How long SIGTERM waits for every experiment to checkpoint before workers are killed.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a running daemon writes to <c>ROOT/.emergence/daemon.json</c> so the CLI can find it.</summary>
internal sealed record DaemonEndpoint(string Url, int Pid, bool TokenRequired)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static string PathIn(string root) => Path.Combine(root, ".emergence", "daemon.json");

    public void Write(string root) => AtomicFile.WriteText(PathIn(root), JsonSerializer.Serialize(this, Json));

    public static DaemonEndpoint? Read(string root) =>
        File.Exists(PathIn(root)) ? JsonSerializer.Deserialize<DaemonEndpoint>(File.ReadAllText(PathIn(root)), Json) : null;
}

/// <summary>
/// <c>emergence daemon</c>: a generic host (ASP.NET Core minimal API on Kestrel, Serilog) with the
/// <see cref="Supervisor"/> and the control/status API:
/// <c>GET /api/experiments</c>, <c>GET /api/experiments/{name}</c>, <c>GET /api/experiments/{name}/events?tail=N</c>,
/// <c>POST /api/experiments/{name}/{pause|resume|stop|checkpoint|reload}</c>,
/// <c>POST /api/experiments/{name}/swap</c> with <c>{"set": ["strategies.x=y"]}</c>,
/// <c>POST /api/experiments/{name}/command</c> with <c>{"name": "reset", "args": ["reset_weights=true"]}</c>; <c>GET /</c> is a small live dashboard.
/// </summary>
internal static class DaemonHost
{
    /// <summary>Runs the daemon until SIGTERM/SIGINT; returns the exit code.</summary>
    public static int Run(DaemonRequest request)
    {
        var settings = request.Settings;
        var (address, port) = ParseListen(request.Listen);
        if (!IPAddress.IsLoopback(address) && string.IsNullOrEmpty(request.Token))
        {
            Console.Error.WriteLine($"error: --listen {request.Listen} is not a loopback address, so the control API needs a token; " +
                                    "pass --token (or set EMERGENCE_TOKEN), or listen on 127.0.0.1");
            return 2;
        }
        Directory.CreateDirectory(settings.LogsPath);
        using var serilog = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose)
            .WriteTo.File(new JsonFormatter(renderMessage: true), Path.Combine(settings.LogsPath, "daemon.jsonl"))
            .CreateLogger();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = settings.Root, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilog);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = request.ShutdownTimeout);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Supervisor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Supervisor>());
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        var app = builder.Build();
        if (!string.IsNullOrEmpty(request.Token)) app.Use(RequireToken(request.Token));
        Map(app, app.Services.GetRequiredService<Supervisor>());
        try
        {
            app.Start();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: cannot listen on {request.Listen}: {e.Message}; choose another --listen port (0 = any free port)");
            return 2;
        }
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        new DaemonEndpoint(url, Environment.ProcessId, !string.IsNullOrEmpty(request.Token)).Write(settings.Root);
        serilog.Information("control API on {Url}", url);
        app.WaitForShutdown();
        try
        {
            File.Delete(DaemonEndpoint.PathIn(settings.Root));
        }
        catch (IOException)
        {
        }
        serilog.Information("daemon stopped");
        return 0;
    }

    private static (IPAddress Address, int Port) ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(listen[..colon].Trim('[', ']'), out var address) || !int.TryParse(listen[(colon + 1)..], out var port))
            throw new ArgumentException($"--listen '{listen}' is not ADDRESS:PORT (e.g. 127.0.0.1:5740)");
        return (address, port);
    }

    private static Func<HttpContext, RequestDelegate, Task> RequireToken(string token) => async (context, next) =>
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header != "Bearer " + token)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["message"] = "missing or wrong token (Authorization: Bearer TOKEN)" });
            return;
        }
        await next(context);
    };

    private static void Map(WebApplication app, Supervisor supervisor)
    {
        app.MapGet("/api/experiments", () => Results.Json(new JsonObject
        {
            ["experiments"] = supervisor.Snapshot(), ["manifest_errors"] = supervisor.FileErrors(),
        }));
        app.MapGet("/api/experiments/{name}", (string name) =>
            supervisor.Describe(name) is { } found ? Results.Json(found) : Results.Json(new JsonObject { ["ok"] = false, ["message"] = $"no experiment '{name}'" }, statusCode: 404));
        app.MapGet("/api/experiments/{name}/events", (string name, int? tail) =>
            supervisor.Events(name, Math.Clamp(tail ?? 50, 1, 10_000)) is { } events
                ? Results.Json(events)
                : Results.Json(new JsonObject { ["ok"] = false, ["message"] = $"no experiment '{name}'" }, statusCode: 404));
        app.MapPost("/api/experiments/{name}/{command}", async (string name, string command, HttpRequest http) =>
        {
            if (command is not ("pause" or "resume" or "stop" or "checkpoint" or "reload" or "swap" or "command"))
                return Results.Json(new JsonObject { ["ok"] = false, ["message"] = $"unknown command '{command}'; use pause, resume, stop, checkpoint, reload, swap or command" }, statusCode: 404);
            List<string>? overrides = null;
            string? pluginCommand = null;
            if (command == "command")
            {
                var body = await JsonNode.ParseAsync(http.Body).ConfigureAwait(false);
                pluginCommand = (string?)body?["name"];
                overrides = body?["args"]?.AsArray().Select(n => (string)n!).ToList() ?? [];
                if (string.IsNullOrEmpty(pluginCommand))
                    return Results.Json(new JsonObject { ["ok"] = false, ["message"] = "command needs {\"name\": \"...\", \"args\": [\"key=value\", ...]}" }, statusCode: 400);
            }
            if (command == "swap")
            {
                var body = await JsonNode.ParseAsync(http.Body).ConfigureAwait(false);
                overrides = body?["set"]?.AsArray().Select(n => (string)n!).ToList();
                if (overrides is null or { Count: 0 })
                    return Results.Json(new JsonObject { ["ok"] = false, ["message"] = "swap needs {\"set\": [\"key=value\", ...]}" }, statusCode: 400);
            }
            var (status, reply) = await supervisor.Command(name, command, overrides, pluginCommand).ConfigureAwait(false);
            return Results.Json(reply, statusCode: status);
        });
        app.MapGet("/", () => Results.Content(Dashboard.Html, "text/html"));
    }
}
