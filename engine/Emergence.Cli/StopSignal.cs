using System.Runtime.InteropServices;

namespace Emergence.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a cancellation: the run finishes its current step,
/// writes a checkpoint and exits 0. A second Ctrl+C is left to the runtime (immediate exit).
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;

    public StopSignal()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
    }

    public CancellationToken Token => _source.Token;

    private void Handle(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested) return;
        context.Cancel = true;
        Console.Error.WriteLine($"\n{context.Signal} received: finishing the current step and writing a checkpoint…");
        _source.Cancel();
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
        _source.Dispose();
    }
}
