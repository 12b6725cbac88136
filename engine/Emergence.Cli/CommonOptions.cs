using System.CommandLine;
using Emergence.Engine.Plugins;

namespace Emergence.Cli;

/// <summary>Options several commands share, and what they resolve to.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Plugins() => new("--plugins")
    {
        Description = "Plugin folder to search (repeatable). Default: $EMERGENCE_PLUGINS, plugins/ beside the executable, "
                      + "and the nearest artifacts/plugins of a built checkout.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string> Runs() => new("--runs")
    {
        Description = "Root folder of the run store. Default: $EMERGENCE_RUNS or ./runs.",
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a manifest value: --set model.n_neurons=100 (repeatable; the value is YAML).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Loads every plugin from the resolved plugin folders.</summary>
    public static PluginCatalog LoadPlugins(string[]? folders) =>
        PluginCatalog.Discover(PluginCatalog.DefaultFolders(folders ?? [], Environment.GetEnvironmentVariable("EMERGENCE_PLUGINS"),
            AppContext.BaseDirectory, Environment.CurrentDirectory));

    /// <summary>The run store root.</summary>
    public static string RunsRoot(string? option) =>
        Path.GetFullPath(option ?? Environment.GetEnvironmentVariable("EMERGENCE_RUNS") ?? "runs");

    /// <summary>Opens a run folder, or prints why <paramref name="path"/> is not one and returns null.</summary>
    public static Emergence.Engine.Runs.RunFolder? OpenRunFolder(string path)
    {
        if (Emergence.Engine.Runs.RunFolder.IsRunFolder(path)) return Emergence.Engine.Runs.RunFolder.Open(path);
        Console.Error.WriteLine($"error: '{path}' is not a run folder (no run.json); pass runs/EXPERIMENT/RUN_ID");
        return null;
    }

    /// <summary>Prints plugin load errors as warnings.</summary>
    public static void ReportPluginErrors(PluginCatalog catalog)
    {
        foreach (var error in catalog.Errors) Console.Error.WriteLine($"warning: plugin not loaded: {error}");
    }
}
