using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence events RUN_DIR [--type T]… [--since STEP] [--csv]</c>: query a run's events.jsonl.</summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "The run folder." };
        var type = new Option<string[]>("--type", "-t") { Description = "Only events of this type (repeatable), e.g. modification, swap, plugin_reloaded.", Arity = ArgumentArity.ZeroOrMore };
        var since = new Option<long?>("--since") { Description = "Only events at or after this step." };
        var csv = new Option<bool>("--csv") { Description = "CSV (columns: the union of the selected events' fields) instead of a table." };
        var command = new Command("events", "List a run's events (swaps, structural changes, reloads, restarts), filtered by type and step; as a table or CSV.")
        {
            run, type, since, csv,
        };
        command.SetAction(parse =>
        {
            if (CommonOptions.OpenRunFolder(parse.GetValue(run)!) is not { } folder) return ExitCodes.InvalidInput;
            var types = (parse.GetValue(type) ?? []).ToHashSet(StringComparer.Ordinal);
            var events = Read(folder.EventsPath)
                .Where(e => types.Count == 0 || types.Contains((string?)e["type"] ?? ""))
                .Where(e => parse.GetValue(since) is not { } s || (e["step"]?.GetValue<long>() ?? 0) >= s)
                .ToList();
            var columns = new List<string>();
            foreach (var e in events)
                foreach (var (key, _) in e)
                    if (!columns.Contains(key)) columns.Add(key);
            if (parse.GetValue(csv)) WriteCsv(events, columns);
            else WriteTable(events, columns);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IEnumerable<JsonObject> Read(string path)
    {
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            JsonObject? e = null;
            try
            {
                e = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                // a line being written right now
            }
            if (e is not null) yield return e;
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    private static void WriteCsv(List<JsonObject> events, List<string> columns)
    {
        static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var text = new StringBuilder(string.Join(",", columns)).Append('\n');
        foreach (var e in events) text.Append(string.Join(",", columns.Select(c => Quote(Text(e[c]))))).Append('\n');
        Console.Out.Write(text.ToString());
    }

    private static void WriteTable(List<JsonObject> events, List<string> columns)
    {
        var others = columns.Where(c => c is not ("step" or "type" or "source")).ToList();
        Console.WriteLine($"{"STEP",10}  {"TYPE",-26} FIELDS");
        foreach (var e in events)
        {
            var fields = string.Join("  ", others.Where(c => e[c] is not null).Select(c => $"{c}={Text(e[c])}"));
            Console.WriteLine($"{Text(e["step"]),10}  {Text(e["type"]),-26} {fields}");
        }
        Console.WriteLine($"{events.Count} event(s)");
    }
}
