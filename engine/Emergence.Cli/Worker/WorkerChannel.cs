using System.Text.Json;
using System.Text.Json.Nodes;
using Emergence.Engine.Runs;

namespace Emergence.Cli.Worker;

/// <summary>
/// The daemon ↔ worker protocol over the worker's standard streams, one JSON object per line.
/// stdin (daemon → worker): <c>{"id":1,"cmd":"pause|resume|stop|checkpoint|reload"}</c>,
/// <c>{"id":2,"cmd":"swap","overrides":["strategies.x=y"],"source":"..."}</c>,
/// <c>{"id":3,"cmd":"edit","yaml":"...","path":"...","source":"..."}</c>,
/// <c>{"id":4,"cmd":"command","name":"reset","args":["reset_weights=true"]}</c>.
/// stdout (worker → daemon): <c>{"type":"status",...}</c> about once a second,
/// <c>{"type":"reply","id":1,"ok":true,"step":120,"message":"...","errors":[...]}</c>,
/// <c>{"type":"event","event":"swap",...}</c>, and <c>{"type":"ended","end":"completed",...}</c> last.
/// The run's log goes to stderr. End of stdin (the daemon is gone) stops the run with a checkpoint.
/// </summary>
internal sealed class WorkerChannel
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly TextWriter _out;
    private readonly Lock _lock = new();
    private readonly Thread _reader;

    public WorkerChannel(TextReader input, TextWriter output)
    {
        _out = output;
        _reader = new Thread(() => ReadLoop(input)) { IsBackground = true, Name = "worker-stdin" };
    }

    /// <summary>Where commands go.</summary>
    public RunControl Control { get; } = new();

    /// <summary>Starts reading commands.</summary>
    public void Start() => _reader.Start();

    public void Status(RunStatus status) => Write(new JsonObject
    {
        ["type"] = "status", ["step"] = status.Step, ["paused"] = status.Paused, ["last_checkpoint"] = status.LastCheckpointStep,
        ["plugin_version"] = status.PluginVersion, ["plugin_sha256"] = status.PluginSha256,
        ["strategies"] = JsonSerializer.SerializeToNode(status.Strategies, Json),
        ["metrics"] = JsonSerializer.SerializeToNode(status.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(), Json),
        ["swaps"] = status.Swaps, ["reloads"] = status.Reloads, ["pid"] = Environment.ProcessId,
    });

    public void Event(string type, IReadOnlyDictionary<string, object?> fields)
    {
        var node = new JsonObject { ["type"] = "event", ["event"] = type };
        foreach (var (key, value) in fields) node[key] = JsonSerializer.SerializeToNode(value, Json);
        Write(node);
    }

    public void Started(string runDir, string runId) => Write(new JsonObject
    {
        ["type"] = "started", ["run_dir"] = runDir, ["run_id"] = runId, ["pid"] = Environment.ProcessId,
    });

    public void Ended(RunResult result) => Write(new JsonObject
    {
        ["type"] = "ended", ["end"] = result.End.ToString().ToLowerInvariant(), ["step"] = result.Step, ["reason"] = result.Reason,
    });

    private void Write(JsonObject message)
    {
        var line = message.ToJsonString();
        lock (_lock)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }

    private void ReadLoop(TextReader input)
    {
        while (input.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            long id = 0;
            try
            {
                var node = JsonNode.Parse(line)!.AsObject();
                id = node["id"]?.GetValue<long>() ?? 0;
                var source = node["source"]?.GetValue<string>() ?? "daemon";
                ControlCommand command = node["cmd"]?.GetValue<string>() switch
                {
                    "pause" => new PauseCommand(),
                    "resume" => new ResumeCommand(),
                    "stop" => new StopCommand(),
                    "checkpoint" => new CheckpointCommand(),
                    "reload" => new ReloadCommand(source),
                    "swap" => new SwapCommand(node["overrides"]!.AsArray().Select(o => o!.GetValue<string>()).ToList(), source),
                    "command" => new PluginCommand(node["name"]!.GetValue<string>(),
                        (node["args"]?.AsArray() ?? []).Select(o => o!.GetValue<string>()).ToList(), source),
                    "edit" => new ManifestEditCommand(node["yaml"]!.GetValue<string>(), node["path"]?.GetValue<string>() ?? "manifest", source),
                    var other => throw new FormatException($"unknown command '{other}'"),
                };
                var requestId = id;
                Control.Send(command).Reply.ContinueWith(t => Reply(requestId, t.Result), TaskScheduler.Default);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException)
            {
                Reply(id, new ControlReply(false, -1, $"bad command: {e.Message}"));
            }
        }
        // The daemon went away: stop cleanly with a checkpoint rather than run unsupervised.
        try
        {
            Control.Send(new StopCommand());
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Reply(long id, ControlReply reply) => Write(new JsonObject
    {
        ["type"] = "reply", ["id"] = id, ["ok"] = reply.Ok, ["step"] = reply.Step, ["message"] = reply.Message,
        ["errors"] = JsonSerializer.SerializeToNode(reply.Errors ?? [], Json),
    });
}
