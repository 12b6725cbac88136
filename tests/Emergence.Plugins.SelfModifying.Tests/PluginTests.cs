using Emergence.Contracts.Components;
using Emergence.Contracts.Plugins;
using Emergence.Contracts.Random;

namespace Emergence.Plugins.SelfModifying.Tests;

/// <summary>The plugin's registration, its <c>test</c> command and its visualizers.</summary>
public sealed class PluginTests
{
    /// <summary>Captures what a plugin registers (only commands are kept).</summary>
    private sealed class Registry : IPluginRegistry
    {
        public Dictionary<string, (Type Options, Action<object, CommandContext> Handler)> Commands { get; } = [];
        public List<string> Slots { get; } = [];
        public List<string> Visualizers { get; } = [];
        public void AddModel<T>(string name, string description, Func<T, ModelContext, IModel> factory) where T : class, new() { }
        public void AddTrainer<T>(string name, string description, Func<T, TrainerContext, ITrainer> factory) where T : class, new() { }
        public void AddVisualizer<T>(string name, string description, Func<T, VisualizerContext, IVisualizer> factory) where T : class, new() => Visualizers.Add(name);
        public void AddSlot<TS>(string slot, string defaultStrategy, string description) where TS : class => Slots.Add(slot);
        public void AddStrategy<TS, T>(string slot, string name, string description, Func<T, StrategyContext, TS> factory) where TS : class where T : class, new() { }
        public void AddManifestCheck(Action<ManifestCheck> check) { }
        public void AddCommand<T>(string name, string description, Action<T, CommandContext> handler) where T : class, new() =>
            Commands[name] = (typeof(T), (o, c) => handler((T)o, c));
    }

    [Fact]
    public void The_plugin_registers_the_live_slots_visualizers_and_the_test_command()
    {
        var registry = new Registry();
        new SelfModifyingPlugin().Register(registry);
        registry.Slots.Should().Equal("selector", "reward", "success", "rollback", "task_mix");
        registry.Visualizers.Should().Equal("structure", "graph", "outcomes");
        registry.Commands.Keys.Should().Equal("test");
    }

    [Fact]
    public void The_test_command_reports_the_accuracy_of_a_trained_network_without_changing_it()
    {
        var registry = new Registry();
        new SelfModifyingPlugin().Register(registry);
        Harness Make() => new(12, trainer: new TrainerOptions { MaxDigit = 3, CheckEvery = 100_000, TestProblems = 0 });
        var (h, untouched) = (Make(), Make());
        h.Run(600);
        untouched.Run(600);
        var (type, handler) = registry.Commands["test"];
        var options = (SelfModifyingPlugin.TestOptions)Activator.CreateInstance(type)!;
        options.Problems = 200;
        handler(options, new CommandContext(h.Net, h.Trainer, 600, h.Rng, h.Events, NullRunLog.Instance));
        var ev = h.Events.Events.Single(e => e.Type == "test");
        ((double)ev.Fields["accuracy"]!).Should().BeGreaterThan(0.5, "digits 0-3 are learned");
        h.Run(50);
        untouched.Run(50);
        var (a, b) = (new MemoryState(), new MemoryState());
        h.Net.Save(a);
        untouched.Net.Save(b);
        a.Dump().Should().Be(b.Dump(), "evaluation uses pure forward passes: training continues exactly as without it");
    }

    [Fact]
    public void Visualizers_write_the_structure_timeline_graph_outcomes_and_calibration()
    {
        var h = new Harness(13, trainer: new TrainerOptions { MaxDigit = 3, CheckEvery = 1000, TestProblems = 0 });
        h.Run(200);
        var artifacts = new ArtifactRecorder();
        var context = new RenderContext(200, true, artifacts);
        new StructureTimeline(h.Net).Render(context);
        new NetworkGraph(h.Net).Render(context);
        new Outcomes(h.Net).Render(context);
        artifacts.Texts.Keys.Should().BeEquivalentTo(["structure.csv", "structure.svg", "graph.svg", "graph.html", "outcomes.csv", "outcomes.svg", "calibration.svg"]);
        var timeline = artifacts.Texts["structure.csv"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        timeline.Take(3).Should().Equal("sample,layer,neurons", "0,0,8", "0,1,8");
        timeline.Length.Should().BeGreaterThan(10, "a structural change every 1,000 samples");
        artifacts.Texts["graph.html"].Should().Contain("<svg").And.Contain(h.Net.Shape);
        artifacts.Texts["outcomes.csv"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCountGreaterThan(5);
    }
}
