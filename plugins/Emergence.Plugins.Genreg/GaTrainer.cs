using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Contracts.Strategies;
using Emergence.Evolution;

namespace Emergence.Plugins.Genreg;

/// <summary>What every Genreg trainer shares: the features from the <c>features</c> slot, evaluation, and the streams.</summary>
internal abstract class GenregTrainerBase : IGenregTrainer
{
    private readonly IStrategyHandle<IFeatureExpansion> _features;
    private IFeatureExpansion? _builtFrom;
    private readonly Workspace _inspect = new();

    protected GenregTrainerBase(GenregModel model, TrainerContext context)
    {
        Model = model;
        Options = model.Options;
        _features = context.Strategies.Get<IFeatureExpansion>("features");
        Fitness = context.Strategies.Get<IFitness>("fitness");
        Mutation = context.Strategies.Get<IMutation>("mutation");
        Init = context.Rng("init");
        Weights = context.Rng("mutation");
        Indices = context.Rng("indices");
        ProteinRng = context.Rng("proteins");
        GaussianSeed = context.Rng("gaussian").NextUInt64();
        model.Trainer = this;
        EnsureFeatures();
    }

    public GenregModel Model { get; }
    protected ModelOptions Options { get; }
    protected IStrategyHandle<IFitness> Fitness { get; }
    protected IStrategyHandle<IMutation> Mutation { get; }
    protected RngStream Init { get; }
    protected RngStream Weights { get; }
    protected RngStream Indices { get; }
    protected RngStream ProteinRng { get; }

    /// <summary>Seed of the per-evaluation streams of re-sampled Gaussian columns (checkpointed).</summary>
    protected ulong GaussianSeed { get; private set; }

    protected FeatureSet Features => Model.Features!;

    public abstract string Axis { get; }

    /// <summary>Rebuilds the inputs when the <c>features</c> strategy changed (a swap); returns true if it did.</summary>
    protected bool EnsureFeatures()
    {
        if (ReferenceEquals(_builtFrom, _features.Current) && Model.Features is not null) return false;
        _builtFrom = _features.Current;
        Model.Features = _features.Current.Build(Model.Task, Options.Features);
        return true;
    }

    protected MutationContext MutationAt(long generation) => new(Weights, Indices, generation, Options.IndexUniverse);

    /// <summary>Evaluates one genome; <paramref name="stream"/> names the evaluation for the re-sampled columns.</summary>
    protected Evaluation Evaluate(Genome g, bool proteins, long generation, long stream, Workspace ws) =>
        Network.Evaluate(g, Features, Model.Task, Options, proteins, Features.Deterministic ? null : EvolutionRng.ForIndividual(GaussianSeed, generation, stream), ws);

    public Evaluation Inspect(Genome genome) =>
        Network.Evaluate(genome, Features, Model.Task, Options, proteins: Options.Proteins.Enabled,
            Features.Deterministic ? null : RngStream.Derive(GaussianSeed, "inspect"), _inspect, keepPredictions: true);

    protected void SaveBase(IStateWriter w) => w.WriteInt64("gaussian_seed", unchecked((long)GaussianSeed));
    protected void LoadBase(IStateReader r) => GaussianSeed = unchecked((ulong)r.ReadInt64("gaussian_seed"));

    protected static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}

/// <summary>
/// The generational GA of sine_sweep.py (spec §3), one generation per engine step: evaluate every genome (in parallel,
/// results independent of the thread count), record the row, apply the stop rules, then build the next generation with the
/// <c>selection</c> strategy (default: the original's tiers) and the <c>mutation</c> strategy. Selection, mutation,
/// fitness and features swap at a generation boundary; the population, lineage and every stream carry on.
/// </summary>
internal sealed class GaTrainer : GenregTrainerBase, ITrainer
{
    public static readonly string[] BaseColumns =
    [
        "generation", "mse_best", "mse_median", "k_mlp", "k_proteins", "k_total", "k_mlp_ratio", "fitness_best", "fitness_median",
        "age_max", "saturation_pct", "energy", "energy_core", "mse_of_fittest", "trust_multiplier", "true_input_ratio", "mutation_success",
    ];

    private readonly GaOptions _o;
    private readonly IStrategyHandle<IGenerationScheme> _selection;
    private readonly RngStream _selectionRng;
    private readonly Population<Genome> _population = new(GenomeCodec.Instance);
    private readonly Dictionary<long, double> _parentFitness = [];
    /// <summary>
    /// Genomes made by <see cref="Materialize"/>: a mutant of Parent for Child, or (Parent null) random parameters written into
    /// the genome object Child already holds — selection schemes may hand that object to another individual.
    /// </summary>
    private readonly List<(Individual<Genome> Child, Genome? Parent)> _pending = [];
    private long _championId = -1;
    /// <summary>Rows before the stagnation window seen so far and their smallest mse_best (a cache, rebuilt after a load).</summary>
    private (int Count, double Min) _beforeWindow = (0, double.PositiveInfinity);
    /// <summary>Genomes of individuals that left the population, reused for the next children (no allocation in steady state).</summary>
    private readonly Stack<Genome> _spare = new();
    private ulong _childSeed;
    private long _pendingGeneration;
    private readonly int _threads;
    private double _lastSuccess = double.NaN;

    public GaTrainer(GenregModel model, GaOptions options, TrainerContext context) : base(model, context)
    {
        _o = options;
        _selection = context.Strategies.Get<IGenerationScheme>("selection");
        _selectionRng = context.Rng("selection");
        _threads = Options.Threads == 0 ? Environment.ProcessorCount : Options.Threads;
        model.Trajectory = new Trajectory([.. BaseColumns]);
    }

    public override string Axis => "generation";

    public Population<Genome> Population => _population;

    private bool ProteinsOn => Options.Proteins.Enabled;

    public StepOutcome Step(in StepContext context)
    {
        if (EnsureFeatures())
            foreach (var m in _population.Members) m.Genome.Eval = null;
        if (_population.Members.Count == 0)
            for (int i = 0; i < _o.Population; i++) _population.Members.Add(_population.Create(Genome.Random(Options, Init, ProteinsOn)));
        long gen = _population.Generation;
        EvaluateAll(_population.Members, gen);
        ObserveMutants();

        var ranked = _population.Ranked();
        var best = ranked[0];
        var e = best.Genome.Eval!;
        double mseBest = _population.Members.Min(m => m.Genome.Eval!.Mse);
        double energy = Network.Energy(best.Genome, e, includeBiases: true);
        var row = new double[]
        {
            gen, mseBest, Median(_population.Members.Select(m => m.Genome.Eval!.Mse)), e.KMlp, e.KProteins, e.KMlp + e.KProteins,
            e.KMlp / (double)Options.Hidden, best.Fitness, Median(_population.Members.Select(m => m.Fitness)),
            _population.Members.Max(m => m.Age), 100 * e.SaturationFraction, energy, Network.Energy(best.Genome, e, includeBiases: false),
            e.Mse, e.Mse > 0 ? best.Fitness / -e.Mse : double.NaN, best.Genome.TrueInputRatio(Options.Features.TrueSize), _lastSuccess,
        };
        Model.Trajectory.Add(row);
        Model.Heatmap.Add(e.NeuronSaturation);
        if (best.Id != _championId || Model.Champion is null) (Model.Champion, _championId) = (best.Genome.Clone(), best.Id);
        foreach (double t in Model.Milestone(mseBest, gen))
            context.Events.Emit("milestone", new Dictionary<string, object?> { ["below"] = t, ["generation"] = gen, ["mse_best"] = mseBest });
        if (context.MetricsDue)
        {
            for (int i = 0; i < row.Length; i++)
                if (!double.IsNaN(row[i])) context.Metrics.Record(BaseColumns[i], row[i]);
            for (int j = 0; j < e.NeuronSaturation.Length; j++) context.Metrics.Record($"n{j}_sat", e.NeuronSaturation[j]);
        }

        string? stop = StopRule(mseBest, gen);
        if (stop is not null)
        {
            Model.StopReason = stop;
            context.Events.Emit("finished", new Dictionary<string, object?>
            {
                ["reason"] = stop, ["generation"] = gen, ["mse_best"] = mseBest, ["k_mlp"] = e.KMlp, ["k_ratio"] = e.KMlp / (double)Options.Hidden,
                ["mse_of_fittest"] = e.Mse, ["fitness_best"] = best.Fitness,
                ["milestones"] = Model.Milestones.Select(kv => $"{kv.Key}:{kv.Value}").ToArray(),
            });
            return StepOutcome.Finished;
        }
        Evolve(ranked, gen);
        return StepOutcome.Continue;
    }

    /// <summary>The original's stop tests, in its order: target, stagnation, then the generation budget.</summary>
    private string? StopRule(double mseBest, long gen)
    {
        if (_o.TargetMse > 0 && mseBest < _o.TargetMse) return "target_mse";
        int w = _o.StagnationWindow;
        if (w > 0)
        {
            // Row access, not a copy of the column: the rule runs every generation of runs that can be long.
            var rows = Model.Trajectory.Rows;
            int c = Model.Trajectory.Index("mse_best"), count = rows.Count;
            if (_o.StagnationRule == StagnationRule.Ends && count >= w && rows[count - w][c] - rows[count - 1][c] < _o.StagnationDelta) return "stagnation";
            if (_o.StagnationRule == StagnationRule.Best && count > w)
            {
                // The best before the window only changes when a row leaves the window: keep it as the window slides.
                if (_beforeWindow.Count > count - w) _beforeWindow = (0, double.PositiveInfinity); // rows were replaced (a load)
                while (_beforeWindow.Count < count - w) _beforeWindow = (_beforeWindow.Count + 1, Math.Min(_beforeWindow.Min, rows[_beforeWindow.Count][c]));
                double inWindow = double.PositiveInfinity;
                for (int i = count - w; i < count; i++) inWindow = Math.Min(inWindow, rows[i][c]);
                if (_beforeWindow.Min - inWindow < _o.StagnationDelta) return "stagnation";
            }
        }
        return gen + 1 >= _o.MaxGenerations ? "max_generations" : null;
    }

    private void Evolve(List<Individual<Genome>> ranked, long gen)
    {
        _parentFitness.Clear();
        _pending.Clear();
        // One draw per generation seeds every child's own streams, so children are made in parallel and the result
        // depends only on (seed, generation, child id), never on the thread count.
        _childSeed = Weights.NextUInt64();
        _pendingGeneration = gen;
        Individual<Genome> Mutant(Individual<Genome> parent)
        {
            var individual = _population.Create(parent.Genome, parent.Id); // the genome is made by Materialize
            _pending.Add((individual, parent.Genome));
            _parentFitness[individual.Id] = parent.Fitness;
            return individual;
        }
        Individual<Genome> Random()
        {
            var target = _spare.Count > 0 ? _spare.Pop() : null;
            var individual = _population.Create(Genome.Shaped(Options, ProteinsOn, target)); // parameters written by Materialize
            _pending.Add((individual, null));
            return individual;
        }
        var next = _selection.Current.Next(new SelectionInput(_population, ranked, Mutant, Random, list => EvaluateAll(list, gen + 1), _selectionRng));
        Materialize();
        var leaving = _population.Members;
        _population.Advance(next);
        Recycle(leaving);
    }

    /// <summary>Keeps the genomes of <paramref name="leaving"/> that no member of the population still holds.</summary>
    private void Recycle(IReadOnlyList<Individual<Genome>> leaving)
    {
        var kept = new HashSet<Genome>(_population.Members.Select(m => m.Genome), ReferenceEqualityComparer.Instance);
        foreach (var m in leaving)
            if (kept.Add(m.Genome) && _spare.Count < 2 * _o.Population) _spare.Push(m.Genome);
    }

    /// <summary>
    /// Makes the pending genomes in parallel, each from its own streams: mutants (mutation, then protein mutation) and random
    /// immigrants.
    /// </summary>
    private void Materialize()
    {
        if (_pending.Count == 0) return;
        var todo = _pending.ToArray();
        _pending.Clear();
        var mutation = Mutation.Current;
        var spares = new Genome?[todo.Length];
        for (int i = 0; i < spares.Length && _spare.Count > 0; i++)
            if (todo[i].Parent is not null) spares[i] = _spare.Pop();
        ForChunks(todo.Length, i =>
        {
            var (individual, parent) = todo[i];
            if (parent is null)
            {
                var made = Genome.Random(Options, RngStream.Derive(_childSeed, $"child/{individual.Id}/random"), ProteinsOn, individual.Genome);
                if (!ReferenceEquals(made, individual.Genome)) throw new InvalidOperationException("a random genome must be written in place");
                return;
            }
            var streams = RngStream.Derive(_childSeed, $"child/{individual.Id}");
            var indices = RngStream.Derive(_childSeed, $"child/{individual.Id}/indices");
            var child = mutation.Mutate(parent, new MutationContext(streams, indices, _pendingGeneration, Options.IndexUniverse) { Spare = spares[i] });
            if (ProteinsOn && child.Proteins.Length > 0)
                Proteins.Mutate(child.Proteins, Options.Proteins.Rate, Options.Proteins.Scale, RngStream.Derive(_childSeed, $"child/{individual.Id}/proteins"));
            individual.Genome = child;
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> for 0..count-1 in one task per thread, task c taking items c, c + tasks, … (few tasks: the
    /// items take microseconds, so per-item scheduling would cost more than it balances; striding spreads the mutants and
    /// the costlier random genomes, which come last, evenly).
    /// </summary>
    private void ForChunks(int count, Action<int> body) =>
        ForTasks(count, (task, tasks) =>
        {
            for (int i = task; i < count; i += tasks) body(i);
        });

    /// <summary>Runs <paramref name="body"/>(task, tasks) for min(threads, count) tasks, in parallel when there are several.</summary>
    private void ForTasks(int count, Action<int, int> body)
    {
        int tasks = Math.Max(1, Math.Min(_threads, count));
        if (tasks == 1) body(0, 1);
        else Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, t => body(t, tasks));
    }

    /// <summary>Feeds the share of last generation's mutants that beat their parent to the mutation strategy (the 1/5 rule).</summary>
    private void ObserveMutants()
    {
        if (_parentFitness.Count == 0) return;
        int wins = 0, count = 0;
        foreach (var m in _population.Members)
            if (_parentFitness.TryGetValue(m.Id, out double pf)) { count++; if (m.Fitness > pf) wins++; }
        _lastSuccess = count == 0 ? double.NaN : wins / (double)count;
        if (count > 0) Mutation.Current.Observe(_lastSuccess);
        _parentFitness.Clear();
    }

    /// <summary>
    /// Evaluates (in parallel) every individual without a cached evaluation — all of them when columns are re-sampled — and
    /// sets its fitness with the current <c>fitness</c> strategy. Each evaluation depends only on its genome, the generation and
    /// its id, so results never depend on the thread count.
    /// </summary>
    [ThreadStatic] private static Workspace? t_workspace;

    private void EvaluateAll(IReadOnlyList<Individual<Genome>> members, long gen)
    {
        Materialize();
        bool fresh = !Features.Deterministic;
        int repeats = fresh ? _o.Repeats : 1;
        // Common random numbers: every genome of the generation sees the same draws of the re-sampled columns.
        ulong[]? common = fresh && _o.CommonRandomNumbers ? EvolutionRng.CommonSeeds(GaussianSeed, gen, repeats) : null;
        var todo = members.Where(m => fresh || m.Genome.Eval is null).ToArray();
        if (todo.Length > 0)
        {
            // One chunk of genomes per thread: its networks (predictions kept), then its protein cascades in vector batches.
            bool proteins = ProteinsOn;
            var evals = new Evaluation[todo.Length * repeats];
            ForTasks(todo.Length, (c, chunks) =>
            {
                var ws = t_workspace ??= new Workspace();
                for (int i = c; i < todo.Length; i += chunks)
                {
                    var g = todo[i].Genome;
                    for (int r = 0; r < repeats; r++)
                    {
                        var gaussian = Features.Deterministic ? null
                            : common is not null ? new RngStream(common[r])
                            : repeats == 1 ? EvolutionRng.ForIndividual(GaussianSeed, gen, todo[i].Id)
                            : EvolutionRng.ForIndividual(GaussianSeed, gen, todo[i].Id, r);
                        evals[i * repeats + r] = Network.Evaluate(g, Features, Model.Task, Options, proteins: false, gaussian, ws, keepPredictions: proteins);
                    }
                }
                if (!proteins) return;
                var with = Enumerable.Range(0, evals.Length).Where(k => k / repeats % chunks == c && todo[k / repeats].Genome.Proteins.Length > 0).ToArray();
                Network.ProteinsOf(with.Select(k => todo[k / repeats].Genome).ToArray(), with.Select(k => evals[k]).ToArray(), Model.Task, Options);
            });
            for (int i = 0; i < todo.Length; i++)
            {
                var g = todo[i].Genome;
                g.Eval = evals[i * repeats];
                g.Repeats = repeats == 1 && common is null ? null : evals.AsSpan(i * repeats, repeats).ToArray();
            }
        }
        var fitness = Fitness.Current;
        foreach (var m in members)
        {
            var g = m.Genome;
            m.Fitness = g.Repeats is { } all ? Aggregate(all.Select(e => fitness.Score(g, e)).ToList()) : fitness.Score(g, g.Eval!);
        }
    }

    /// <summary>Fitness over repeated evaluations (re-sampled columns only), by <c>trainer.aggregate</c>.</summary>
    private double Aggregate(IReadOnlyList<double> scores) => _o.Aggregate switch
    {
        FitnessAggregate.MeanMinusStd => FitnessAggregation.MeanPlusLambdaStd(scores, -_o.AggregateLambda),
        FitnessAggregate.Worst => FitnessAggregation.WorstCase(scores, _o.FailurePenalty),
        _ => FitnessAggregation.Mean(scores),
    };

    public void Save(IStateWriter writer)
    {
        SaveBase(writer);
        _population.Save(writer.Section("population"));
        writer.WriteInt64s("parent_ids", _parentFitness.Keys.ToArray());
        writer.WriteDoubles("parent_fitness", _parentFitness.Values.ToArray());
        writer.WriteDouble("last_success", _lastSuccess);
    }

    public void Load(IStateReader reader)
    {
        LoadBase(reader);
        _population.Load(reader.Section("population"));
        _spare.Clear();
        _championId = -1;
        _beforeWindow = (0, double.PositiveInfinity);
        var ids = reader.ReadInt64s("parent_ids", out _);
        var fit = reader.ReadDoubles("parent_fitness", out _);
        _parentFitness.Clear();
        for (int i = 0; i < ids.Length; i++) _parentFitness[ids[i]] = fit[i];
        _lastSuccess = reader.ReadDouble("last_success");
    }
}
