using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;

namespace Emergence.Plugins.SelfModifying.Tests;

/// <summary>A network and trainer built the way the host builds them (streams by purpose, swappable strategy handles), without the host.</summary>
internal sealed class Harness
{
    private readonly Dictionary<string, RngStream> _streams = new(StringComparer.Ordinal);
    private readonly Slots _slots = new();
    private readonly ulong _seed;

    public Harness(ulong seed, ModelOptions? model = null, TrainerOptions? trainer = null, Action<Harness>? strategies = null)
    {
        _seed = seed;
        ModelOptions = model ?? new ModelOptions();
        TrainerOptions = trainer ?? new TrainerOptions();
        Net = new Network(ModelOptions, Rng("model"));
        Set<ISelector>("selector", new MetaSelector());
        Set<IRewardRule>("reward", new TernaryReward(new TernaryOptions()));
        Set<ISuccessRule>("success", new CodeSuccess(new CodeSuccessOptions()));
        Set<IRollbackPolicy>("rollback", new NoRollback());
        Set<ITaskMix>("task_mix", new MixedTasks(new MixedOptions()));
        strategies?.Invoke(this);
        Trainer = new Trainer(Net, TrainerOptions, new TrainerContext(Net, Rng, _slots, NullLog.Instance));
    }

    public ModelOptions ModelOptions { get; }
    public TrainerOptions TrainerOptions { get; }
    public Network Net { get; }
    public Trainer Trainer { get; }
    public EventRecorder Events { get; } = new();
    public MetricRecorder Metrics { get; } = new();
    private long _step;

    /// <summary>One prediction of a fixed input (not training).</summary>
    public double Forward() => Net.Forward(new double[] { 1, 2, 0, 0 }, Rng("forward"), 100, count: false);

    public RngStream Rng(string purpose)
    {
        if (!_streams.TryGetValue(purpose, out var stream)) _streams[purpose] = stream = RngStream.Derive(_seed, purpose);
        return stream;
    }

    public void Set<T>(string slot, T strategy) where T : class => _slots.Set(slot, strategy);

    /// <summary>Runs engine steps (each <c>samples_per_step</c> samples), metrics every step.</summary>
    public void Run(long steps, bool metrics = false)
    {
        for (long i = 0; i < steps; i++) Trainer.Step(new StepContext(++_step, metrics, Metrics, Events));
    }

    /// <summary>Model, trainer, stateful strategies and every stream.</summary>
    public void Save(IStateWriter w)
    {
        Net.Save(w.Section("model"));
        Trainer.Save(w.Section("trainer"));
        w.WriteInt64("step", _step);
        foreach (var (purpose, rng) in _streams) w.WriteRng("rng." + purpose, rng);
    }

    public void Load(IStateReader r)
    {
        Net.Load(r.Section("model"));
        Trainer.Load(r.Section("trainer"));
        _step = r.ReadInt64("step");
        foreach (var (purpose, rng) in _streams) r.ReadRng("rng." + purpose, rng);
    }

    private sealed class Slots : IStrategySlots
    {
        private readonly Dictionary<string, object> _handles = new(StringComparer.Ordinal);

        public void Set<T>(string slot, T strategy) where T : class
        {
            if (_handles.TryGetValue(slot, out var h)) ((Handle<T>)h).Current = strategy;
            else _handles[slot] = new Handle<T>(strategy, slot);
        }

        public IStrategyHandle<T> Get<T>(string slot) where T : class => (IStrategyHandle<T>)_handles[slot];
    }

    private sealed class Handle<T>(T current, string name) : IStrategyHandle<T> where T : class
    {
        public T Current { get; set; } = current;
        public string Name { get; } = name;
    }

    private sealed class NullLog : IRunLog
    {
        public static readonly NullLog Instance = new();
        public void Info(string message) { }
        public void Warning(string message) { }
    }
}
