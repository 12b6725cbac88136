using System.CommandLine;
using Emergence.Cli.Commands;

namespace Emergence.Cli;

/// <summary>The <c>emergence</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("Emergence Engine: run, resume and inspect experiments on small neural networks.");
        root.Subcommands.Add(RunCommands.Run());
        root.Subcommands.Add(RunCommands.Resume());
        root.Subcommands.Add(ManifestCommands.Validate());
        root.Subcommands.Add(ManifestCommands.Schema());
        root.Subcommands.Add(PluginsCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(RunCommands.Fork());
        root.Subcommands.Add(EventsCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(DaemonCommands.Daemon());
        root.Subcommands.Add(DaemonCommands.Status());
        root.Subcommands.Add(DaemonCommands.Swap());
        root.Subcommands.Add(DaemonCommands.PluginCommand());
        root.Subcommands.Add(DaemonCommands.Simple("pause", "Pause a daemon experiment at its next step boundary."));
        root.Subcommands.Add(DaemonCommands.Simple("stop", "Stop a daemon experiment with a checkpoint (it stays stopped until 'resume')."));
        root.Subcommands.Add(DaemonCommands.Simple("checkpoint", "Write a checkpoint of a daemon experiment now."));
        root.Subcommands.Add(DaemonCommands.Simple("reload", "Reload a daemon experiment's plugin from its (rebuilt) assembly now."));
        return root.Parse(args).Invoke();
    }
}
