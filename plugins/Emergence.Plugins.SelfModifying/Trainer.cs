using System.Globalization;
using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;

namespace Emergence.Plugins.SelfModifying;

/// <summary>One structural modification as the tracker records it (spec §5).</summary>
internal sealed class ModificationRecord
{
    public ModificationType Type { get; set; }
    public long Step { get; set; }
    public double[] Features { get; set; } = new double[MetaLearner.Features];
    public double Score { get; set; } = double.NaN;
    public bool Explored { get; set; }
    public double PreReward { get; set; }
    public double PreRelErr { get; set; }
    public int Layer { get; set; } = -1;
    public int Neuron { get; set; } = -1;
    public string ShapeBefore { get; set; } = "";
    public string ShapeAfter { get; set; } = "";
    public List<double> Rewards { get; } = [];
    public List<double> SquaredErrors { get; } = [];
    public bool Completed { get; set; }
    public bool RolledBack { get; set; }
    public bool Failed { get; set; }
    public bool Success { get; set; }

    public string Outcome => Failed ? "failed" : RolledBack ? "rolled_back" : "kept";

    public void Save(IStateWriter w)
    {
        w.WriteInt64("type", (long)Type);
        w.WriteInt64("step", Step);
        w.WriteDoubles("features", Features);
        w.WriteDouble("score", Score);
        w.WriteBool("explored", Explored);
        w.WriteDouble("pre_reward", PreReward);
        w.WriteDouble("pre_relerr", PreRelErr);
        w.WriteInt64("layer", Layer);
        w.WriteInt64("neuron", Neuron);
        w.WriteString("shape_before", ShapeBefore);
        w.WriteString("shape_after", ShapeAfter);
        w.WriteDoubles("rewards", Rewards.ToArray());
        w.WriteDoubles("squared_errors", SquaredErrors.ToArray());
        w.WriteBool("completed", Completed);
        w.WriteBool("rolled_back", RolledBack);
        w.WriteBool("failed", Failed);
        w.WriteBool("success", Success);
    }

    public static ModificationRecord Load(IStateReader r)
    {
        var record = new ModificationRecord
        {
            Type = (ModificationType)r.ReadInt64("type"), Step = r.ReadInt64("step"), Features = r.ReadDoubles("features", out _),
            Score = r.ReadDouble("score"), Explored = r.ReadBool("explored"), PreReward = r.ReadDouble("pre_reward"),
            PreRelErr = r.ReadDouble("pre_relerr"), Layer = (int)r.ReadInt64("layer"), Neuron = (int)r.ReadInt64("neuron"),
            ShapeBefore = r.ReadString("shape_before"), ShapeAfter = r.ReadString("shape_after"), Completed = r.ReadBool("completed"),
            RolledBack = r.ReadBool("rolled_back"), Failed = r.ReadBool("failed"), Success = r.ReadBool("success"),
        };
        record.Rewards.AddRange(r.ReadDoubles("rewards", out _));
        record.SquaredErrors.AddRange(r.ReadDoubles("squared_errors", out _));
        return record;
    }
}

/// <summary>
/// Trains the self-modifying network forever (spec §2–6): one engine step is <c>samples_per_step</c> single-sample
/// SGD steps on the continuous addition/division stream; every <c>check_every</c> samples a structure check lets the
/// selector pick a modification, which the tracker follows and the meta-learner learns from; rollback reverts a
/// change whose reward dropped. Every modification and its outcome is an event.
/// </summary>
internal sealed class Trainer : ITrainer
{
    private readonly Network _net;
    private readonly TrainerOptions _o;
    private readonly RngStream _rng;
    private readonly RngStream _evaluation;
    private readonly IStrategyHandle<ISelector> _selector;
    private readonly IStrategyHandle<IRewardRule> _reward;
    private readonly IStrategyHandle<ISuccessRule> _success;
    private readonly IStrategyHandle<IRollbackPolicy> _rollback;
    private readonly IStrategyHandle<ITaskMix> _tasks;
    private readonly double[] _x = new double[Network.Width];

    public Trainer(Network net, TrainerOptions options, TrainerContext context)
    {
        _net = net;
        _o = options;
        _rng = context.Rng("selfmod");
        _evaluation = context.Rng("evaluation");
        _selector = context.Strategies.Get<ISelector>("selector");
        _reward = context.Strategies.Get<IRewardRule>("reward");
        _success = context.Strategies.Get<ISuccessRule>("success");
        _rollback = context.Strategies.Get<IRollbackPolicy>("rollback");
        _tasks = context.Strategies.Get<ITaskMix>("task_mix");
        Meta = new MetaLearner(options.MetaHidden, context.Rng("meta"));
        net.Trainer = this;
    }

    public MetaLearner Meta { get; }
    public long Age { get; private set; }
    public long StepsSinceModification { get; private set; }
    /// <summary>The network's reward log (the last 1000).</summary>
    public History RewardHistory => _net.Rewards;
    public History RelErrHistory { get; private set; } = new(1000);
    public History AdditionErrors { get; private set; } = new(1000);
    public History DivisionErrors { get; private set; } = new(1000);
    public History AdditionRewards { get; private set; } = new(1000);
    public History DivisionRewards { get; private set; } = new(1000);
    public List<ModificationRecord> Records { get; } = [];
    public long Modifications { get; private set; }
    public long Rollbacks { get; private set; }

    /// <summary>(sample, shape) after every structural change, for the structure timeline (capped at 5000).</summary>
    public List<(long Age, int[] Shape)> StructureHistory { get; } = [];

    private List<Layer>? _snapshot;

    /// <summary>The rollback snapshot of the last modification, while it is held.</summary>
    internal List<Layer>? SnapshotForTests => _snapshot;
    private double _preReward;
    private IEventSink? _events;

    /// <summary>The open (not yet finalised) record, if any.</summary>
    public ModificationRecord? Open => Records.Count > 0 && !Records[^1].Completed ? Records[^1] : null;

    public double AvgReward50 => RewardHistory.MeanLast(50);
    public double AvgRelErr50 => RelErrHistory.MeanLast(50);

    public StepOutcome Step(in StepContext context)
    {
        _events = context.Events;
        if (StructureHistory.Count == 0) StructureHistory.Add((Age, Shape()));
        for (int s = 0; s < _o.SamplesPerStep; s++) Sample();
        if (context.MetricsDue) Record(context.Metrics);
        return StepOutcome.Continue;
    }

    /// <summary>Draws the next problem: addition a, b ∈ 0..D (x = [a, b, 0, 0]) or division a, b ∈ 1..D (x = [0, 0, a, b]).</summary>
    public static (bool Addition, double Target) Problem(Span<double> x, ITaskMix mix, int maxDigit, RngStream rng)
    {
        x.Clear();
        if (mix.NextIsAddition(rng))
        {
            int a = rng.NextInt(maxDigit + 1), b = rng.NextInt(maxDigit + 1);
            (x[0], x[1]) = (a, b);
            return (true, a + b);
        }
        int p = 1 + rng.NextInt(maxDigit), q = 1 + rng.NextInt(maxDigit);
        (x[2], x[3]) = (p, q);
        return (false, (double)p / q);
    }

    /// <summary>One single-sample SGD step with its bookkeeping and the step tail (spec §2).</summary>
    public void Sample()
    {
        var (addition, target) = Problem(_x, _tasks.Current, _o.MaxDigit, _rng);
        double p = _net.Forward(_x, _rng, _o.PredClip);
        double floor = _net.Fixed ? 1.0 : 1e-6;
        double rel = Math.Abs(p - target) / Math.Max(Math.Abs(target), floor);
        double reward = _reward.Current.Reward(rel);
        _net.RecordReward(reward);
        RelErrHistory.Add(rel);
        (addition ? AdditionErrors : DivisionErrors).Add(Math.Abs(p - target));
        (addition ? AdditionRewards : DivisionRewards).Add(reward);
        if (Open is { } open)
        {
            open.Rewards.Add(reward);
            open.SquaredErrors.Add((p - target) * (p - target));
            if (open.Rewards.Count >= _o.Trajectory) Finalise(open);
        }
        double g = Math.Clamp(2 * (p - target), -_o.LossGradClip, _o.LossGradClip);
        _net.Backward(g, _o.Lr, _o.GradClip, _o.WeightClip);

        StepsSinceModification++;
        CheckRollback();
        if (Age % _o.MetaTrainEvery == 0) TrainMeta();
        Age++;
        if (Age % _o.CheckEvery == 0) StructureCheck();
    }

    private void CheckRollback()
    {
        var policy = _rollback.Current;
        if (_snapshot is null || StepsSinceModification != policy.Window) return;
        var snapshot = _snapshot;
        _snapshot = null;
        if (!policy.Enabled || !policy.ShouldRevert(AvgReward50, _preReward)) return;
        if (_net.Fixed) _net.ReplaceLayers(snapshot);
        else _net.ReplaceLayers(FaithfulRestore(snapshot));
        Rollbacks++;
        var record = Records.LastOrDefault();
        if (record is not null) record.RolledBack = true;
        StructureHistory.Add((Age, Shape()));
        _events?.Emit("rollback", new Dictionary<string, object?>
        {
            ["sample"] = Age, ["type"] = record?.Type.ToString(), ["reward_before"] = _preReward, ["reward_now"] = AvgReward50,
            ["shape_after"] = _net.Shape,
        });
    }

    /// <summary>
    /// The original's restore (spec §6 bugs): layers rebuilt from W, b, tags, broadcast flag and targets only — the output
    /// flag is dropped (the output layer turns tanh), thresholds, counters and histories are lost.
    /// </summary>
    private List<Layer> FaithfulRestore(List<Layer> snapshot)
    {
        var layers = new List<Layer>();
        foreach (var saved in snapshot)
        {
            var layer = new Layer(saved.Id, saved.Tag.Length) { Tag = (double[])saved.Tag.Clone() };
            foreach (var n in saved.Neurons)
                layer.Neurons.Add(new Neuron(n.In, n.Out, n.Tag.Length, isOutput: false)
                {
                    W = (double[])n.W.Clone(), B = (double[])n.B.Clone(), Tag = (double[])n.Tag.Clone(), InTags = (double[])n.InTags.Clone(),
                    OutTags = (double[])n.OutTags.Clone(), IsBroadcast = n.IsBroadcast, Targets = (int[])n.Targets.Clone(), TargetLayerId = n.TargetLayerId,
                    RewardStart = _net.RewardCount,
                });
            layers.Add(layer);
        }
        return layers;
    }

    private void TrainMeta()
    {
        var completed = Records.Where(r => r.Completed).ToList();
        if (completed.Count < _o.MetaMinRecords) return;
        Meta.Train(completed.Select(r => (r.Features, r.Success ? 1.0 : 0.0)).ToList(), _rng, _o.MetaEpochs, _o.MetaBatch, _o.MetaLr);
    }

    /// <summary>The 14 features of the decision state with <paramref name="type"/>'s one-hot (raw, or standardised in fixed mode).</summary>
    public double[] Features(ModificationType type)
    {
        var f = new double[MetaLearner.Features];
        double relerr = AvgRelErr50, trend = RewardHistory.Slope(100, 10);
        if (_net.Fixed)
        {
            (f[0], f[1], f[2]) = (AvgReward50, Math.Min(relerr, 10) / 10, Math.Clamp(trend * 100, -1, 1));
            (f[3], f[4], f[5]) = (_net.NeuronCount / 100.0, _net.Layers.Count / 15.0, Math.Log(1 + StepsSinceModification) / 10);
            f[13] = Math.Log(1 + Age) / 15;
        }
        else
        {
            (f[0], f[1], f[2], f[3], f[4], f[5]) = (AvgReward50, relerr, trend, _net.NeuronCount, _net.Layers.Count, StepsSinceModification);
            f[13] = Age;
        }
        f[6 + (int)type] = 1;
        return f;
    }

    private bool[] Valid()
    {
        int layers = _net.Layers.Count;
        var valid = new bool[6];
        valid[(int)ModificationType.AddNeuron] = _net.Layers.Any(l => l.Neurons.Count < _o.Neurons[1]);
        valid[(int)ModificationType.RemoveNeuron] = _net.Layers.Any(l => l.Neurons.Count > _o.Neurons[0]);
        valid[(int)ModificationType.AddLayer] = layers < _o.Layers[1];
        valid[(int)ModificationType.RemoveLayer] = layers > Math.Max(1, _o.Layers[0]);
        valid[(int)ModificationType.Rewire] = layers >= 2;
        valid[(int)ModificationType.Adjust] = true;
        for (int t = 0; t < 6; t++) valid[t] &= _o.Strategies.Contains((ModificationType)t);
        return valid;
    }

    /// <summary>The structure check (spec §4): score, choose, snapshot, apply, record.</summary>
    public void StructureCheck()
    {
        var scores = new double[6];
        for (int t = 0; t < 6; t++) scores[t] = Meta.Score(Features((ModificationType)t));
        var (type, explored) = _selector.Current.Choose(scores, Valid(), _o.Epsilon, _net.Fixed, _rng);
        if (type == ModificationType.None) return;
        if (Open is { } open) Finalise(open);
        var record = new ModificationRecord
        {
            Type = type, Step = Age, Features = Features(type), Score = type < ModificationType.None ? scores[(int)type] : double.NaN,
            Explored = explored, PreReward = AvgReward50, PreRelErr = AvgRelErr50, ShapeBefore = _net.Shape,
        };
        // Both modes snapshot everything; faithful mode's loss happens at restore (FaithfulRestore).
        _snapshot = _net.CloneLayers();
        _preReward = AvgReward50;
        StepsSinceModification = 0;
        Records.Add(record);
        if (Records.Count > _o.MaxHistory) Records.RemoveAt(0);
        Modifications++;
        bool ok;
        try
        {
            ok = Modify.Apply(type, _net, _o, _rng, record, AdditionProbe());
        }
        catch (InvalidOperationException)
        {
            ok = false;
        }
        record.ShapeAfter = _net.Shape;
        if (!ok)
        {
            record.Failed = record.RolledBack = true;
            record.Completed = true;
            _snapshot = null;
        }
        else StructureHistory.Add((Age, Shape()));
        if (StructureHistory.Count > 5000) StructureHistory.RemoveAt(1);
        _events?.Emit("modification", new Dictionary<string, object?>
        {
            ["sample"] = Age, ["strategy"] = Snake(type), ["layer"] = record.Layer, ["neuron"] = record.Neuron,
            ["shape_before"] = record.ShapeBefore, ["shape_after"] = record.ShapeAfter, ["reward_before"] = record.PreReward,
            ["relerr_before"] = record.PreRelErr, ["meta_score"] = record.Score, ["explored"] = explored, ["applied"] = ok,
            ["outcome"] = ok ? "pending" : "failed",
        });
    }

    /// <summary>Recent inputs for the fixed REMOVE_NEURON's ablation test (drawn from the evaluation stream, so the trajectory never depends on it).</summary>
    private List<double[]> AdditionProbe()
    {
        var probe = new List<double[]>();
        if (!_net.Fixed) return probe;
        var mix = new MixedTasks(new MixedOptions());
        for (int i = 0; i < 16; i++)
        {
            var x = new double[Network.Width];
            Problem(x, mix, _o.MaxDigit, _evaluation);
            probe.Add(x);
        }
        return probe;
    }

    private void Finalise(ModificationRecord record)
    {
        record.Completed = true;
        record.Success = !record.Failed && !record.RolledBack && _success.Current.Success(record);
        _events?.Emit("modification_outcome", new Dictionary<string, object?>
        {
            ["sample"] = Age, ["strategy"] = Snake(record.Type), ["applied_at"] = record.Step, ["outcome"] = record.Outcome,
            ["success"] = record.Success, ["meta_score"] = record.Score, ["reward_before"] = record.PreReward,
            ["reward_after"] = record.Rewards.Count == 0 ? null : record.Rewards.Average(),
            ["squared_error_after"] = record.SquaredErrors.Count == 0 ? null : record.SquaredErrors.Average(),
            ["shape_before"] = record.ShapeBefore, ["shape_after"] = record.ShapeAfter,
        });
    }

    public static string Snake(ModificationType type) => type switch
    {
        ModificationType.AddNeuron => "add_neuron", ModificationType.RemoveNeuron => "remove_neuron", ModificationType.AddLayer => "add_layer",
        ModificationType.RemoveLayer => "remove_layer", ModificationType.Rewire => "rewire", ModificationType.Adjust => "adjust", _ => "none",
    };

    private int[] Shape() => _net.Layers.Select(l => l.Neurons.Count).ToArray();

    /// <summary>The <c>--test</c> evaluation (spec §9): correct if |p−e|/max(e,1) &lt; 10% (addition) or |p−e|/max(e,0.01) &lt; 15% (division).</summary>
    public double TestAccuracy(int problems, RngStream rng) => problems == 0 ? double.NaN : Evaluate(problems, rng).Accuracy;

    /// <summary>The <c>--test</c> evaluation: accuracy by the original's criterion and the mean absolute error.</summary>
    public (double Accuracy, double Mae) Evaluate(int problems, RngStream rng)
    {
        var x = new double[Network.Width];
        var mix = new MixedTasks(new MixedOptions());
        int correct = 0;
        double error = 0;
        for (int i = 0; i < problems; i++)
        {
            var (addition, e) = Problem(x, mix, _o.MaxDigit, rng);
            double p = _net.Forward(x, rng, _o.PredClip, count: false);
            bool ok = addition ? Math.Abs(p - e) / Math.Max(e, 1) < 0.10 : Math.Abs(p - e) / Math.Max(e, 0.01) < 0.15;
            if (ok) correct++;
            error += Math.Abs(p - e);
        }
        return ((double)correct / problems, error / problems);
    }

    private void Record(IMetricSink m)
    {
        m.Record("samples", Age);
        m.Record("reward_avg50", AvgReward50);
        m.Record("reward_avg1000", RewardHistory.MeanLast(1000));
        m.Record("relerr_avg50", AvgRelErr50);
        m.Record("mae_addition", AdditionErrors.MeanLast(1000));
        m.Record("mae_division", DivisionErrors.MeanLast(1000));
        m.Record("reward_addition", AdditionRewards.MeanLast(1000));
        m.Record("reward_division", DivisionRewards.MeanLast(1000));
        m.Record("neurons", _net.NeuronCount);
        m.Record("layers", _net.Layers.Count);
        m.Record("modifications", Modifications);
        m.Record("rollbacks", Rollbacks);
        var done = Records.Where(r => r.Completed).ToList();
        if (done.Count > 0) m.Record("success_rate", done.Count(r => r.Success) / (double)done.Count);
        m.Record("test_accuracy", TestAccuracy(_o.TestProblems, _evaluation));
    }

    public void Save(IStateWriter w)
    {
        w.WriteInt64("age", Age);
        w.WriteInt64("steps_since_modification", StepsSinceModification);
        w.WriteInt64("modifications", Modifications);
        w.WriteInt64("rollbacks", Rollbacks);
        RelErrHistory.Save(w, "relerrs");
        AdditionErrors.Save(w, "addition_errors");
        DivisionErrors.Save(w, "division_errors");
        AdditionRewards.Save(w, "addition_rewards");
        DivisionRewards.Save(w, "division_rewards");
        Meta.Save(w.Section("meta"));
        var records = w.Section("records");
        records.WriteInt64("count", Records.Count);
        for (int i = 0; i < Records.Count; i++) Records[i].Save(records.Section(i.ToString(CultureInfo.InvariantCulture)));
        w.WriteInt64s("structure_ages", StructureHistory.Select(s => s.Age).ToArray());
        w.WriteString("structure_shapes", string.Join(";", StructureHistory.Select(s => string.Join(",", s.Shape))));
        w.WriteBool("has_snapshot", _snapshot is not null);
        if (_snapshot is not null) Network.SaveLayers(w.Section("snapshot"), _snapshot);
        w.WriteDouble("pre_reward", _preReward);
    }

    public void Load(IStateReader r)
    {
        Age = r.ReadInt64("age");
        StepsSinceModification = r.ReadInt64("steps_since_modification");
        Modifications = r.ReadInt64("modifications");
        Rollbacks = r.ReadInt64("rollbacks");
        RelErrHistory.Load(r, "relerrs");
        AdditionErrors.Load(r, "addition_errors");
        DivisionErrors.Load(r, "division_errors");
        AdditionRewards.Load(r, "addition_rewards");
        DivisionRewards.Load(r, "division_rewards");
        Meta.Load(r.Section("meta"));
        Records.Clear();
        var records = r.Section("records");
        long count = records.ReadInt64("count");
        for (int i = 0; i < count; i++) Records.Add(ModificationRecord.Load(records.Section(i.ToString(CultureInfo.InvariantCulture))));
        StructureHistory.Clear();
        var ages = r.ReadInt64s("structure_ages", out _);
        var shapes = r.ReadString("structure_shapes").Split(';', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < ages.Length; i++)
            StructureHistory.Add((ages[i], shapes[i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()));
        _snapshot = r.ReadBool("has_snapshot") ? Network.LoadLayers(r.Section("snapshot")) : null;
        _preReward = r.ReadDouble("pre_reward");
    }
}
