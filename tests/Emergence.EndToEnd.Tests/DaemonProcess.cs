using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Emergence.EndToEnd.Tests;

/// <summary>A real <c>emergence daemon</c> on a temporary root, with helpers to read its status API and wait for conditions.</summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly HttpClient _http;

    public DaemonProcess(string root, params string[] extra)
    {
        Root = root;
        Directory.CreateDirectory(Path.Combine(root, "experiments"));
        _process = CliProcess.Start(root, ["daemon", "--root", root, "--listen", "127.0.0.1:0", .. extra]);
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
        var endpoint = Path.Combine(root, ".emergence", "daemon.json");
        WaitUntil(() => File.Exists(endpoint) && JsonNode.Parse(File.ReadAllText(endpoint))?["pid"]?.GetValue<int>() == _process.Id,
            TimeSpan.FromSeconds(60), "the daemon wrote daemon.json");
        Url = (string)JsonNode.Parse(File.ReadAllText(endpoint))!["url"]!;
        _http = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Root { get; }
    public string Url { get; }
    public Process Process => _process;
    public string Output => _process.HasExited ? _stdout.Result + _stderr.Result : "(running)";

    /// <summary>The API's description of one experiment, or null while it is unknown.</summary>
    public JsonObject? Experiment(string name)
    {
        using var response = _http.GetAsync($"api/experiments/{name}").GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) return null;
        return JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())!.AsObject();
    }

    public long Step(string name) => Experiment(name)?["step"]?.GetValue<long>() ?? -1;

    /// <summary>Events of the experiment's run (events.jsonl), optionally of one type.</summary>
    public List<JsonObject> Events(string name, string? type = null)
    {
        var runDir = (string?)Experiment(name)?["run_dir"];
        if (runDir is null || !File.Exists(Path.Combine(runDir, "events.jsonl"))) return [];
        using var stream = new FileStream(Path.Combine(runDir, "events.jsonl"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var list = new List<JsonObject>();
        while (reader.ReadLine() is { } line)
            if (JsonNode.Parse(line) is JsonObject e && (type is null || (string?)e["type"] == type)) list.Add(e);
        return list;
    }

    /// <summary>Runs an emergence client command against this daemon's root.</summary>
    public CliResult Cli(params string[] args) => CliProcess.Run(Root, [.. args, "--root", Root]);

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (condition()) return;
            }
            catch (Exception e) when (e is IOException or HttpRequestException or System.Text.Json.JsonException or InvalidOperationException)
            {
                // not ready yet
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting until {what}");
    }

    public void WaitUntil(Func<bool> condition, string what, int seconds = 60) => WaitUntil(condition, TimeSpan.FromSeconds(seconds), what);

    /// <summary>SIGTERM, then waits for the exit code.</summary>
    public int Terminate(int seconds = 60)
    {
        CliProcess.Signal(_process, 15);
        if (!_process.WaitForExit(seconds * 1000)) throw new TimeoutException("the daemon did not exit after SIGTERM");
        return _process.ExitCode;
    }

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                CliProcess.Signal(_process, 15);
                if (!_process.WaitForExit(30_000)) _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
        _process.Dispose();
    }
}
