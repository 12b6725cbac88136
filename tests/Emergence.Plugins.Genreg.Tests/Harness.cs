using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;

namespace Emergence.Plugins.Genreg.Tests;

/// <summary>A Genreg model and trainer built the way the host builds them (streams by purpose, swappable strategies), without the host.</summary>
internal sealed class Harness
{
    private readonly RunStreams _streams;
    private long _step;

    public Harness(ulong seed, ModelOptions? model = null, Func<Harness, TrainerContext, ITrainer>? trainer = null, Action<Harness>? strategies = null)
    {
        _streams = new RunStreams(seed);
        Options = model ?? new ModelOptions();
        Model = new GenregModel(Options);
        Slots.Set<IFeatureExpansion>("features", new LegacyFeatures(Rng("strategy.features")), "legacy");
        Slots.Set<IFitness>("fitness", new LegacyTrustFitness(new TrustFitnessOptions()), "legacy_trust");
        Slots.Set<IGenerationScheme>("selection", new TieredSelection(new TieredOptions()), "tiered");
        Slots.Set<IMutation>("mutation", new GaussianMutation(new GaussianMutationOptions()), "gaussian");
        Slots.Set<ITemperatureSchedule>("temperature", new ExponentialCooling(), "exponential");
        strategies?.Invoke(this);
        var context = new TrainerContext(Model, Rng, Slots, NullRunLog.Instance);
        Trainer = trainer is null ? new GaTrainer(Model, new GaOptions(), context) : trainer(this, context);
    }

    public ModelOptions Options { get; }
    public GenregModel Model { get; }
    public ITrainer Trainer { get; }
    public FakeSlots Slots { get; } = new();
    public EventRecorder Events { get; } = new();
    public MetricRecorder Metrics { get; } = new();

    public RngStream Rng(string purpose) => _streams.Rng(purpose);

    /// <summary>Runs up to <paramref name="steps"/> engine steps (metrics every step); returns the steps run before the trainer finished.</summary>
    public long Run(long steps)
    {
        for (long i = 0; i < steps; i++)
            if (Trainer.Step(new StepContext(++_step, true, Metrics, Events)) == StepOutcome.Finished) return i + 1;
        return steps;
    }

    /// <summary>Model, trainer, stateful strategies and every stream (what the host's checkpoint holds).</summary>
    public void Save(IStateWriter w)
    {
        Model.Save(w.Section("model"));
        Trainer.Save(w.Section("trainer"));
        if (Slots.Current<IMutation>("mutation") is IStateful m) m.Save(w.Section("mutation"));
        w.WriteInt64("step", _step);
        _streams.Save(w);
    }

    public void Load(IStateReader r)
    {
        Model.Load(r.Section("model"));
        Trainer.Load(r.Section("trainer"));
        if (Slots.Current<IMutation>("mutation") is IStateful m) m.Load(r.Section("mutation"));
        _step = r.ReadInt64("step");
        _streams.Load(r);
    }

    /// <summary>The whole checkpoint as text, for bit-exact comparisons.</summary>
    public string Dump()
    {
        var state = new MemoryState();
        Save(state);
        return state.Dump();
    }

    public static ModelOptions Config(int trueSize, int noise, int hidden, Action<ModelOptions>? more = null)
    {
        var o = new ModelOptions { Hidden = hidden, Threads = 2 };
        o.Features.TrueSize = trueSize;
        o.Features.NoiseSize = noise;
        more?.Invoke(o);
        return o;
    }
}
