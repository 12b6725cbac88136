using System.Collections.Concurrent;

namespace Emergence.Engine.Runs;

/// <summary>A request to a running experiment, carried out at the next step boundary.</summary>
internal abstract record ControlCommand
{
    private readonly TaskCompletionSource<ControlReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the run has carried out (or refused) the command.</summary>
    public Task<ControlReply> Reply => _reply.Task;

    internal void Complete(ControlReply reply) => _reply.TrySetResult(reply);
}

/// <summary>Hold the run at the next step boundary until <see cref="ResumeCommand"/> or a stop.</summary>
internal sealed record PauseCommand : ControlCommand;

/// <summary>Continue a paused run.</summary>
internal sealed record ResumeCommand : ControlCommand;

/// <summary>Stop after the current step with a checkpoint (like SIGTERM).</summary>
internal sealed record StopCommand : ControlCommand;

/// <summary>Write a checkpoint at the next step boundary.</summary>
internal sealed record CheckpointCommand : ControlCommand;

/// <summary>Live change: <c>key=value</c> overrides on the manifest in effect (e.g. <c>strategies.selection=tournament</c>).</summary>
internal sealed record SwapCommand(IReadOnlyList<string> Overrides, string Source) : ControlCommand;

/// <summary>Live change: the experiment's manifest file was edited; <paramref name="Yaml"/> is its new text.</summary>
internal sealed record ManifestEditCommand(string Yaml, string SourcePath, string Source) : ControlCommand;

/// <summary>Run the plugin's command <paramref name="Name"/> with <c>key=value</c> arguments (e.g. SparkNet's <c>reset reset_weights=true</c>).</summary>
internal sealed record PluginCommand(string Name, IReadOnlyList<string> Args, string Source) : ControlCommand;

/// <summary>Load the plugin again from its (rebuilt) assembly and continue from the same state.</summary>
internal sealed record ReloadCommand(string Source) : ControlCommand;

/// <summary>The outcome of a command.</summary>
/// <param name="Ok">True when carried out.</param>
/// <param name="Step">The step boundary it was handled at.</param>
/// <param name="Message">What happened, in one line.</param>
/// <param name="Errors">Validation errors or rejected keys when refused.</param>
internal sealed record ControlReply(bool Ok, long Step, string Message, IReadOnlyList<string>? Errors = null);

/// <summary>
/// The command queue of one run: any thread enqueues, the run loop drains it between steps
/// (so commands never race with a step), and every command gets a reply.
/// </summary>
internal sealed class RunControl : IDisposable
{
    private readonly BlockingCollection<ControlCommand> _queue = new();

    /// <summary>Queues a command; await <see cref="ControlCommand.Reply"/> for its outcome.</summary>
    public T Send<T>(T command) where T : ControlCommand
    {
        _queue.Add(command);
        return command;
    }

    /// <summary>Takes the next command without waiting, or null.</summary>
    internal ControlCommand? TryTake() => _queue.TryTake(out var command) ? command : null;

    /// <summary>Waits up to <paramref name="timeout"/> for a command (used while paused).</summary>
    internal ControlCommand? Take(TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            return _queue.TryTake(out var command, (int)timeout.TotalMilliseconds, cancel) ? command : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _queue.Dispose();

    /// <summary>Refuses every queued command (the run has ended).</summary>
    internal void RefuseRemaining(long step, string why)
    {
        while (_queue.TryTake(out var command)) command.Complete(new ControlReply(false, step, why));
    }
}
