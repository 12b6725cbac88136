using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Emergence.EndToEnd.Tests;

/// <summary>The result of a finished emergence process.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real emergence executable built next to this test assembly.</summary>
internal static partial class CliProcess
{
    private static readonly string Artifacts = FindUp(AppContext.BaseDirectory, "artifacts");

    /// <summary>The built emergence.dll of the same configuration as the tests.</summary>
    public static string Dll { get; } = Path.Combine(Artifacts, "bin", "Emergence.Cli",
        new DirectoryInfo(AppContext.BaseDirectory).Name, "emergence.dll");

    /// <summary>The repository root.</summary>
    public static string RepoRoot { get; } = Path.GetDirectoryName(Artifacts)!;

    /// <summary>Folder with the fixture plugins.</summary>
    public static string Fixtures { get; } = Path.Combine(Artifacts, "fixtures");

    /// <summary>Starts emergence with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("EMERGENCE_PLUGINS");
        info.Environment.Remove("EMERGENCE_RUNS");
        return Process.Start(info)!;
    }

    /// <summary>Runs emergence to completion (at most <paramref name="timeoutSeconds"/>).</summary>
    public static CliResult Run(string workingDirectory, string[] args, int timeoutSeconds = 120)
    {
        using var process = Start(workingDirectory, args);
        return Wait(process, timeoutSeconds);
    }

    /// <summary>Waits for a started process and collects its output.</summary>
    public static CliResult Wait(Process process, int timeoutSeconds = 120)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"emergence did not finish within {timeoutSeconds} s");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Sends a POSIX signal (2 = SIGINT, 9 = SIGKILL, 15 = SIGTERM).</summary>
    public static void Signal(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static string FindUp(string start, string name)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (dir.Name == name) return dir.FullName;
        throw new DirectoryNotFoundException($"no '{name}' folder above {start}");
    }
}

/// <summary>A temporary working folder removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("emergence-e2e-").FullName;

    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may still hold a file; the OS temp cleaner removes it later.
        }
    }
}
