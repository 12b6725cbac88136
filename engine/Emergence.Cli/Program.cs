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
        return root.Parse(args).Invoke();
    }
}
