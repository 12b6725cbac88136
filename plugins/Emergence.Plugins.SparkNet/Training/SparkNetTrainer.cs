using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Plugins.SparkNet.Metrics;
using Emergence.Plugins.SparkNet.Model;
using Emergence.Plugins.SparkNet.Strategies;

namespace Emergence.Plugins.SparkNet.Training;

/// <summary>
/// One SparkNet step (spec §2), phase by phase, each phase delegated to its strategy slot (read once
/// per step). Faithful strategies draw from the single "simulation" stream in the spec's order; the
/// layout draws from "layout" and never feeds back.
/// </summary>
internal sealed partial class SparkNetTrainer : ITrainer
{
    private readonly SparkNetTrainerOptions _options;
    private readonly SparkNetModel _model;
    private readonly RngStream _simulation, _layoutRng, _orderRng;
    private readonly StrategyHandles _slots;
    private readonly EdgeVisits _visits = new();
    private readonly SparkCounters _counters;
    private readonly List<string> _journal = [];
    private readonly float[] _scratch;
    private SparkNetTrainerOptions _lastOptions;
    private int[] _targets = [];
    private bool[] _explored = [];
    private int[] _order = [];

    public SparkNetTrainer(SparkNetTrainerOptions options, TrainerContext context)
    {
        _options = options;
        _model = (SparkNetModel)context.Model;
        _simulation = context.Rng("simulation");
        _layoutRng = context.Rng("layout");
        _orderRng = context.Rng("spark_order");
        _slots = new StrategyHandles(context.Strategies);
        _counters = new SparkCounters(_model.N);
        _scratch = new float[_model.N * _model.N];
        _lastOptions = options.Clone();
        _model.Layout.Computer = ComputeLayout;
    }

    /// <summary>Edits and structural changes with their step numbers.</summary>
    public IReadOnlyList<string> Journal => _journal;

    /// <summary>The metric accumulators.</summary>
    internal SparkCounters Counters => _counters;

    public StepOutcome Step(in StepContext context)
    {
        long t = _model.T + 1;
        JournalEdits(t, context);
        var step = new SparkStep(_model, _options, _simulation, t, _visits);
        AdjustSparkCount(step, context);
        _visits.Clear();
        var memory = _slots.Memory.Current;
        memory.Decay(step);
        _slots.Activation.Current.Update(step);
        _slots.Presence.Current.Apply(step);
        MoveSparks(step, memory);
        _slots.WeightDecay.Current.Apply(step);
        _model.T = t;
        Layout(t, context.MetricsDue);
        if (context.MetricsDue) RecordMetrics(context);
        return StepOutcome.Continue;
    }

    /// <summary>Phase 4: every spark moves, learns, deposits, ages and maybe respawns, in spark order.</summary>
    private void MoveSparks(in SparkStep step, IMemoryRule memory)
    {
        var movement = _slots.Movement.Current;
        var sparks = _model.Sparks;
        if (_options.SparkOrder == SparkOrder.Synchronous)
        {
            if (_targets.Length != sparks.Count) (_targets, _explored) = (new int[sparks.Count], new bool[sparks.Count]);
            for (int k = 0; k < sparks.Count; k++) _targets[k] = movement.Choose(step, k, sparks.Position[k], out _explored[k]);
            for (int k = 0; k < sparks.Count; k++) Apply(step, memory, k, _targets[k], _explored[k]);
            return;
        }
        foreach (int k in SparkOrderFor(sparks.Count))
        {
            int q = movement.Choose(step, k, sparks.Position[k], out bool explored);
            Apply(step, memory, k, q, explored);
        }
    }

    /// <summary>Phase 4c-f for spark <paramref name="k"/> moving to <paramref name="q"/>.</summary>
    private void Apply(in SparkStep step, IMemoryRule memory, int k, int q, bool explored)
    {
        var sparks = _model.Sparks;
        int p = sparks.Position[k];
        bool returned = q == sparks.Before[k];
        sparks.Before[k] = p;
        sparks.Position[k] = q;
        _slots.EdgeLearning.Current.Learn(step, p, q);
        memory.Deposit(step, q);
        _counters.Moves++;
        _counters.MovesTotal++;
        _counters.Visits[q]++;
        if (explored) _counters.Explored++;
        if (q == p) _counters.SelfMoves++;
        if (returned) _counters.Returns++;
        if (_slots.Lifecycle.Current.Advance(step, k, q))
        {
            sparks.Respawn(k, _slots.Spawn.Current.Spawn(step, k));
            _counters.Respawns++;
            _counters.RespawnsTotal++;
        }
    }

    private ReadOnlySpan<int> SparkOrderFor(int count)
    {
        if (_order.Length != count) _order = new int[count];
        for (int k = 0; k < count; k++) _order[k] = k;
        if (_options.SparkOrder == SparkOrder.Shuffled) _orderRng.Shuffle(_order.AsSpan());
        return _order;
    }

    /// <summary>Phase 6: begin a layout call every graph_update_freq steps; compute it when eager, stateful or needed now.</summary>
    private void Layout(long t, bool metricsDue)
    {
        if (t % _options.GraphUpdateFreq != 0) return;
        var layout = _model.Layout;
        var rule = _slots.Layout.Current;
        layout.PendingCall++;
        layout.PendingStep = t;
        rule.Begin(layout, _layoutRng);
        if (_options.LayoutSchedule == LayoutSchedule.Eager || rule.CarriesState || metricsDue) ComputeLayout();
    }

    private void ComputeLayout()
    {
        if (_model.Layout.IsStale) _slots.Layout.Current.Compute(_model.Layout, _model, _layoutRng);
    }

    /// <summary>Live num_sparks: extra sparks come from the spawn rule, lowering drops the highest indices.</summary>
    private void AdjustSparkCount(in SparkStep step, in StepContext context)
    {
        var sparks = _model.Sparks;
        int target = Math.Clamp(_model.Options.NumSparks, 0, _model.N), old = sparks.Count;
        if (target == old) return;
        sparks.Resize(target);
        var spawn = _slots.Spawn.Current;
        for (int k = old; k < target; k++) sparks.Respawn(k, spawn.Spawn(step, k));
        _journal.Add($"step {step.T}: num_sparks {old} -> {target}");
        context.Events.Emit("sparks_changed", new Dictionary<string, object?> { ["from"] = old, ["to"] = target });
    }

    private void JournalEdits(long t, in StepContext context)
    {
        if (_options.SameAs(_lastOptions)) return;
        var changes = _options.Diff(_lastOptions);
        _lastOptions = _options.Clone();
        foreach (var change in changes) _journal.Add($"step {t}: {change}");
        context.Events.Emit("options_edited", new Dictionary<string, object?> { ["changes"] = changes.ToArray() });
    }

    private void RecordMetrics(in StepContext context)
    {
        var sink = context.Metrics;
        void Record(string name, double value) => sink.Record(name, value);
        WeightMetrics.Record(_model.W, _model.N, Record, _scratch);
        FieldMetrics.Record(_model.M, _model.S, Record);
        RecordSparkMetrics(Record);
        RecordLayoutMetrics(Record);
        _counters.ResetWindow();
    }

    private void RecordSparkMetrics(Action<string, double> record)
    {
        var c = _counters;
        double moves = Math.Max(c.Moves, 1);
        record("sparks.count", _model.Sparks.Count);
        record("sparks.explore_rate", c.Explored / moves);
        record("sparks.self_move_rate", c.SelfMoves / moves);
        record("sparks.return_rate", c.Returns / moves);
        record("sparks.respawns", c.Respawns);
        record("sparks.respawns_total", c.RespawnsTotal);
        record("sparks.moves_total", c.MovesTotal);
        int visited = 0;
        foreach (long v in c.Visits) if (v > 0) visited++;
        record("sparks.visited_count", visited);
        record("sparks.visited_entropy", FieldMetrics.NormalisedEntropy(c.Visits));
    }

    private void RecordLayoutMetrics(Action<string, double> record)
    {
        var layout = _model.Layout;
        if (layout.ComputedCall == 0) return;
        if (layout.ComputedStep == _model.T && !double.IsNaN(layout.LastMotion)) record("layout.motion", layout.LastMotion);
        record("layout.rms_radius", LayoutMetrics.RmsRadius(layout.X, layout.Y));
        record("layout.clark_evans", LayoutMetrics.ClarkEvans(layout.X, layout.Y));
        record("layout.spearman_top1000", LayoutMetrics.WeightDistanceSpearman(_model.W, _model.N, layout.X, layout.Y, 1000, _scratch));
    }

    public void Save(IStateWriter writer)
    {
        _counters.Save(writer.Section("counters"));
        writer.WriteString("journal", string.Join('\n', _journal));
        writer.WriteInt64("journal_count", _journal.Count);
    }

    public void Load(IStateReader reader)
    {
        _counters.Load(reader.Section("counters"));
        _journal.Clear();
        if (reader.ReadInt64("journal_count") > 0) _journal.AddRange(reader.ReadString("journal").Split('\n'));
        _lastOptions = _options.Clone();
    }

    /// <summary>The nine slot handles.</summary>
    private sealed class StrategyHandles(IStrategySlots slots)
    {
        public IStrategyHandle<IActivationRule> Activation { get; } = slots.Get<IActivationRule>(Slots.Activation);
        public IStrategyHandle<IPresenceRule> Presence { get; } = slots.Get<IPresenceRule>(Slots.Presence);
        public IStrategyHandle<IMovementRule> Movement { get; } = slots.Get<IMovementRule>(Slots.Movement);
        public IStrategyHandle<IEdgeLearningRule> EdgeLearning { get; } = slots.Get<IEdgeLearningRule>(Slots.EdgeLearning);
        public IStrategyHandle<IMemoryRule> Memory { get; } = slots.Get<IMemoryRule>(Slots.Memory);
        public IStrategyHandle<ILifecycleRule> Lifecycle { get; } = slots.Get<ILifecycleRule>(Slots.Lifecycle);
        public IStrategyHandle<ISpawnRule> Spawn { get; } = slots.Get<ISpawnRule>(Slots.Spawn);
        public IStrategyHandle<IWeightDecayRule> WeightDecay { get; } = slots.Get<IWeightDecayRule>(Slots.WeightDecay);
        public IStrategyHandle<Strategies.ILayoutRule> Layout { get; } = slots.Get<Strategies.ILayoutRule>(Slots.Layout);
    }
}
