using System.CommandLine;
using System.ComponentModel;
using System.Reflection;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence plugins</c>: what is installed, and every component with its options.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var plugins = CommonOptions.Plugins();
        var verbose = new Option<bool>("--options") { Description = "Also list every option with its type and default." };
        var command = new Command("plugins", "List loaded plugins, their components, strategy slots and options.") { plugins, verbose };
        command.SetAction(parse =>
        {
            var catalog = CommonOptions.LoadPlugins(parse.GetValue(plugins));
            if (catalog.SearchedFolders.Count == 0)
                Console.WriteLine("no plugin folder found; build the solution (dotnet build) or pass --plugins DIR");
            foreach (var folder in catalog.SearchedFolders) Console.WriteLine($"# searched {folder}");
            foreach (var plugin in catalog.Plugins) Print(plugin.Descriptor, parse.GetValue(verbose));
            foreach (var error in catalog.Errors) Console.WriteLine($"\nNOT LOADED {error}");
            return catalog.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.PluginError;
        });
        return command;
    }

    private static void Print(PluginDescriptor plugin, bool options)
    {
        Console.WriteLine($"\n{plugin.Info.Name} {plugin.Info.Version} — {plugin.Info.Description}");
        Console.WriteLine($"  assembly {plugin.AssemblyPath}");
        void Components(string title, IEnumerable<ComponentDescriptor> items, string? defaultName = null)
        {
            foreach (var c in items)
            {
                Console.WriteLine($"  {title,-11} {c.Name}{(c.Name == defaultName ? " (default)" : "")} — {c.Description}");
                if (options) PrintOptions(c.OptionsType, "      ");
            }
        }
        Components("model", plugin.Models.Values, plugin.DefaultModel);
        Components("trainer", plugin.Trainers.Values, plugin.DefaultTrainer);
        foreach (var slot in plugin.Slots.Values)
        {
            Console.WriteLine($"  slot        {slot.Slot} — {slot.Description}");
            Components("  strategy", slot.Strategies.Values, slot.DefaultStrategy);
        }
        Components("visualizer", plugin.Visualizers.Values);
        Components("command", plugin.Commands.Values);
    }

    private static void PrintOptions(Type type, string indent)
    {
        var defaults = Activator.CreateInstance(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var value = property.GetValue(defaults);
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
            var live = property.GetCustomAttribute<Emergence.Contracts.Options.LiveEditableAttribute>() is null ? "" : "[live] ";
            Console.WriteLine($"{indent}{OptionNaming.NameOf(property),-28} {property.PropertyType.Name,-10} = {value ?? "null"}  {live}{description}");
        }
    }
}
