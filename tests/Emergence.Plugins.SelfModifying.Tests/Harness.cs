using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;

namespace Emergence.Plugins.SelfModifying.Tests;

/// <summary>A network and trainer built the way the host builds them (streams by purpose, swappable strategy handles), without the host.</summary>
internal sealed class Harness
{
    private readonly RunStreams _streams;
    private readonly FakeSlots _slots = new();

    public Harness(ulong seed, ModelOptions? model = null, TrainerOptions? trainer = null, Action<Harness>? strategies = null)
    {
        _streams = new RunStreams(seed);
        ModelOptions = model ?? new ModelOptions();
        TrainerOptions = trainer ?? new TrainerOptions();
        Net = new Network(ModelOptions, Rng("model"));
        Set<ISelector>("selector", new MetaSelector());
        Set<IRewardRule>("reward", new TernaryReward(new TernaryOptions()));
        Set<ISuccessRule>("success", new CodeSuccess(new CodeSuccessOptions()));
        Set<IRollbackPolicy>("rollback", new NoRollback());
        Set<ITaskMix>("task_mix", new MixedTasks(new MixedOptions()));
        strategies?.Invoke(this);
        Trainer = new Trainer(Net, TrainerOptions, new TrainerContext(Net, Rng, _slots, NullRunLog.Instance));
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

    public RngStream Rng(string purpose) => _streams.Rng(purpose);

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
        _streams.Save(w);
    }

    public void Load(IStateReader r)
    {
        Net.Load(r.Section("model"));
        Trainer.Load(r.Section("trainer"));
        _step = r.ReadInt64("step");
        _streams.Load(r);
    }
}
