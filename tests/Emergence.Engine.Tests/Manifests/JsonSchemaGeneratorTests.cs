using System.Diagnostics;
using System.Text.Json;
using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class JsonSchemaGeneratorTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(JsonSchemaGenerator.Generate([Manifest.Plugin])).RootElement;

    private static JsonElement Then => Schema.GetProperty("allOf")[0].GetProperty("then").GetProperty("properties");

    [Fact]
    public void Generate_TestPlugin_DeclaresDraft202012AndTopLevelKeys()
    {
        Schema.GetProperty("$schema").GetString().Should().Be("https://json-schema.org/draft/2020-12/schema");
        Schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("experiment", "plugin");
        Schema.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().Equal(ManifestBinder.TopLevelKeys);
        Schema.GetProperty("properties").GetProperty("plugin").GetProperty("enum")[0].GetString().Should().Be("testnet");
        Schema.GetProperty("allOf")[0].GetProperty("if").GetProperty("properties").GetProperty("plugin").GetProperty("const").GetString()
            .Should().Be("testnet");
    }

    [Fact]
    public void Generate_ModelOptions_CarryTypeRangeDefaultAndDescription()
    {
        var net = Then.GetProperty("model").GetProperty("oneOf")[1];
        var neurons = net.GetProperty("properties").GetProperty("n_neurons");

        net.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        net.TryGetProperty("required", out _).Should().BeFalse("the default model needs no 'type'");
        neurons.GetProperty("type").GetString().Should().Be("integer");
        neurons.GetProperty("minimum").GetInt32().Should().Be(1);
        neurons.GetProperty("maximum").GetInt32().Should().Be(500);
        neurons.GetProperty("default").GetInt32().Should().Be(100);
        neurons.GetProperty("description").GetString().Should().Be("Number of neurons. Default 100. Range [1, 500].");
        net.GetProperty("properties").GetProperty("view").GetProperty("enum").EnumerateArray().Select(e => e.GetString())
            .Should().Equal("row", "column", "both_ways");
        net.GetProperty("properties").GetProperty("temperature").GetProperty("x-live-editable").GetBoolean().Should().BeTrue();
        net.GetProperty("properties").GetProperty("inner").GetProperty("properties").GetProperty("depth").GetProperty("maximum").GetInt32().Should().Be(10);
        Then.GetProperty("model").GetProperty("oneOf")[2].GetProperty("required")[0].GetString().Should().Be("type");
    }

    [Fact]
    public void Generate_StrategiesAndVisualizers_ListSlotsNamesAndEngineKeys()
    {
        var movement = Then.GetProperty("strategies").GetProperty("properties").GetProperty("movement").GetProperty("oneOf");
        movement[1].GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Should().Equal("softmax", "greedy");
        movement[2].GetProperty("properties").GetProperty("weight_view").GetProperty("default").GetString().Should().Be("row");
        var layout = Then.GetProperty("visualizers").GetProperty("properties").GetProperty("layout").GetProperty("properties");
        layout.EnumerateObject().Select(p => p.Name).Should().Equal("every", "enabled", "max_edges");
    }

    [Fact]
    public void Generate_EngineSections_HaveExclusiveMinimumForEveryMinutes()
    {
        var checkpoint = Schema.GetProperty("properties").GetProperty("checkpoint").GetProperty("properties");

        checkpoint.GetProperty("every_minutes").GetProperty("exclusiveMinimum").GetInt32().Should().Be(0);
        checkpoint.GetProperty("keep_last").GetProperty("default").GetInt32().Should().Be(3);
    }

    [Fact]
    public void Generate_SampleManifests_ValidateWithPythonJsonschemaLikeTheLoader()
    {
        var valid = new Dictionary<string, string>
        {
            ["minimal"] = Manifest.Minimal,
            ["resolved"] = Manifest.Load(Manifest.Minimal + "visualizers: {layout: {every: 5}}\n").ResolvedYaml,
            ["full"] = "experiment: x\nplugin: testnet\nmodel: {type: dense, width: 8}\nstrategies: {movement: greedy, edge_learning: {name: ema, decay: 0.5}}\nstop: {wall_time: 2h}\n",
        };
        var invalid = new Dictionary<string, string>
        {
            ["out_of_range"] = Manifest.Minimal + "model: {n_neurons: 600}\n",
            ["unknown_key"] = Manifest.Minimal + "model: {n_neuron: 6}\n",
            ["bad_enum"] = Manifest.Minimal + "model: {view: diagonal}\n",
            ["bad_strategy"] = Manifest.Minimal + "strategies: {movement: sofmax}\n",
            ["no_type_for_dense_options"] = Manifest.Minimal + "model: {width: 8}\n",
        };
        foreach (var yaml in valid.Values) Manifest.Load(yaml);
        foreach (var yaml in invalid.Values) Manifest.Errors(yaml).Should().NotBeEmpty();

        var results = ValidateWithPython(valid.Concat(invalid).ToDictionary());

        foreach (var name in valid.Keys) results[name].Should().Be("OK", $"sample '{name}' is valid");
        foreach (var name in invalid.Keys) results[name].Should().StartWith("FAIL", $"sample '{name}' is invalid");
    }

    private static Dictionary<string, string> ValidateWithPython(Dictionary<string, string> samples)
    {
        var dir = Directory.CreateTempSubdirectory("manifest-schema-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "schema.json"), JsonSchemaGenerator.Generate([Manifest.Plugin]));
            foreach (var (name, yaml) in samples) File.WriteAllText(Path.Combine(dir.FullName, name + ".yaml"), yaml);
            File.WriteAllText(Path.Combine(dir.FullName, "check.py"), """
                import json, sys, pathlib
                try:
                    import yaml, jsonschema
                except ImportError as e:
                    print("MISSING", e); sys.exit(3)
                root = pathlib.Path(sys.argv[1])
                schema = json.loads((root / "schema.json").read_text())
                jsonschema.Draft202012Validator.check_schema(schema)
                validator = jsonschema.Draft202012Validator(schema)
                for path in sorted(root.glob("*.yaml")):
                    errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
                    print(path.stem, "OK" if not errors else "FAIL " + errors[0].message.replace("\n", " "))
                """);
            var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(dir.FullName, "check.py"));
            info.ArgumentList.Add(dir.FullName);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().NotBe(3,
                $"the schema test needs PyYAML and jsonschema for /usr/bin/python3: apt-get install python3-yaml python3-jsonschema ({output.Trim()})");
            process.ExitCode.Should().Be(0, error);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
