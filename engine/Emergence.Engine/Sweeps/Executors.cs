using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Emergence.Engine.Sweeps;

/// <summary>What it takes to run one trial: the emergence command line (run or resume) and where its output goes.</summary>
internal sealed record TrialLaunch(Trial Trial, IReadOnlyList<string> Arguments, string LogPath);

/// <summary>How a trial's process ended.</summary>
internal sealed record TrialExit(Trial Trial, int ExitCode, TimeSpan WallTime);

/// <summary>
/// The seam between a sweep and where its trials run. The local executor starts worker processes on this machine; a
/// cluster executor (a Slurm job array writing into a shared run store) implements the same contract: run every launch
/// (each is a plain <c>emergence run|resume</c> command line), report each exit, and on cancellation ask the trials to
/// stop with a checkpoint. Plugins and the sweep logic never see which executor ran them.
/// </summary>
internal interface ITrialExecutor
{
    string Name { get; }

    Task RunAsync(IReadOnlyList<TrialLaunch> launches, Action<TrialExit> exited, CancellationToken cancel);
}

/// <summary>Runs trials as worker processes of this executable, at most <paramref name="parallel"/> at a time.</summary>
internal sealed partial class LocalExecutor(int parallel) : ITrialExecutor
{
    public string Name => $"local ({parallel} worker processes)";

    public async Task RunAsync(IReadOnlyList<TrialLaunch> launches, Action<TrialExit> exited, CancellationToken cancel)
    {
        using var slots = new SemaphoreSlim(parallel);
        var running = new List<Task>();
        foreach (var launch in launches)
        {
            try
            {
                await slots.WaitAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            running.Add(Task.Run(async () =>
            {
                try
                {
                    exited(await RunOne(launch, cancel).ConfigureAwait(false));
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private static async Task<TrialExit> RunOne(TrialLaunch launch, CancellationToken cancel)
    {
        var info = Daemon.WorkerProcess.StartInfo(launch.Arguments);
        info.RedirectStandardInput = false;
        Directory.CreateDirectory(Path.GetDirectoryName(launch.LogPath)!);
        using var log = new StreamWriter(launch.LogPath, append: true) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Cancelling the sweep asks each trial to stop like Ctrl+C would: finish the step, checkpoint, exit 0.
        await using var stop = cancel.Register(() =>
        {
            try
            {
                if (!process.HasExited) _ = Kill(process.Id, 15);
            }
            catch (InvalidOperationException)
            {
            }
        });
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return new TrialExit(launch.Trial, process.ExitCode, clock.Elapsed);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
