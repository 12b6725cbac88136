using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;

namespace Emergence.Plugins.Genreg;

/// <summary>Which local search a trainer runs.</summary>
internal enum SearchKind { Sa, Hc, SaThenHc }

/// <summary>
/// Simulated annealing, hill climbing and SA→HC (spec §3) on one genome, <c>proposals_per_step</c> proposals per engine
/// step. Plain MSE, no proteins. SA: mutant = mutate(current); Δ = MSE_cur − MSE_mut; accept if Δ &gt; 0 or U &lt; exp(Δ/T)
/// (ties always accepted; U drawn only when needed), T from the <c>temperature</c> strategy at proposal t — recomputed, so
/// a resumed chain is exact. HC: strict improvements only; after <c>patience</c> proposals without one it restarts from a
/// fresh genome (while restarts remain) or ends. SA→HC climbs from SA's best.
/// </summary>
internal sealed class SearchTrainer : GenregTrainerBase, ITrainer
{
    public static readonly string[] Columns =
    [
        "proposal", "phase", "restart", "mse_current", "mse_best", "temperature", "accept_rate", "k_mlp", "k_mlp_ratio",
        "saturation_pct", "energy", "energy_core", "true_input_ratio",
    ];

    private readonly SearchOptions _o;
    private readonly SearchKind _kind;
    private readonly IStrategyHandle<ITemperatureSchedule> _temperature;
    private readonly RngStream _accept;
    private readonly Workspace _ws = new();

    private int _phase;          // index into Phases
    private long _t;             // proposals made in this phase (this restart for HC)
    private long _total;         // proposals made overall
    private int _restart;
    private long _sinceImprovement;
    private long _acceptedInWindow, _proposedInWindow;
    private Genome? _current, _best;
    private double _currentMse = double.PositiveInfinity, _bestMse = double.PositiveInfinity;

    public SearchTrainer(GenregModel model, SearchOptions options, SearchKind kind, TrainerContext context) : base(model, context)
    {
        _o = options;
        _kind = kind;
        _temperature = context.Strategies.Get<ITemperatureSchedule>("temperature");
        _accept = context.Rng("sa");
        model.Trajectory = new Trajectory([.. Columns]);
    }

    public override string Axis => "proposal";

    private SearchKind[] Phases => _kind switch
    {
        SearchKind.Sa => [SearchKind.Sa],
        SearchKind.Hc => [SearchKind.Hc],
        _ => [SearchKind.Sa, SearchKind.Hc],
    };

    public Genome? Best => _best;
    public double BestMse => _bestMse;

    public StepOutcome Step(in StepContext context)
    {
        if (EnsureFeatures() && _current is not null)
        {
            _currentMse = Score(_current);
            _bestMse = Score(_best!);
        }
        if (_current is null) Start(Genome.Random(Options, Init, proteins: false));
        for (int i = 0; i < _o.ProposalsPerStep && _phase < Phases.Length; i++)
        {
            Propose();
            if (_total % _o.LogEvery == 0) Log(context);
            AdvancePhase(context);
        }
        if (context.MetricsDue) Metrics(context);
        if (_phase < Phases.Length) return StepOutcome.Continue;
        Model.StopReason = "budget";
        Log(context);
        context.Events.Emit("finished", new Dictionary<string, object?>
        {
            ["reason"] = "budget", ["proposals"] = _total, ["mse_best"] = _bestMse, ["restarts"] = _restart,
            ["milestones"] = Model.Milestones.Select(kv => $"{kv.Key}:{kv.Value}").ToArray(),
        });
        return StepOutcome.Finished;
    }

    private long PhaseSteps => Phases[_phase] == SearchKind.Sa ? _o.SaSteps : _o.HcSteps;

    private double Score(Genome g) => Evaluate(g, proteins: false, _total, 0, _ws).Mse;

    private void Start(Genome g)
    {
        _current = g;
        _currentMse = Score(g);
        if (_best is null || _currentMse < _bestMse) (_best, _bestMse) = (g, _currentMse);
        Model.Champion = _best;
    }

    private void Propose()
    {
        var mutant = Mutation.Current.Mutate(_current!, MutationAt(_total));
        double mse = Score(mutant);
        bool accept;
        if (Phases[_phase] == SearchKind.Sa)
        {
            double delta = _currentMse - mse;
            double temperature = _temperature.Current.At(_t, _o.SaSteps, _o.TInitial, _o.TFinal);
            accept = delta > 0 || _accept.NextDouble() < Math.Exp(delta / temperature);
        }
        else
        {
            accept = mse < _currentMse;
            _sinceImprovement = accept ? 0 : _sinceImprovement + 1;
        }
        _t++;
        _total++;
        _proposedInWindow++;
        if (accept)
        {
            _acceptedInWindow++;
            (_current, _currentMse) = (mutant, mse);
            if (mse < _bestMse)
            {
                (_best, _bestMse) = (mutant, mse);
                Model.Champion = _best;
            }
        }
    }

    private void AdvancePhase(in StepContext context)
    {
        foreach (double t in Model.Milestone(_bestMse, _total))
            context.Events.Emit("milestone", new Dictionary<string, object?> { ["below"] = t, ["proposal"] = _total, ["mse_best"] = _bestMse });
        bool hc = Phases[_phase] == SearchKind.Hc;
        bool stuck = hc && _o.Patience > 0 && _sinceImprovement >= _o.Patience;
        if (_t < PhaseSteps && !stuck) return;
        if (hc && _restart + 1 < _o.Restarts)
        {
            _restart++;
            (_t, _sinceImprovement) = (0, 0);
            Start(Genome.Random(Options, Init, proteins: false));
            context.Events.Emit("restart", new Dictionary<string, object?> { ["restart"] = _restart, ["proposal"] = _total, ["mse_best"] = _bestMse });
            return;
        }
        _phase++;
        (_t, _sinceImprovement) = (0, 0);
        if (_phase < Phases.Length)
        {
            // SA→HC: the climb starts from the annealer's best.
            (_current, _currentMse) = (_best!, _bestMse);
            context.Events.Emit("phase", new Dictionary<string, object?> { ["phase"] = "hc", ["proposal"] = _total, ["mse_best"] = _bestMse });
        }
    }

    private double[] Row()
    {
        var e = Evaluate(_best!, proteins: false, _total, 1, _ws);
        bool sa = _phase < Phases.Length && Phases[_phase] == SearchKind.Sa;
        double temperature = sa ? _temperature.Current.At(_t, _o.SaSteps, _o.TInitial, _o.TFinal) : 0;
        return
        [
            _total, _phase, _restart, _currentMse, _bestMse, temperature,
            _proposedInWindow == 0 ? double.NaN : _acceptedInWindow / (double)_proposedInWindow, e.KMlp, e.KMlp / (double)Options.Hidden,
            100 * e.SaturationFraction, Network.Energy(_best!, e, true), Network.Energy(_best!, e, false), _best!.TrueInputRatio(Options.Features.TrueSize),
        ];
    }

    private void Log(in StepContext context)
    {
        var row = Row();
        if (Model.Trajectory.Rows.Count > 0 && Model.Trajectory.Rows[^1][0] == row[0]) return;
        Model.Trajectory.Add(row);
        Model.Heatmap.Add(Evaluate(_best!, proteins: false, _total, 1, _ws).NeuronSaturation);
        (_acceptedInWindow, _proposedInWindow) = (0, 0);
    }

    private void Metrics(in StepContext context)
    {
        var row = Row();
        for (int i = 0; i < row.Length; i++)
            if (!double.IsNaN(row[i])) context.Metrics.Record(Columns[i], row[i]);
    }

    public void Save(IStateWriter writer)
    {
        SaveBase(writer);
        writer.WriteInt64("phase", _phase);
        writer.WriteInt64("t", _t);
        writer.WriteInt64("total", _total);
        writer.WriteInt64("restart", _restart);
        writer.WriteInt64("since_improvement", _sinceImprovement);
        writer.WriteInt64("accepted_window", _acceptedInWindow);
        writer.WriteInt64("proposed_window", _proposedInWindow);
        writer.WriteBool("started", _current is not null);
        if (_current is null) return;
        GenomeCodec.Instance.Save(_current, writer.Section("current"));
        GenomeCodec.Instance.Save(_best!, writer.Section("best"));
        writer.WriteDouble("current_mse", _currentMse);
        writer.WriteDouble("best_mse", _bestMse);
    }

    public void Load(IStateReader reader)
    {
        LoadBase(reader);
        _phase = (int)reader.ReadInt64("phase");
        _t = reader.ReadInt64("t");
        _total = reader.ReadInt64("total");
        _restart = (int)reader.ReadInt64("restart");
        _sinceImprovement = reader.ReadInt64("since_improvement");
        _acceptedInWindow = reader.ReadInt64("accepted_window");
        _proposedInWindow = reader.ReadInt64("proposed_window");
        if (!reader.ReadBool("started")) return;
        _current = GenomeCodec.Instance.Load(reader.Section("current"));
        _best = GenomeCodec.Instance.Load(reader.Section("best"));
        _currentMse = reader.ReadDouble("current_mse");
        _bestMse = reader.ReadDouble("best_mse");
        Model.Champion = _best;
    }
}
