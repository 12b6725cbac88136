using Emergence.Contracts.Components;
using Emergence.Contracts.State;
using Emergence.Tensors;
using Emergence.Tensors.Optim;
using Emergence.Tensors.Operations;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Autograd;

namespace Emergence.Plugins.Genreg;

/// <summary>
/// The gradient baselines (spec §7): the same network on the same features, trained by full-batch Adam through
/// Emergence.Tensors (float64). Dense, or sparse with given indices (W1 masked, so only the chosen connections learn).
/// Starts from the model's random genome, so a baseline and an evolution run with one seed share their initial weights.
/// </summary>
internal sealed class BackpropTrainer : GenregTrainerBase, ITrainer
{
    public static readonly string[] Columns = ["epoch", "mse", "k_mlp", "k_mlp_ratio", "saturation_pct", "energy", "energy_core", "true_input_ratio"];

    private readonly BackpropOptions _o;
    private readonly ParameterCollection<double> _params = new();
    private readonly Tensor<double> _w1, _b1, _w2, _b2, _mask;
    private readonly Adam<double> _adam;
    private readonly Tape<double> _tape = new();
    private readonly Genome _shape;
    private readonly Workspace _ws = new();
    private long _epoch;
    private double _mse = double.NaN;

    public BackpropTrainer(GenregModel model, BackpropOptions options, TrainerContext context) : base(model, context)
    {
        _o = options;
        int d = Options.InputWidth, h = Options.Hidden;
        var g = Genome.Random(Options, Init, proteins: false);
        if (g.Sparse && options.Indices.Count > 0) options.Indices.ToArray().CopyTo(g.Idx, 0);
        _shape = g;
        var w1 = new double[d * h];
        var mask = new double[d * h];
        if (g.Sparse)
            for (int j = 0; j < h; j++)
                for (int k = 0; k < g.K; k++)
                {
                    int i = g.Idx[j * g.K + k];
                    w1[i * h + j] = g.W1[j * g.K + k];
                    mask[i * h + j] = 1;
                }
        else
        {
            g.W1.CopyTo(w1, 0);
            Array.Fill(mask, 1.0);
        }
        _w1 = _params.Add("w1", Tensor<double>.From(w1, d, h));
        _b1 = _params.Add("b1", Tensor<double>.From(g.B1, h));
        _w2 = _params.Add("w2", Tensor<double>.From(g.W2, h, 1));
        _b2 = _params.Add("b2", Tensor<double>.From(g.B2, 1));
        _mask = Tensor<double>.From(mask, d, h);
        _adam = new Adam<double>(_params, options.Lr);
        model.Trajectory = new Trajectory([.. Columns]);
        Model.Champion = ToGenome();
    }

    public override string Axis => "epoch";

    public StepOutcome Step(in StepContext context)
    {
        EnsureFeatures();
        var y = Tensor<double>.From(Model.Task.Y, Model.Task.N, 1);
        var xBuffer = new double[Features.N * Features.D];
        bool done = false;
        for (int i = 0; i < _o.EpochsPerStep && !done; i++)
        {
            if (Features.Deterministic) Features.Values.CopyTo(xBuffer, 0);
            else Features.Resample(xBuffer, Emergence.Evolution.EvolutionRng.ForIndividual(GaussianSeed, _epoch, 0));
            var x = Tensor<double>.From(xBuffer, Features.N, Features.D);
            if (_o.Cosine) _adam.LearningRate = new CosineLr(_o.Lr, _o.Epochs).At(_epoch);
            _adam.ZeroGrad();
            using (_tape.Record())
            {
                var h = Ops.Tanh(Ops.Add(Ops.MatMul(x, Ops.Mul(_w1, _mask)), _b1));
                var z = Ops.Add(Ops.MatMul(h, _w2), _b2);
                var output = Options.OutAct == OutputActivation.Tanh ? Ops.Tanh(z) : z;
                var loss = Ops.Mse(output, y);
                _mse = loss.Span[0];
                _tape.Backward(loss);
            }
            _adam.Step();
            _epoch++;
            done = _epoch >= _o.Epochs || (_o.TargetMse > 0 && _mse < _o.TargetMse);
        }
        var g = ToGenome();
        Model.Champion = g;
        var e = Evaluate(g, proteins: false, _epoch, 0, _ws);
        double[] row = [_epoch, e.Mse, e.KMlp, e.KMlp / (double)Options.Hidden, 100 * e.SaturationFraction,
            Network.Energy(g, e, true), Network.Energy(g, e, false), g.TrueInputRatio(Options.Features.TrueSize)];
        Model.Trajectory.Add(row);
        Model.Heatmap.Add(e.NeuronSaturation);
        foreach (double t in Model.Milestone(e.Mse, _epoch))
            context.Events.Emit("milestone", new Dictionary<string, object?> { ["below"] = t, ["epoch"] = _epoch, ["mse"] = e.Mse });
        if (context.MetricsDue)
            for (int i = 0; i < row.Length; i++) context.Metrics.Record(Columns[i], row[i]);
        if (!done) return StepOutcome.Continue;
        Model.StopReason = _epoch >= _o.Epochs ? "epochs" : "target_mse";
        context.Events.Emit("finished", new Dictionary<string, object?> { ["reason"] = Model.StopReason, ["epoch"] = _epoch, ["mse"] = e.Mse, ["k_mlp"] = e.KMlp });
        return StepOutcome.Finished;
    }

    /// <summary>The current weights as a genome (sparse: the chosen connections only).</summary>
    private Genome ToGenome()
    {
        var g = _shape.Clone();
        int h = Options.Hidden;
        var w1 = _w1.Span;
        if (g.Sparse)
            for (int j = 0; j < h; j++)
                for (int k = 0; k < g.K; k++) g.W1[j * g.K + k] = w1[g.Idx[j * g.K + k] * h + j];
        else w1.CopyTo(g.W1);
        _b1.Span.CopyTo(g.B1);
        _w2.Span.CopyTo(g.W2);
        g.B2[0] = _b2.Span[0];
        return g;
    }

    public void Save(IStateWriter writer)
    {
        SaveBase(writer);
        writer.WriteInt64("epoch", _epoch);
        writer.WriteDouble("mse", _mse);
        _params.Save(writer.Section("params"));
        _adam.Save(writer.Section("adam"));
    }

    public void Load(IStateReader reader)
    {
        LoadBase(reader);
        _epoch = reader.ReadInt64("epoch");
        _mse = reader.ReadDouble("mse");
        _params.Load(reader.Section("params"));
        _adam.Load(reader.Section("adam"));
        Model.Champion = ToGenome();
    }
}
