using Emergence.Contracts.Components;
using Emergence.Contracts.Plugins;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Training;

namespace Emergence.Plugins.SparkNet.Standalone;

/// <summary>
/// A SparkNet run without the engine host, for the plugin's tests and the benchmark: builds the model,
/// trainer and strategies through the plugin's own registration (same factories the host calls),
/// derives RNG streams by purpose like the host, and saves/restores them like the host does.
/// </summary>
internal sealed class SparkNetSession
{
    private readonly ulong _seed;
    private readonly Dictionary<string, RngStream> _streams = new(StringComparer.Ordinal);
    private readonly Catalog _catalog = new();
    private readonly Handles _handles = new();

    /// <summary>Creates a run; <paramref name="strategies"/> maps slot → (name, options or null for defaults).</summary>
    public SparkNetSession(ulong seed, SparkNetModelOptions? model = null, SparkNetTrainerOptions? trainer = null,
        IReadOnlyDictionary<string, (string Name, object? Options)>? strategies = null)
    {
        _seed = seed;
        new SparkNetPlugin().Register(_catalog);
        ModelOptions = model ?? new SparkNetModelOptions();
        TrainerOptions = trainer ?? new SparkNetTrainerOptions();
        Model = (SparkNetModel)_catalog.Model(ModelOptions, new ModelContext(Rng, NullLog.Instance));
        foreach (var (slot, (_, defaultName)) in _catalog.Slots)
        {
            var (name, options) = strategies is not null && strategies.TryGetValue(slot, out var chosen) ? chosen : (defaultName, null);
            _handles.Set(slot, _catalog.Slots[slot].Type, name, CreateStrategy(slot, name, options));
        }
        Trainer = (SparkNetTrainer)_catalog.Trainer(TrainerOptions, new TrainerContext(Model, Rng, _handles, NullLog.Instance));
    }

    public SparkNetModelOptions ModelOptions { get; }
    public SparkNetTrainerOptions TrainerOptions { get; }
    public SparkNetModel Model { get; }
    public SparkNetTrainer Trainer { get; }

    /// <summary>Registered strategy names per slot.</summary>
    public IReadOnlyDictionary<string, List<string>> StrategyNames => _catalog.StrategyNames;

    /// <summary>The stream of a purpose (created on first use from the seed).</summary>
    public RngStream Rng(string purpose)
    {
        if (!_streams.TryGetValue(purpose, out var rng)) _streams[purpose] = rng = RngStream.Derive(_seed, purpose);
        return rng;
    }

    /// <summary>The active strategy of a slot.</summary>
    public object Strategy(string slot) => _handles.Current(slot);

    /// <summary>Swaps a slot's strategy between steps, as the host does.</summary>
    public void Swap(string slot, string name, object? options = null) =>
        _handles.Set(slot, _catalog.Slots[slot].Type, name, CreateStrategy(slot, name, options));

    /// <summary>Runs a plugin command between steps, as the host does (e.g. <c>reset</c>).</summary>
    public void Command(string name, object? options = null, IEventSink? events = null)
    {
        var (optionsType, handler) = _catalog.Commands[name];
        handler(options ?? Activator.CreateInstance(optionsType)!, new CommandContext(Model, Trainer, Model.T, Rng, events ?? NullSink.Instance, NullLog.Instance));
    }

    /// <summary>Runs <paramref name="steps"/> steps; metrics every <paramref name="metricsEvery"/> steps (0 = never).</summary>
    public void Run(long steps, int metricsEvery = 0, IMetricSink? metrics = null, IEventSink? events = null)
    {
        metrics ??= NullSink.Instance;
        events ??= NullSink.Instance;
        for (long i = 0; i < steps; i++)
        {
            long t = Model.T + 1;
            Trainer.Step(new StepContext(t, metricsEvery > 0 && t % metricsEvery == 0, metrics, events));
        }
    }

    /// <summary>Writes model, trainer, stateful strategies and every RNG stream.</summary>
    public void Save(IStateWriter writer)
    {
        Model.Save(writer.Section("model"));
        Trainer.Save(writer.Section("trainer"));
        var strategies = writer.Section("strategies");
        foreach (var slot in _catalog.Slots.Keys)
            if (_handles.Current(slot) is IStateful stateful) stateful.Save(strategies.Section(slot));
        var rng = writer.Section("rng");
        foreach (var (purpose, stream) in _streams) rng.WriteRng(purpose, stream);
    }

    /// <summary>Restores what <see cref="Save"/> wrote into this (fresh) session.</summary>
    public void Load(IStateReader reader)
    {
        var rng = reader.Section("rng");
        foreach (var purpose in rng.Keys) rng.ReadRng(purpose, Rng(purpose));
        Model.Load(reader.Section("model"));
        Trainer.Load(reader.Section("trainer"));
        var strategies = reader.Section("strategies");
        foreach (var slot in _catalog.Slots.Keys)
            if (_handles.Current(slot) is IStateful stateful) stateful.Load(strategies.Section(slot));
    }

    private object CreateStrategy(string slot, string name, object? options)
    {
        var (optionsType, factory) = _catalog.Strategies[(slot, name)];
        return factory(options ?? Activator.CreateInstance(optionsType)!, new StrategyContext(Model, Rng("strategy." + slot), NullLog.Instance));
    }

    /// <summary>Records what the plugin registers.</summary>
    private sealed class Catalog : IPluginRegistry
    {
        public Func<object, ModelContext, IModel> Model { get; private set; } = (_, _) => throw new InvalidOperationException("no model");
        public Func<object, TrainerContext, ITrainer> Trainer { get; private set; } = (_, _) => throw new InvalidOperationException("no trainer");
        public Dictionary<string, (Type Type, string Default)> Slots { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string, string), (Type Options, Func<object, StrategyContext, object> Factory)> Strategies { get; } = [];
        public Dictionary<string, List<string>> StrategyNames { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Type> Visualizers { get; } = new(StringComparer.Ordinal);
        public List<Action<ManifestCheck>> Checks { get; } = [];

        public void AddModel<TOptions>(string name, string description, Func<TOptions, ModelContext, IModel> factory) where TOptions : class, new()
            => Model = (o, c) => factory((TOptions)o, c);

        public void AddTrainer<TOptions>(string name, string description, Func<TOptions, TrainerContext, ITrainer> factory) where TOptions : class, new()
            => Trainer = (o, c) => factory((TOptions)o, c);

        public void AddVisualizer<TOptions>(string name, string description, Func<TOptions, VisualizerContext, IVisualizer> factory) where TOptions : class, new()
            => Visualizers[name] = typeof(TOptions);

        public void AddSlot<TStrategy>(string slot, string defaultStrategy, string description) where TStrategy : class
        {
            Slots[slot] = (typeof(TStrategy), defaultStrategy);
            StrategyNames[slot] = [];
        }

        public void AddStrategy<TStrategy, TOptions>(string slot, string name, string description, Func<TOptions, StrategyContext, TStrategy> factory)
            where TStrategy : class where TOptions : class, new()
        {
            Strategies[(slot, name)] = (typeof(TOptions), (o, c) => factory((TOptions)o, c));
            StrategyNames[slot].Add(name);
        }

        public void AddManifestCheck(Action<ManifestCheck> check) => Checks.Add(check);

        public Dictionary<string, (Type Options, Action<object, CommandContext> Handler)> Commands { get; } = new(StringComparer.Ordinal);

        public void AddCommand<TOptions>(string name, string description, Action<TOptions, CommandContext> handler) where TOptions : class, new()
            => Commands[name] = (typeof(TOptions), (o, c) => handler((TOptions)o, c));
    }

    /// <summary>Mutable slot handles (the host's equivalent swaps between steps).</summary>
    private sealed class Handles : IStrategySlots
    {
        private readonly Dictionary<string, object> _handles = new(StringComparer.Ordinal);

        public object Current(string slot) => ((IHandleSetter)_handles[slot]).CurrentObject;

        public void Set(string slot, Type strategyType, string name, object strategy)
        {
            if (!_handles.TryGetValue(slot, out var handle))
            {
                var type = typeof(Handle<>).MakeGenericType(strategyType);
                _handles[slot] = handle = Activator.CreateInstance(type)!;
            }
            ((IHandleSetter)handle).Set(name, strategy);
        }

        public IStrategyHandle<TStrategy> Get<TStrategy>(string slot) where TStrategy : class => (IStrategyHandle<TStrategy>)_handles[slot];
    }

    private interface IHandleSetter
    {
        object CurrentObject { get; }
        void Set(string name, object strategy);
    }

    private sealed class Handle<T> : IStrategyHandle<T>, IHandleSetter where T : class
    {
        public T Current { get; private set; } = null!;
        public string Name { get; private set; } = "";
        public object CurrentObject => Current;

        public void Set(string name, object strategy) { Current = (T)strategy; Name = name; }
    }

    private sealed class NullLog : IRunLog
    {
        public static readonly NullLog Instance = new();
        public void Info(string message) { }
        public void Warning(string message) { }
    }

    private sealed class NullSink : IMetricSink, IEventSink
    {
        public static readonly NullSink Instance = new();
        public void Record(string name, double value) { }
        public void Emit(string type, IReadOnlyDictionary<string, object?> fields) { }
    }
}
