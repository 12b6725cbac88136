using System.Runtime.InteropServices;

namespace Emergence.Engine.Checkpoints;

/// <summary>
/// fsync of a directory, so that a rename into it survives a power cut. .NET cannot open a
/// directory as a file handle (File.OpenHandle throws UnauthorizedAccessException on Linux), so
/// this calls libc open(O_RDONLY|O_DIRECTORY)/fsync/close. On Windows, renames are already
/// durable once MoveFileEx returns with the target flushed, and there is nothing to do.
/// </summary>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0;
    private const int ODirectoryLinux = 0x10000;
    private const int ODirectoryMac = 0x100000;

    /// <summary>Flushes the directory entry table of <paramref name="directory"/> to disk.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int flags = ORdOnly | (OperatingSystem.IsMacOS() ? ODirectoryMac : ODirectoryLinux);
        int fd = Open(directory, flags);
        if (fd < 0) throw new IOException($"cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
