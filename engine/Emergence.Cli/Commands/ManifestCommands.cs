using System.CommandLine;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence validate</c> and <c>emergence schema</c>.</summary>
internal static class ManifestCommands
{
    public static Command Validate()
    {
        var files = new Argument<string[]>("manifests") { Description = "Manifests to check.", Arity = ArgumentArity.OneOrMore };
        var set = CommonOptions.Set();
        var plugins = CommonOptions.Plugins();
        var command = new Command("validate", "Check manifests (and sweep files: every trial) without running them; prints every error at once.") { files, set, plugins };
        command.SetAction(parse =>
        {
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            int code = ExitCodes.Ok;
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    if (Emergence.Engine.Sweeps.SweepManifest.IsSweepFile(file))
                    {
                        // A sweep: every trial's manifest is bound and checked, errors located at the sweep file's lines.
                        var sweep = Emergence.Engine.Sweeps.SweepManifest.Load(file);
                        var trials = Emergence.Engine.Sweeps.SweepPlan.Expand(sweep, catalog);
                        Console.WriteLine($"{file}: ok (sweep {sweep.Name}: {trials.Count} trials, {trials.Count(t => t.DuplicateOf is null)} distinct)");
                        continue;
                    }
                    var manifest = ManifestLoader.Load(file, parse.GetValue(set) ?? [], catalog.Find, catalog.Names);
                    Console.WriteLine($"{file}: ok ({manifest.Plugin.Info.Name} {manifest.Plugin.Info.Version}, " +
                                      $"{manifest.Strategies.Count} strategy slots, {manifest.Visualizers.Count} visualizers)");
                }
                catch (ManifestException e)
                {
                    PrintErrors(e, catalog);
                    code = ExitCodes.InvalidInput;
                }
                catch (FileNotFoundException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    code = ExitCodes.InvalidInput;
                }
            }
            return code;
        });
        return command;
    }

    public static Command Schema()
    {
        var output = new Option<string>("--output", "-o") { Description = "Write the schema to this file instead of stdout." };
        var plugins = CommonOptions.Plugins();
        var command = new Command("schema", "Print a JSON Schema of manifests for every loaded plugin (for editor completion).") { output, plugins };
        command.SetAction(parse =>
        {
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            CommonOptions.ReportPluginErrors(catalog);
            var schema = JsonSchemaGenerator.Generate(catalog.Plugins.Select(p => p.Descriptor));
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, schema);
            else Console.WriteLine(schema);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints manifest errors, and plugin load errors that may explain a missing plugin.</summary>
    public static void PrintErrors(ManifestException e, PluginCatalog? catalog)
    {
        foreach (var error in e.Errors) Console.Error.WriteLine(error.ToString());
        Console.Error.WriteLine($"{e.Errors.Count} error(s); nothing was run.");
        if (catalog is not null) CommonOptions.ReportPluginErrors(catalog);
    }
}
