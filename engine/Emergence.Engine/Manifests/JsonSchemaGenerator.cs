using System.Text;
using System.Text.Json;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Manifests;

/// <summary>
/// Writes the JSON Schema (draft 2020-12) of the manifest: the engine's keys, and per plugin an
/// <c>if plugin == NAME then …</c> branch describing its model, trainer, strategy and visualizer
/// options (type, minimum/maximum, enum, default, description, <c>additionalProperties: false</c>).
/// Editors use it for completion; it is also a second, independent check of the binder's rules.
/// </summary>
internal static class JsonSchemaGenerator
{
    /// <summary>The schema as indented JSON. Throws <see cref="OptionsModelException"/> for an options type manifests cannot express.</summary>
    public static string Generate(IEnumerable<PluginDescriptor> plugins)
    {
        var list = plugins.OrderBy(p => p.Info.Name, StringComparer.Ordinal).ToList();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            json.WriteString("$id", "https://emergence.invalid/schemas/manifest.schema.json");
            json.WriteString("title", "Emergence experiment manifest");
            json.WriteString("type", "object");
            json.WriteStartArray("required");
            json.WriteStringValue("experiment");
            json.WriteStringValue("plugin");
            json.WriteEndArray();
            json.WriteBoolean("additionalProperties", false);
            WriteTopLevelProperties(json, list);
            json.WriteStartArray("allOf");
            foreach (var plugin in list) WritePluginBranch(json, plugin);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTopLevelProperties(Utf8JsonWriter json, List<PluginDescriptor> plugins)
    {
        json.WriteStartObject("properties");
        json.WriteStartObject("experiment");
        json.WriteString("type", "string");
        json.WriteString("pattern", "^[a-z0-9_-]+$");
        json.WriteString("description", "Name of the experiment: lower-case letters, digits, '-' and '_'. Required.");
        json.WriteEndObject();
        json.WriteStartObject("description");
        json.WriteStartArray("type");
        json.WriteStringValue("string");
        json.WriteStringValue("null");
        json.WriteEndArray();
        json.WriteString("description", "Free text describing the experiment.");
        json.WriteEndObject();
        json.WriteStartObject("plugin");
        json.WriteString("type", "string");
        json.WriteStartArray("enum");
        foreach (var plugin in plugins) json.WriteStringValue(plugin.Info.Name);
        json.WriteEndArray();
        json.WriteString("description", "Name of the plugin that implements the network family. Required.");
        json.WriteEndObject();
        json.WriteStartObject("seed");
        json.WriteString("type", "integer");
        json.WriteNumber("minimum", 0);
        json.WriteNumber("maximum", ulong.MaxValue);
        json.WriteNumber("default", 1);
        json.WriteString("description", "Master seed (uint64); every RNG stream derives from it by purpose name. Default 1.");
        json.WriteEndObject();
        foreach (var section in new[] { "model", "trainer", "strategies", "visualizers" })
        {
            json.WriteStartObject(section);
            WriteTypes(json, "object", nullable: true);
            json.WriteEndObject();
        }
        WriteSection(json, "stop", typeof(StopOptions));
        WriteSection(json, "checkpoint", typeof(CheckpointOptions));
        WriteSection(json, "metrics", typeof(MetricsOptions));
        WriteSection(json, "visualize", typeof(VisualizeOptions));
        WriteSection(json, "daemon", typeof(DaemonOptions));
        json.WriteEndObject();
    }

    private static void WriteSection(Utf8JsonWriter json, string name, Type optionsType)
    {
        json.WritePropertyName(name);
        OptionsSchemaWriter.WriteObject(json, OptionsModel.For(optionsType), Activator.CreateInstance(optionsType)!, nullable: true, extra: null);
    }

    private static void WritePluginBranch(Utf8JsonWriter json, PluginDescriptor plugin)
    {
        json.WriteStartObject();
        json.WriteStartObject("if");
        json.WriteStartObject("properties");
        json.WriteStartObject("plugin");
        json.WriteString("const", plugin.Info.Name);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("required");
        json.WriteStringValue("plugin");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("then");
        json.WriteStartObject("properties");
        json.WritePropertyName("model");
        WriteComponents(json, plugin.Models, plugin.DefaultModel, "type");
        json.WritePropertyName("trainer");
        WriteComponents(json, plugin.Trainers, plugin.DefaultTrainer, "type");
        WriteStrategies(json, plugin);
        WriteVisualizers(json, plugin);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteComponents(Utf8JsonWriter json, IReadOnlyDictionary<string, ComponentDescriptor> components, string? defaultName, string nameKey)
    {
        json.WriteStartObject();
        json.WriteStartArray("oneOf");
        json.WriteStartObject();
        json.WriteString("type", "null");
        json.WriteEndObject();
        WriteComponentBranches(json, components, defaultName, nameKey);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One object branch per component: its name key (required unless it is the default) and its options.</summary>
    private static void WriteComponentBranches(Utf8JsonWriter json, IReadOnlyDictionary<string, ComponentDescriptor> components, string? defaultName, string nameKey)
    {
        foreach (var component in components.Values)
        {
            var isDefault = component.Name == defaultName;
            OptionsSchemaWriter.WriteObject(json, OptionsModel.For(component.OptionsType), component.CreateDefaultOptions(), nullable: false,
                extra: (w, required) =>
                {
                    w.WriteStartObject(nameKey);
                    w.WriteString("const", component.Name);
                    w.WriteString("description", component.Description + (isDefault ? " (default)" : ""));
                    w.WriteEndObject();
                    if (!isDefault) required.Add(nameKey);
                },
                description: component.Description);
        }
    }

    private static void WriteStrategies(Utf8JsonWriter json, PluginDescriptor plugin)
    {
        json.WriteStartObject("strategies");
        WriteTypes(json, "object", nullable: true);
        json.WriteBoolean("additionalProperties", false);
        json.WriteStartObject("properties");
        foreach (var slot in plugin.Slots.Values)
        {
            json.WritePropertyName(slot.Slot);
            json.WriteStartObject();
            json.WriteString("description", $"{slot.Description} Default strategy: {slot.DefaultStrategy}.");
            json.WriteStartArray("oneOf");
            json.WriteStartObject();
            json.WriteString("type", "null");
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("type", "string");
            json.WriteStartArray("enum");
            foreach (var name in slot.Strategies.Keys) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteEndObject();
            WriteComponentBranches(json, slot.Strategies, slot.DefaultStrategy, "name");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteVisualizers(Utf8JsonWriter json, PluginDescriptor plugin)
    {
        var schedule = OptionsModel.For(typeof(VisualizerScheduleOptions));
        json.WriteStartObject("visualizers");
        WriteTypes(json, "object", nullable: true);
        json.WriteBoolean("additionalProperties", false);
        json.WriteStartObject("properties");
        foreach (var visualizer in plugin.Visualizers.Values)
        {
            json.WritePropertyName(visualizer.Name);
            OptionsSchemaWriter.WriteObject(json, OptionsModel.For(visualizer.OptionsType), visualizer.CreateDefaultOptions(), nullable: true,
                extra: (w, _) => OptionsSchemaWriter.WriteProperties(w, schedule, new VisualizerScheduleOptions()),
                description: visualizer.Description);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes <c>"type": T</c> or <c>"type": [T, "null"]</c>.</summary>
    internal static void WriteTypes(Utf8JsonWriter json, string type, bool nullable)
    {
        if (!nullable)
        {
            json.WriteString("type", type);
            return;
        }
        json.WriteStartArray("type");
        json.WriteStringValue(type);
        json.WriteStringValue("null");
        json.WriteEndArray();
    }
}
