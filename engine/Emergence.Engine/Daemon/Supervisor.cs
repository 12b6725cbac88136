using System.Text.Json;
using System.Text.Json.Nodes;
using Emergence.Engine.Artifacts;
using Emergence.Engine.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Emergence.Engine.Daemon;

/// <summary>Where a daemon keeps things and how it behaves.</summary>
internal sealed record DaemonSettings
{
    /// <summary>The daemon's root: <c>experiments/</c>, <c>runs/</c>, <c>.emergence/</c> (state, logs, daemon.json).</summary>
    public required string Root { get; init; }

    /// <summary>Plugin folders handed to every worker (explicitly, so workers see exactly what the daemon was given).</summary>
    public required IReadOnlyList<string> PluginFolders { get; init; }

    /// <summary>How often the experiments folder is scanned.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a command may wait for a worker's next step boundary.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string ExperimentsPath => Path.Combine(Root, "experiments");
    public string RunsPath => Path.Combine(Root, "runs");
    public string StatePath => Path.Combine(Root, ".emergence");
    public string LogsPath => Path.Combine(StatePath, "logs");
}

/// <summary>One experiment the daemon hosts: its manifest, run, worker, and supervision record.</summary>
internal sealed class ExperimentSlot(string name)
{
    public string Name { get; } = name;
    public DaemonManifest Manifest { get; set; } = null!;
    /// <summary>Hash of the manifest text the running experiment reflects (or was last sent).</summary>
    public string? AppliedSha { get; set; }
    public string? RunId { get; set; }
    public string? RunDir { get; set; }
    /// <summary>starting, running, paused, backoff, stopping, stopped, completed, failed, invalid, disabled.</summary>
    public string State { get; set; } = "starting";
    public string? Reason { get; set; }
    public bool UserStopped { get; set; }
    public List<DateTimeOffset> Crashes { get; } = [];
    public int Restarts { get; set; }
    public DateTimeOffset? NextStart { get; set; }
    public WorkerProcess? Worker { get; set; }
    public JsonObject? Status { get; set; }
    public double Rate { get; set; }
    public (long Step, DateTimeOffset Time)? LastRatePoint { get; set; }
    public string? LastChangeError { get; set; }
    public string? LastCrash { get; set; }
    /// <summary>The runtime's own first line about a fatal error (stack overflow, unhandled exception) of the current worker.</summary>
    public string? FatalLine { get; set; }
    public Queue<string> StderrTail { get; } = new();
    public string? EndedAs { get; set; }
    public string? EndReason { get; set; }
}

/// <summary>
/// The daemon's core: watches <c>experiments/</c> for manifests with <c>daemon: {enabled: true}</c>, runs each in its
/// own supervised worker process, restarts crashed workers from their last checkpoint with exponential backoff
/// (too many crashes within the window mark the experiment failed), forwards manifest edits and control commands
/// as live changes, and on shutdown stops every worker with a checkpoint.
/// </summary>
internal sealed class Supervisor(DaemonSettings settings, ILogger<Supervisor> log, TimeProvider time)
    : BackgroundService
{
    private static readonly JsonSerializerOptions StateJson = new() { WriteIndented = true };
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ExperimentSlot> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fileErrors = new(StringComparer.Ordinal);
    private volatile bool _shuttingDown;

    /// <summary>A snapshot of every experiment for the API.</summary>
    public JsonArray Snapshot()
    {
        lock (_gate) return new JsonArray(_slots.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(Describe).ToArray<JsonNode?>());
    }

    /// <summary>Manifests that could not be read as daemon experiments, with why.</summary>
    public JsonObject FileErrors()
    {
        lock (_gate) return new JsonObject(_fileErrors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)));
    }

    /// <summary>One experiment, or null.</summary>
    public JsonObject? Describe(string name)
    {
        lock (_gate) return _slots.TryGetValue(name, out var slot) ? Describe(slot) : null;
    }

    /// <summary>The last <paramref name="tail"/> events of an experiment's run (from its events.jsonl), or null.</summary>
    public JsonArray? Events(string name, int tail)
    {
        string? runDir;
        lock (_gate) runDir = _slots.TryGetValue(name, out var slot) ? slot.RunDir : null;
        if (runDir is null) return _slots.ContainsKey(name) ? [] : null;
        var path = Path.Combine(runDir, "events.jsonl");
        if (!File.Exists(path)) return [];
        var lines = new Queue<string>();
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
            while (reader.ReadLine() is { } line)
            {
                lines.Enqueue(line);
                if (lines.Count > tail) lines.Dequeue();
            }
        var array = new JsonArray();
        foreach (var line in lines)
        {
            try
            {
                array.Add(JsonNode.Parse(line));
            }
            catch (JsonException)
            {
                // a line being written right now
            }
        }
        return array;
    }

    private JsonObject Describe(ExperimentSlot slot)
    {
        var status = slot.Status;
        return new JsonObject
        {
            ["name"] = slot.Name, ["state"] = slot.State, ["reason"] = slot.Reason, ["manifest"] = slot.Manifest.Path,
            ["run_id"] = slot.RunId, ["run_dir"] = slot.RunDir, ["pid"] = slot.Worker?.Pid,
            ["step"] = status?["step"]?.DeepClone(), ["rate"] = Math.Round(slot.Rate, 2),
            ["last_checkpoint"] = status?["last_checkpoint"]?.DeepClone(), ["paused"] = status?["paused"]?.DeepClone(),
            ["plugin_version"] = status?["plugin_version"]?.DeepClone(), ["strategies"] = status?["strategies"]?.DeepClone(),
            ["metrics"] = status?["metrics"]?.DeepClone(), ["swaps"] = status?["swaps"]?.DeepClone(), ["reloads"] = status?["reloads"]?.DeepClone(),
            ["restarts"] = slot.Restarts, ["crashes_in_window"] = slot.Crashes.Count, ["last_crash"] = slot.LastCrash,
            ["last_change_error"] = slot.LastChangeError,
            ["next_start"] = slot.NextStart?.ToString("O"),
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(settings.ExperimentsPath);
        Directory.CreateDirectory(settings.RunsPath);
        Directory.CreateDirectory(settings.LogsPath);
        LoadState();
        log.LogInformation("daemon watching {Experiments}; runs in {Runs}; plugins from {Plugins}", settings.ExperimentsPath, settings.RunsPath,
            string.Join(", ", settings.PluginFolders));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Scan();
                StartDue();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning(e, "scan failed; retrying");
            }
            try
            {
                await Task.Delay(settings.ScanInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Reads every manifest: new ones start, edited ones are sent as live changes, removed or disabled ones stop.</summary>
    private void Scan()
    {
        var seen = new Dictionary<string, DaemonManifest>(StringComparer.Ordinal);
        var fileErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(settings.ExperimentsPath, "*.*", SearchOption.AllDirectories)
                     .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            var manifest = Peek(path);
            if (manifest is null) continue;
            if (manifest.Experiment is null || manifest.Errors.Count > 0)
            {
                // A manifest that is not valid even at the daemon's level: if it is a running experiment's, keep that running.
                var owner = OwnerOf(path);
                if (owner is not null) seen[owner] = _slots[owner].Manifest;
                fileErrors[path] = string.Join("; ", manifest.Errors.Select(e => e.ToString()));
                continue;
            }
            if (!manifest.Daemon.Enabled) continue;
            if (seen.TryGetValue(manifest.Experiment, out var first))
            {
                fileErrors[path] = $"experiment '{manifest.Experiment}' is already defined by {first.Path}; experiment names must be unique";
                continue;
            }
            seen[manifest.Experiment] = manifest;
        }
        lock (_gate)
        {
            _fileErrors.Clear();
            foreach (var (k, v) in fileErrors) _fileErrors[k] = v;
            foreach (var (name, manifest) in seen)
            {
                if (!_slots.TryGetValue(name, out var slot))
                {
                    slot = new ExperimentSlot(name) { Manifest = manifest, AppliedSha = null };
                    Restore(slot);
                    _slots[name] = slot;
                    log.LogInformation("new experiment {Experiment} from {Manifest}", name, manifest.Path);
                    Save();
                }
                else Changed(slot, manifest);
            }
            foreach (var slot in _slots.Values.Where(s => !seen.ContainsKey(s.Name)).ToList())
                if (slot.State is not "disabled")
                {
                    log.LogInformation("experiment {Experiment}: manifest removed or disabled; stopping it with a checkpoint", slot.Name);
                    slot.State = slot.Worker is null ? "disabled" : "stopping";
                    slot.Reason = "manifest removed or daemon.enabled is false";
                    slot.NextStart = null;
                    _ = StopWorker(slot);
                    Save();
                }
        }
    }

    private readonly Dictionary<string, (long Length, DateTime Written, DaemonManifest Manifest)> _peeked = new(StringComparer.Ordinal);

    /// <summary>A manifest as the daemon reads it, re-read only when its size or write time changed (the scan runs twice a second).</summary>
    private DaemonManifest? Peek(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        if (_peeked.TryGetValue(path, out var cached) && cached.Length == file.Length && cached.Written == file.LastWriteTimeUtc)
            return cached.Manifest;
        var manifest = DaemonManifest.Peek(path);
        if (manifest is not null) _peeked[path] = (file.Length, file.LastWriteTimeUtc, manifest);
        return manifest;
    }

    private string? OwnerOf(string path) => _slots.Values.FirstOrDefault(s => s.Manifest.Path == path)?.Name;

    private void Changed(ExperimentSlot slot, DaemonManifest manifest)
    {
        bool edited = manifest.Sha256 != slot.Manifest.Sha256;
        slot.Manifest = manifest;
        if (slot.State == "disabled")
        {
            log.LogInformation("experiment {Experiment} enabled again", slot.Name);
            (slot.State, slot.Reason, slot.UserStopped) = ("starting", null, false);
            Save();
            return;
        }
        if (!edited) return;
        switch (slot.State)
        {
            case "running" or "paused" when slot.Worker is not null && manifest.Sha256 != slot.AppliedSha:
                _ = SendEdit(slot, slot.Worker, manifest);
                break;
            case "invalid" or "failed":
                log.LogInformation("experiment {Experiment}: manifest edited; trying again", slot.Name);
                (slot.State, slot.Reason, slot.NextStart) = ("starting", null, null);
                slot.Crashes.Clear();
                Save();
                break;
        }
    }

    private async Task SendEdit(ExperimentSlot slot, WorkerProcess worker, DaemonManifest manifest)
    {
        try
        {
            var reply = await worker.Send(new JsonObject
            {
                ["cmd"] = "edit", ["yaml"] = manifest.Text, ["path"] = manifest.Path, ["source"] = "manifest edit",
            }, settings.CommandTimeout).ConfigureAwait(false);
            lock (_gate)
            {
                slot.AppliedSha = manifest.Sha256;
                slot.LastChangeError = (bool)reply["ok"]! ? null : string.Join("; ", reply["errors"]!.AsArray().Select(e => (string?)e));
                Save();
            }
            if ((bool)reply["ok"]!) log.LogInformation("experiment {Experiment}: manifest edit {Message}", slot.Name, (string?)reply["message"]);
            else log.LogWarning("experiment {Experiment}: manifest edit rejected, the running configuration is unchanged: {Errors}",
                slot.Name, slot.LastChangeError);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            log.LogWarning("experiment {Experiment}: the manifest edit could not be delivered ({Error}); it is sent again when the worker restarts",
                slot.Name, e.Message);
        }
    }

    private void StartDue()
    {
        lock (_gate)
        {
            if (_shuttingDown) return;
            var now = time.GetUtcNow();
            foreach (var slot in _slots.Values)
                if (slot.Worker is null && (slot.State == "starting" || (slot.State == "backoff" && slot.NextStart <= now)))
                    StartWorker(slot);
        }
    }

    private void StartWorker(ExperimentSlot slot)
    {
        var args = new List<string>();
        bool resume = slot.RunDir is not null && File.Exists(Path.Combine(slot.RunDir, "run.json"));
        if (resume) args.AddRange(["resume", slot.RunDir!]);
        else
        {
            slot.RunId ??= RunFolder.NewRunId(time.GetUtcNow());
            args.AddRange(["run", slot.Manifest.Path, "--run-id", slot.RunId]);
            slot.AppliedSha = slot.Manifest.Sha256;
        }
        args.AddRange(["--runs", settings.RunsPath, "--control", "stdio"]);
        foreach (var folder in settings.PluginFolders) args.AddRange(["--plugins", folder]);
        var logPath = Path.Combine(settings.LogsPath, slot.Name + ".log");
        var name = slot.Name;
        WorkerProcess worker;
        try
        {
            worker = WorkerProcess.Start(WorkerProcess.StartInfo(args), m => OnMessage(name, m), line => OnStderr(name, logPath, line));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            slot.State = "failed";
            slot.Reason = $"the worker could not be started: {e.Message}";
            log.LogError("experiment {Experiment}: {Reason}", slot.Name, slot.Reason);
            return;
        }
        (slot.Worker, slot.State, slot.Status, slot.EndedAs, slot.EndReason, slot.NextStart, slot.Reason) = (worker, "running", null, null, null, null, null);
        slot.LastRatePoint = null;
        slot.StderrTail.Clear();
        slot.FatalLine = null;
        log.LogInformation("experiment {Experiment}: worker {Pid} {Action}", slot.Name, worker.Pid, resume ? $"resuming {slot.RunDir}" : "starting a new run");
        _ = worker.Exited.ContinueWith(t => OnExit(name, worker, t.Result), TaskScheduler.Default);
        Save();
    }

    private void OnStderr(string name, string logPath, string line)
    {
        try
        {
            File.AppendAllText(logPath, line + "\n");
        }
        catch (IOException)
        {
        }
        lock (_gate)
        {
            if (!_slots.TryGetValue(name, out var slot)) return;
            if (slot.FatalLine is null && (line.StartsWith("Stack overflow", StringComparison.Ordinal)
                                           || line.StartsWith("Unhandled exception", StringComparison.Ordinal)
                                           || line.StartsWith("Process terminated", StringComparison.Ordinal)))
                slot.FatalLine = line;
            slot.StderrTail.Enqueue(line);
            while (slot.StderrTail.Count > 40) slot.StderrTail.Dequeue();
        }
    }

    private void OnMessage(string name, JsonObject message)
    {
        WorkerProcess? worker = null;
        DaemonManifest? pendingEdit = null;
        lock (_gate)
        {
            if (!_slots.TryGetValue(name, out var slot)) return;
            switch ((string?)message["type"])
            {
                case "status":
                    var step = message["step"]?.GetValue<long>() ?? 0;
                    var now = time.GetUtcNow();
                    if (slot.LastRatePoint is { } last && now > last.Time && step >= last.Step)
                    {
                        var instant = (step - last.Step) / (now - last.Time).TotalSeconds;
                        slot.Rate = slot.Rate == 0 ? instant : 0.7 * slot.Rate + 0.3 * instant;
                    }
                    slot.LastRatePoint = (step, now);
                    slot.Status = message;
                    if (slot.State is "running" or "paused")
                        slot.State = message["paused"]?.GetValue<bool>() == true ? "paused" : "running";
                    break;
                case "started":
                    slot.RunDir = (string?)message["run_dir"];
                    slot.RunId = (string?)message["run_id"];
                    Save();
                    // An edit made while no worker ran (or a rejected-then-fixed file) is applied now.
                    if (slot.Manifest.Sha256 != slot.AppliedSha)
                        (worker, pendingEdit) = (slot.Worker, slot.Manifest);
                    break;
                case "ended":
                    slot.EndedAs = (string?)message["end"];
                    slot.EndReason = (string?)message["reason"];
                    break;
            }
        }
        if (worker is not null && pendingEdit is not null)
        {
            ExperimentSlot? target;
            lock (_gate) _slots.TryGetValue(name, out target);
            if (target is not null) _ = SendEdit(target, worker, pendingEdit);
        }
    }

    private void OnExit(string name, WorkerProcess worker, int code)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(name, out var slot) || slot.Worker != worker) return;
            slot.Worker = null;
            var now = time.GetUtcNow();
            if (code == 0 && slot.EndedAs == "completed")
                (slot.State, slot.Reason) = ("completed", slot.EndReason);
            else if (code == 0 && slot.EndedAs == "stopped")
            {
                if (slot.State is "stopping" && slot.Reason is "manifest removed or daemon.enabled is false") slot.State = "disabled";
                else (slot.State, slot.Reason) = ("stopped", slot.UserStopped || _shuttingDown ? (slot.UserStopped ? "stopped by request" : "daemon shut down") : slot.EndReason);
            }
            else if (code == 2)
                (slot.State, slot.Reason) = ("invalid", string.Join("\n", slot.StderrTail.Where(l => !l.StartsWith('[')).TakeLast(20)));
            else if (_shuttingDown)
                (slot.State, slot.Reason) = ("stopped", $"worker ended during shutdown: {WorkerProcess.DescribeExit(code)}");
            else Crashed(slot, code, now);
            log.LogInformation("experiment {Experiment}: worker {Pid} exited ({Exit}); now {State}", name, worker.Pid,
                WorkerProcess.DescribeExit(code), slot.State);
            Save();
        }
    }

    private void Crashed(ExperimentSlot slot, int code, DateTimeOffset now)
    {
        var policy = slot.Manifest.Daemon;
        slot.Crashes.Add(now);
        slot.Crashes.RemoveAll(t => now - t > policy.RestartWindow);
        // A killed worker's last output says nothing about why it died; a worker that failed or aborted says it last.
        string[] telling = ["failed at step", "error:", "OutOfMemory"];
        var last = code is 137 or 143 ? "" :
            slot.FatalLine
            ?? slot.StderrTail.LastOrDefault(l => telling.Any(t => l.Contains(t, StringComparison.Ordinal)))
            ?? slot.StderrTail.LastOrDefault(l => l.Length > 0) ?? "";
        var why = $"{WorkerProcess.DescribeExit(code)}{(last.Length > 0 ? $"; last output: {last}" : "")}";
        slot.LastCrash = $"{now:O}: {why}";
        if (slot.Crashes.Count > policy.MaxRestarts)
        {
            slot.State = "failed";
            slot.Reason = $"the worker crashed {slot.Crashes.Count} times within {Manifests.Duration.Format(policy.RestartWindow)} " +
                          $"(daemon.max_restarts is {policy.MaxRestarts}); last crash: {why}";
            slot.NextStart = null;
            log.LogError("experiment {Experiment} failed: {Reason}", slot.Name, slot.Reason);
            return;
        }
        var delay = TimeSpan.FromTicks(Math.Min(policy.BackoffMax.Ticks,
            policy.BackoffInitial.Ticks * (long)Math.Pow(2, Math.Min(30, slot.Crashes.Count - 1))));
        slot.Restarts++;
        slot.State = "backoff";
        slot.Reason = $"worker crashed: {why}; restarting from the last checkpoint in {Manifests.Duration.Format(delay)}";
        slot.NextStart = now + delay;
        log.LogWarning("experiment {Experiment}: {Reason}", slot.Name, slot.Reason);
    }

    /// <summary>Asks a worker to stop with a checkpoint; returns when it exited (or was killed after the timeout).</summary>
    private async Task StopWorker(ExperimentSlot slot, TimeSpan? killAfter = null)
    {
        var worker = slot.Worker;
        if (worker is null) return;
        try
        {
            await worker.Send(new JsonObject { ["cmd"] = "stop" }, settings.CommandTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            worker.CloseInput();
        }
        if (killAfter is { } limit && await Task.WhenAny(worker.Exited, Task.Delay(limit)).ConfigureAwait(false) != worker.Exited)
        {
            log.LogWarning("experiment {Experiment}: worker {Pid} did not stop within {Limit}; killing it (its last checkpoint stays valid)",
                slot.Name, worker.Pid, limit);
            worker.Kill();
        }
        await worker.Exited.ConfigureAwait(false);
    }

    /// <summary>Carries out an API command on an experiment; returns (HTTP status, body).</summary>
    public async Task<(int Status, JsonObject Body)> Command(string name, string command, IReadOnlyList<string>? overrides,
        string? pluginCommand = null)
    {
        ExperimentSlot? slot;
        WorkerProcess? worker;
        lock (_gate)
        {
            if (!_slots.TryGetValue(name, out slot))
                return (404, Error($"no experiment '{name}'; known: {string.Join(", ", _slots.Keys.Order(StringComparer.Ordinal))}"));
            worker = slot.Worker;
            if (command == "resume" && worker is null && slot.State is "stopped" or "failed" or "backoff")
            {
                (slot.State, slot.Reason, slot.UserStopped, slot.NextStart) = ("starting", null, false, null);
                slot.Crashes.Clear();
                Save();
                return (202, new JsonObject { ["ok"] = true, ["message"] = $"starting {name} from its last checkpoint" });
            }
            if (command == "stop")
            {
                slot.UserStopped = true;
                if (worker is null)
                {
                    (slot.State, slot.NextStart) = (slot.State is "backoff" or "starting" ? "stopped" : slot.State, null);
                    Save();
                    return (200, new JsonObject { ["ok"] = true, ["message"] = $"{name} is {slot.State}" });
                }
                slot.State = "stopping";
            }
        }
        if (worker is null) return (409, Error($"experiment '{name}' has no running worker (state {slot.State})"));
        var message = new JsonObject { ["cmd"] = command == "resume" ? "resume" : command, ["source"] = "control api" };
        if (command == "swap") message["overrides"] = new JsonArray((overrides ?? []).Select(o => (JsonNode?)o).ToArray());
        if (command == "command")
        {
            message["name"] = pluginCommand;
            message["args"] = new JsonArray((overrides ?? []).Select(o => (JsonNode?)o).ToArray());
        }
        try
        {
            var reply = await worker.Send(message, settings.CommandTimeout).ConfigureAwait(false);
            return ((bool)reply["ok"]! ? 200 : 422, reply);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            return (503, Error($"the worker did not answer: {e.Message}"));
        }
    }

    private static JsonObject Error(string message) => new() { ["ok"] = false, ["message"] = message };

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _shuttingDown = true;
        List<Task> stopping;
        lock (_gate)
        {
            log.LogInformation("daemon stopping: checkpointing {Count} experiment(s)", _slots.Values.Count(s => s.Worker is not null));
            stopping = _slots.Values.Where(s => s.Worker is not null).Select(s => StopWorker(s)).ToList();
        }
        var all = Task.WhenAll(stopping);
        if (await Task.WhenAny(all, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false) != all)
        {
            lock (_gate)
                foreach (var slot in _slots.Values.Where(s => s.Worker is not null))
                {
                    log.LogWarning("experiment {Experiment}: worker did not stop within the shutdown timeout; killing it", slot.Name);
                    slot.Worker!.Kill();
                }
        }
        await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_gate) Save();
    }

    private sealed record SavedSlot(string? RunId, string? RunDir, string? AppliedSha, string State, string? Reason, bool UserStopped, int Restarts);

    private string StateFile => Path.Combine(settings.StatePath, "state.json");

    private void LoadState()
    {
        if (!File.Exists(StateFile)) return;
        Dictionary<string, SavedSlot>? saved;
        try
        {
            saved = JsonSerializer.Deserialize<Dictionary<string, SavedSlot>>(File.ReadAllText(StateFile));
        }
        catch (JsonException e)
        {
            log.LogWarning("ignoring an unreadable {File}: {Error}", StateFile, e.Message);
            return;
        }
        foreach (var (name, s) in saved ?? []) _restored[name] = s;
    }

    /// <summary>A new slot continues what a previous daemon recorded: the same run, and ended experiments stay ended.</summary>
    private void Restore(ExperimentSlot slot)
    {
        if (!_restored.Remove(slot.Name, out var s)) return;
        (slot.RunId, slot.RunDir, slot.AppliedSha, slot.UserStopped, slot.Restarts) = (s.RunId, s.RunDir, s.AppliedSha, s.UserStopped, s.Restarts);
        if (s.State is "completed" or "failed" || (s.State == "stopped" && s.UserStopped))
            (slot.State, slot.Reason) = (s.State, s.Reason);
        if (s.State == "failed" && s.AppliedSha != slot.Manifest.Sha256) (slot.State, slot.Reason) = ("starting", null);
    }

    private readonly Dictionary<string, SavedSlot> _restored = new(StringComparer.Ordinal);

    private void Save()
    {
        var saved = new Dictionary<string, SavedSlot>(_restored, StringComparer.Ordinal);
        foreach (var slot in _slots.Values)
            saved[slot.Name] = new SavedSlot(slot.RunId, slot.RunDir, slot.AppliedSha, slot.State, slot.Reason, slot.UserStopped, slot.Restarts);
        AtomicFile.WriteText(StateFile, JsonSerializer.Serialize(saved, StateJson));
    }
}
