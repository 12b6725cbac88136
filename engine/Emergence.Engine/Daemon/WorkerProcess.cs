using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Emergence.Engine.Daemon;

/// <summary>
/// One worker process (the <c>emergence</c> executable itself running <c>run</c>/<c>resume --control stdio</c>)
/// and its side of the line protocol: commands are written to its stdin with an id, replies matched by id;
/// status, event, started and ended messages are handed to the callbacks; stderr lines are the run's log.
/// </summary>
internal sealed class WorkerProcess
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly Lock _stdin = new();
    private long _nextId;

    private WorkerProcess(Process process) => _process = process;

    /// <summary>The worker's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Completes with the exit code once the process has exited and its output is drained.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>Receives every protocol message except replies.</summary>
    public Action<JsonObject>? Message { get; init; }

    /// <summary>Receives every stderr line.</summary>
    public Action<string>? ErrorLine { get; init; }

    /// <summary>The command line that starts a worker: this executable (or <c>dotnet emergence.dll</c>) and <paramref name="args"/>.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this executable's path");
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location
                                  ?? throw new InvalidOperationException("cannot find the entry assembly"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return info;
    }

    /// <summary>Starts a worker; the callbacks run on thread-pool threads.</summary>
    public static WorkerProcess Start(ProcessStartInfo info, Action<JsonObject> message, Action<string> errorLine)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process) { Message = message, ErrorLine = errorLine };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line) worker.OnLine(line);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) worker.ErrorLine?.Invoke(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        worker.Exited = worker.WaitAsync();
        return worker;
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        int code = _process.ExitCode;
        foreach (var (_, pending) in _pending) pending.TrySetException(new IOException($"the worker exited (code {code}) before replying"));
        _process.Dispose();
        return code;
    }

    private void OnLine(string line)
    {
        JsonObject message;
        try
        {
            message = JsonNode.Parse(line)?.AsObject() ?? throw new FormatException("null");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            ErrorLine?.Invoke(line);
            return;
        }
        if ((string?)message["type"] == "reply" && message["id"]?.GetValue<long>() is { } id && _pending.TryRemove(id, out var pending))
            pending.TrySetResult(message);
        else Message?.Invoke(message);
    }

    /// <summary>Sends a command and waits for its reply (carried out at the worker's next step boundary).</summary>
    public async Task<JsonObject> Send(JsonObject command, TimeSpan timeout, CancellationToken cancel = default)
    {
        long id = Interlocked.Increment(ref _nextId);
        command["id"] = id;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            lock (_stdin)
            {
                _process.StandardInput.WriteLine(command.ToJsonString());
                _process.StandardInput.Flush();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            throw new IOException($"the worker does not accept commands: {e.Message}", e);
        }
        try
        {
            return await reply.Task.WaitAsync(timeout, cancel).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Closes the worker's stdin: it stops after its current step with a checkpoint.</summary>
    public void CloseInput()
    {
        try
        {
            lock (_stdin) _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Kills the worker (and anything it started).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or ObjectDisposedException)
        {
        }
    }

    /// <summary>A readable reason for an exit code (signals on Unix are 128 + signal number).</summary>
    public static string DescribeExit(int code) => code switch
    {
        0 => "exit code 0",
        1 => "exit code 1 (the run failed: the trainer threw)",
        2 => "exit code 2 (invalid manifest or input)",
        3 => "exit code 3 (plugin error)",
        134 => "killed by SIGABRT (exit code 134: a stack overflow or a fatal runtime error)",
        137 => "killed by SIGKILL (exit code 137: kill -9 or the out-of-memory killer)",
        139 => "killed by SIGSEGV (exit code 139)",
        143 => "killed by SIGTERM (exit code 143)",
        > 128 and < 160 => $"killed by signal {code - 128} (exit code {code})",
        _ => $"exit code {code}",
    };
}
