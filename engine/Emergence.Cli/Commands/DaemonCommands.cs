using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Emergence.Engine.Daemon;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence daemon</c> and the commands that talk to a running daemon: status, swap, pause, resume, stop, checkpoint, reload.</summary>
internal static class DaemonCommands
{
    private static Option<string> Root() => new("--root")
    {
        Description = "The daemon's root folder (experiments/, runs/, .emergence/). Default: $EMERGENCE_ROOT or the current directory.",
    };

    private static Option<string> Url() => new("--url") { Description = "The daemon's control API (default: read from ROOT/.emergence/daemon.json)." };

    private static Option<string> Token() => new("--token") { Description = "Bearer token of the control API. Default: $EMERGENCE_TOKEN." };

    private static string RootOf(string? option) =>
        Path.GetFullPath(option ?? Environment.GetEnvironmentVariable("EMERGENCE_ROOT") ?? Environment.CurrentDirectory);

    public static Command Daemon()
    {
        var root = Root();
        var plugins = CommonOptions.Plugins();
        var listen = new Option<string>("--listen") { Description = "Control API address. Default 127.0.0.1:5740; port 0 picks a free port (written to ROOT/.emergence/daemon.json)." };
        var token = Token();
        var shutdown = new Option<string>("--shutdown-timeout") { Description = "How long SIGTERM waits for every experiment to checkpoint (e.g. 30s). Default 30s." };
        var command = new Command("daemon", "Run every manifest in ROOT/experiments marked 'daemon: {enabled: true}' in supervised worker processes, with a control API.")
        {
            root, plugins, listen, token, shutdown,
        };
        command.SetAction(parse =>
        {
            var rootPath = RootOf(parse.GetValue(root));
            var timeout = TimeSpan.FromSeconds(30);
            if (parse.GetValue(shutdown) is { } text && !Duration.TryParse(text, out timeout))
            {
                Console.Error.WriteLine($"error: --shutdown-timeout '{text}' is not a duration; write e.g. 30s or 2m");
                return ExitCodes.InvalidInput;
            }
            // ROOT/plugins (if present) comes first, then the usual folders; workers get exactly this list.
            var folders = new List<string>();
            if (Directory.Exists(Path.Combine(rootPath, "plugins"))) folders.Add(Path.Combine(rootPath, "plugins"));
            folders.AddRange(PluginCatalog.DefaultFolders(parse.GetValue(plugins) ?? [], Environment.GetEnvironmentVariable("EMERGENCE_PLUGINS"),
                AppContext.BaseDirectory, Environment.CurrentDirectory).Select(Path.GetFullPath).Where(Directory.Exists));
            var settings = new DaemonSettings { Root = rootPath, PluginFolders = folders.Distinct(StringComparer.Ordinal).ToList() };
            try
            {
                return DaemonHost.Run(new DaemonRequest
                {
                    Settings = settings, Listen = parse.GetValue(listen) ?? "127.0.0.1:5740",
                    Token = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("EMERGENCE_TOKEN"), ShutdownTimeout = timeout,
                });
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    public static Command Status()
    {
        var (root, url, token) = (Root(), Url(), Token());
        var name = new Argument<string?>("experiment") { Description = "One experiment (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON." };
        var events = new Option<int>("--events") { Description = "Also show the last N events of the experiment." };
        var command = new Command("status", "Show the daemon's experiments: state, step, rate, key metrics, restarts, last checkpoint.")
        {
            name, root, url, token, json, events,
        };
        command.SetAction(parse => Call(parse.GetValue(root), parse.GetValue(url), parse.GetValue(token), async client =>
        {
            var experiment = parse.GetValue(name);
            var (status, body) = await Get(client, experiment is null ? "api/experiments" : $"api/experiments/{Uri.EscapeDataString(experiment)}");
            if (status != 200) return Fail(body);
            if (parse.GetValue(json))
            {
                Console.WriteLine(body.ToJsonString(new() { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            var list = experiment is null ? body["experiments"]!.AsArray().Select(e => e!.AsObject()).ToList() : [body.AsObject()];
            Console.WriteLine($"{"EXPERIMENT",-24} {"STATE",-10} {"STEP",12} {"STEPS/S",10} {"CKPT",12} {"RESTARTS",8}  STRATEGIES / METRICS");
            foreach (var e in list)
            {
                var strategies = string.Join(" ", (e["strategies"]?.AsObject() ?? []).Select(s => $"{s.Key}={s.Value}"));
                var metrics = string.Join(" ", (e["metrics"]?.AsObject() ?? []).Take(6)
                    .Select(m => $"{m.Key}={m.Value!.GetValue<double>().ToString("G5", CultureInfo.InvariantCulture)}"));
                Console.WriteLine($"{e["name"],-24} {e["state"],-10} {e["step"],12} {e["rate"],10} {e["last_checkpoint"],12} {e["restarts"],8}  {strategies} {metrics}");
                if (e["reason"] is { } reason) Console.WriteLine($"    {reason}");
                if (e["last_change_error"] is { } change) Console.WriteLine($"    last change rejected: {change}");
            }
            if (experiment is null && body["manifest_errors"]?.AsObject() is { Count: > 0 } errors)
                foreach (var (file, error) in errors) Console.WriteLine($"manifest not loaded: {file}: {error}");
            if (experiment is not null && parse.GetValue(events) > 0)
            {
                var (_, tail) = await Get(client, $"api/experiments/{Uri.EscapeDataString(experiment)}/events?tail={parse.GetValue(events)}");
                foreach (var ev in tail.AsArray()) Console.WriteLine($"  {ev!.ToJsonString()}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Swap()
    {
        var (root, url, token) = (Root(), Url(), Token());
        var name = new Argument<string>("experiment") { Description = "The experiment's name." };
        var changes = new Argument<string[]>("changes") { Description = "key=value changes, e.g. strategies.selection=tournament trainer.lr=0.01.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("swap", "Change a running experiment's strategies or live-editable options at its next step boundary.")
        {
            name, changes, root, url, token,
        };
        command.SetAction(parse => Call(parse.GetValue(root), parse.GetValue(url), parse.GetValue(token), async client =>
        {
            var body = new JsonObject { ["set"] = new JsonArray(parse.GetValue(changes)!.Select(c => (JsonNode?)c).ToArray()) };
            var (status, reply) = await Post(client, $"api/experiments/{Uri.EscapeDataString(parse.GetValue(name)!)}/swap", body);
            return Report(status, reply);
        }));
        return command;
    }

    public static Command PluginCommand()
    {
        var (root, url, token) = (Root(), Url(), Token());
        var name = new Argument<string>("experiment") { Description = "The experiment's name." };
        var verb = new Argument<string>("command") { Description = "The plugin's command, e.g. reset (see 'emergence plugins')." };
        var args = new Argument<string[]>("args") { Description = "key=value arguments, e.g. reset_weights=true.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("command", "Run a plugin command (e.g. SparkNet's reset) in a daemon experiment at its next step boundary; recorded and replayed on resume.")
        {
            name, verb, args, root, url, token,
        };
        command.SetAction(parse => Call(parse.GetValue(root), parse.GetValue(url), parse.GetValue(token), async client =>
        {
            var body = new JsonObject
            {
                ["name"] = parse.GetValue(verb), ["args"] = new JsonArray((parse.GetValue(args) ?? []).Select(c => (JsonNode?)c).ToArray()),
            };
            var (status, reply) = await Post(client, $"api/experiments/{Uri.EscapeDataString(parse.GetValue(name)!)}/command", body);
            return Report(status, reply);
        }));
        return command;
    }

    /// <summary>pause, stop, checkpoint, reload (resume is shared with run folders: see <see cref="RunCommands"/>).</summary>
    public static Command Simple(string verb, string description)
    {
        var (root, url, token) = (Root(), Url(), Token());
        var name = new Argument<string>("experiment") { Description = "The experiment's name." };
        var command = new Command(verb, description) { name, root, url, token };
        command.SetAction(parse => Send(verb, parse.GetValue(name)!, parse.GetValue(root), parse.GetValue(url), parse.GetValue(token)));
        return command;
    }

    /// <summary>Sends a plain command to the daemon for one experiment.</summary>
    public static int Send(string verb, string experiment, string? root, string? url, string? token) =>
        Call(root, url, token, async client =>
        {
            var (status, reply) = await Post(client, $"api/experiments/{Uri.EscapeDataString(experiment)}/{verb}", null);
            return Report(status, reply);
        });

    private static int Report(int status, JsonNode reply)
    {
        if (status is >= 200 and < 300)
        {
            Console.WriteLine((string?)reply["message"] ?? "ok");
            return ExitCodes.Ok;
        }
        return Fail(reply);
    }

    private static int Fail(JsonNode reply)
    {
        Console.Error.WriteLine($"error: {(string?)reply["message"] ?? reply.ToJsonString()}");
        if (reply["errors"] is JsonArray errors)
            foreach (var e in errors) Console.Error.WriteLine($"  {e}");
        return ExitCodes.InvalidInput;
    }

    private static int Call(string? root, string? url, string? token, Func<HttpClient, Task<int>> action)
    {
        var rootPath = RootOf(root);
        var endpoint = url ?? DaemonEndpoint.Read(rootPath)?.Url;
        if (endpoint is null)
        {
            Console.Error.WriteLine($"error: no daemon is running for {rootPath} (no .emergence/daemon.json); start one with 'emergence daemon --root {rootPath}' or pass --url");
            return ExitCodes.InvalidInput;
        }
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(90) };
        if ((token ?? Environment.GetEnvironmentVariable("EMERGENCE_TOKEN")) is { Length: > 0 } t)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", t);
        try
        {
            return action(client).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: the daemon at {endpoint} did not answer ({e.Message}); is it running?");
            return ExitCodes.InvalidInput;
        }
    }

    private static async Task<(int, JsonNode)> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject());
    }

    private static async Task<(int, JsonNode)> Post(HttpClient client, string path, JsonNode? body)
    {
        using var content = new StringContent(body?.ToJsonString() ?? "{}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject());
    }
}
