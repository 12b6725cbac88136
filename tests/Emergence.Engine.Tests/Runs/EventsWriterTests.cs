using System.Text.Json;
using Emergence.Engine.Runs;
using Emergence.Engine.Tests.Plugins;

namespace Emergence.Engine.Tests.Runs;

public class EventsWriterTests
{
    [Fact]
    public void Emit_Fields_WritesOneJsonObjectPerLine()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "events.jsonl");
        using (var events = new EventsWriter(path))
        {
            events.BeginStep(5);
            events.Emit("modification", new Dictionary<string, object?>
            {
                ["layer"] = 1, ["kept"] = true, ["score"] = 0.25, ["sizes"] = new[] { 8, 9 }, ["note"] = null, ["bad"] = double.NaN,
            });
            events.Host("run_ended", new Dictionary<string, object?> { ["reason"] = "done" });
            events.Count.Should().Be(2);
        }
        var lines = File.ReadAllLines(path);
        lines.Should().HaveCount(2);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        root.GetProperty("step").GetInt64().Should().Be(5);
        root.GetProperty("type").GetString().Should().Be("modification");
        root.GetProperty("source").GetString().Should().Be("plugin");
        root.GetProperty("layer").GetInt32().Should().Be(1);
        root.GetProperty("kept").GetBoolean().Should().BeTrue();
        root.GetProperty("score").GetDouble().Should().Be(0.25);
        root.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(8, 9);
        root.GetProperty("note").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("bad").GetString().Should().Be("NaN");
        JsonDocument.Parse(lines[1]).RootElement.GetProperty("source").GetString().Should().Be("host");
    }

    [Fact]
    public void Constructor_WithLength_DropsEventsAfterTheCheckpoint()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "events.jsonl");
        long length;
        using (var events = new EventsWriter(path))
        {
            events.Emit("a", new Dictionary<string, object?>());
            length = events.Flush();
            events.Emit("b", new Dictionary<string, object?>());
        }
        using (new EventsWriter(path, length)) { }
        File.ReadAllLines(path).Should().ContainSingle().Which.Should().Contain("\"a\"");
    }
}
