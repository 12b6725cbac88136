using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Evolution;

namespace Emergence.Plugins.Genreg.Tests;

/// <summary>GA, SA, HC and backprop: operators, determinism across thread counts, exact resume, live swaps, qualitative results.</summary>
public class TrainerTests
{
    private static GaTrainer Ga(Harness h) => (GaTrainer)h.Trainer;

    private static Func<Harness, TrainerContext, ITrainer> WithGa(GaOptions o) => (h, c) => new GaTrainer(h.Model, o, c);

    private static Func<Harness, TrainerContext, ITrainer> Search(SearchKind kind, SearchOptions? o = null) =>
        (h, c) => new SearchTrainer(h.Model, o ?? new SearchOptions { SaSteps = 2000, HcSteps = 1000, Patience = 300, ProposalsPerStep = 100, LogEvery = 500 }, kind, c);

    [Fact]
    public void Tiers_keep_20_percent_elites_and_30_percent_survivors_give_each_elite_two_children_and_add_four_immigrants()
    {
        var h = new Harness(1, Harness.Config(16, 48, 8));
        h.Run(1); // evaluates generation 0 and builds generation 1
        var members = Ga(h).Population.Members;
        members.Should().HaveCount(40);
        var kept = members.Take(20).ToList();
        kept.Should().OnlyContain(m => m.Age == 1 && m.BirthGeneration == 0 && !double.IsNaN(m.Fitness));
        kept.Select(m => m.Fitness).Should().BeInDescendingOrder("ranks 0–19 pass unchanged, in rank order");
        var children = members.Skip(20).Take(16).ToList();
        children.Select(c => c.Parents.Single()).Should().Equal(Enumerable.Range(0, 16).Select(i => kept[i % 8].Id), "child i clones elite i mod 8");
        children.Should().OnlyContain(c => c.Age == 0 && double.IsNaN(c.Fitness));
        members.Skip(36).Should().OnlyContain(m => m.Parents.Length == 0, "the remaining 4 are random immigrants");
    }

    [Fact]
    public void Gaussian_mutation_changes_about_rate_of_the_weights_by_about_scale_and_index_swaps_keep_indices_distinct()
    {
        var o = Harness.Config(16, 240, 8, m => { m.Connectivity = Connectivity.Sparse; m.KInputs = 4; });
        var rng = new RngStream(3);
        var parent = Genome.Random(o, rng, proteins: false);
        var ctx = new MutationContext(new RngStream(4), new RngStream(5), 0, 256);
        int changed = 0, total = 0, swapped = 0;
        var deltas = new List<double>();
        var picked = new int[256];
        for (int t = 0; t < 4000; t++)
        {
            var child = Mutations.Gaussian(parent, 0.1, 0.1, 0.05, ctx);
            foreach (var (a, b) in parent.Tensors().Zip(child.Tensors()))
                for (int i = 0; i < a.Length; i++)
                {
                    total++;
                    if (a[i] != b[i]) { changed++; deltas.Add(b[i] - a[i]); }
                }
            for (int j = 0; j < 8; j++)
            {
                var idx = child.Idx.AsSpan(j * 4, 4).ToArray();
                idx.Distinct().Should().HaveCount(4);
                idx.Should().OnlyContain(i => i >= 0 && i < 256);
                var diff = idx.Except(parent.Idx.AsSpan(j * 4, 4).ToArray()).ToArray();
                diff.Length.Should().BeLessThanOrEqualTo(1, "one slot per unit moves");
                if (diff.Length == 1) { swapped++; picked[diff[0]]++; }
            }
        }
        (changed / (double)total).Should().BeApproximately(0.1, 0.005);
        Math.Sqrt(deltas.Average(d => d * d)).Should().BeApproximately(0.1, 0.005);
        (swapped / (4000.0 * 8)).Should().BeApproximately(0.05, 0.006);
        var unused = Enumerable.Range(0, 256).Where(i => !parent.Idx.Contains(i)).ToArray();
        picked.Max().Should().BeLessThan(4 * swapped / unused.Length, "new indices are spread over all inputs a unit does not read");
        unused.Count(i => picked[i] > 0).Should().BeGreaterThan(unused.Length * 9 / 10);
    }

    [Fact]
    public void Masked_gaussian_hits_every_position_at_the_rate_and_positions_independently()
    {
        // 130 elements: two 64-element mask words and a scalar tail of 2.
        var rng = new RngStream(11);
        const int n = 130, trials = 20000;
        var hits = new int[n];
        int both = 0;
        for (int t = 0; t < trials; t++)
        {
            var v = new double[n];
            Mutations.MaskedGaussian(v, 0.1, 1.0, rng);
            for (int i = 0; i < n; i++) if (v[i] != 0) hits[i]++;
            if (v[63] != 0 && v[64] != 0) both++;
        }
        double sd = Math.Sqrt(0.1 * 0.9 / trials);
        for (int i = 0; i < n; i++) (hits[i] / (double)trials).Should().BeApproximately(0.1, 5 * sd, $"position {i}");
        (both / (double)trials).Should().BeApproximately(0.01, 0.004, "neighbours across a mask word mutate independently");
    }

    [Fact]
    public void A_GA_run_does_not_depend_on_the_thread_count()
    {
        string Run(int threads, int noise)
        {
            var h = new Harness(7, Harness.Config(16, noise, 8, o => o.Threads = threads));
            h.Run(25);
            return h.Dump();
        }
        Run(1, 240).Should().Be(Run(2, 240)).And.Be(Run(4, 240));
        Run(1, 496).Should().Be(Run(3, 496), "re-sampled Gaussian columns come from per-individual streams");
    }

    [Theory]
    [InlineData("tiered")]
    [InlineData("mu_plus_lambda")]
    [InlineData("tournament")]
    public void Reused_genomes_never_touch_a_living_one_every_cached_evaluation_matches_its_genome(string selection)
    {
        // Children are written into the genomes of individuals that left the population; a genome reused while still alive
        // would no longer match the evaluation cached with it.
        var h = new Harness(13, Harness.Config(16, 240, 8), strategies: s =>
        {
            if (selection == "tournament") s.Slots.Set<IGenerationScheme>("selection", new TournamentGeneration(new TournamentOptions { Immigrants = 3, MaxAge = 5 }));
            if (selection == "mu_plus_lambda") s.Slots.Set<IGenerationScheme>("selection", new MuPlusLambdaGeneration(new MuPlusLambdaOptions()));
        });
        var ga = (GaTrainer)h.Trainer;
        var ws = new Workspace();
        for (int round = 0; round < 6; round++)
        {
            h.Run(10);
            var members = ga.Population.Members;
            members.Select(m => m.Genome).Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(members.Count);
            foreach (var m in members.Where(m => m.Genome.Eval is not null))
            {
                var fresh = Network.Evaluate(m.Genome, h.Model.Features!, h.Model.Task, h.Options, true, null, ws);
                fresh.Mse.Should().Be(m.Genome.Eval!.Mse, $"individual {m.Id} after {10 * (round + 1)} generations");
                fresh.Trust.Should().Be(m.Genome.Eval!.Trust);
            }
        }
        // The champion (best of the last recorded generation) is an elite, so it lives on, as a copy of its own.
        if (selection != "tournament")
            ga.Population.Members.Should().Contain(m => m.Genome.W1.SequenceEqual(h.Model.Champion!.W1) && !ReferenceEquals(m.Genome, h.Model.Champion));
    }

    [Theory]
    [InlineData("tiered", 240)]
    [InlineData("tiered", 496)]
    [InlineData("tournament", 48)]
    [InlineData("mu_plus_lambda", 48)]
    [InlineData("one_fifth", 48)]
    public void A_GA_resumed_mid_evolution_continues_bit_identically(string variant, int noise)
    {
        void Strategies(Harness h)
        {
            if (variant == "tournament") h.Slots.Set<IGenerationScheme>("selection", new TournamentGeneration(new TournamentOptions { Immigrants = 3, MaxAge = 5 }));
            if (variant == "mu_plus_lambda") h.Slots.Set<IGenerationScheme>("selection", new MuPlusLambdaGeneration(new MuPlusLambdaOptions()));
            if (variant == "one_fifth") h.Slots.Set<IMutation>("mutation", new OneFifthMutation(new OneFifthOptions()));
        }
        var straight = new Harness(11, Harness.Config(16, noise, 8), strategies: Strategies);
        straight.Run(30);

        var first = new Harness(11, Harness.Config(16, noise, 8), strategies: Strategies);
        first.Run(13);
        var state = new MemoryState();
        first.Save(state);
        var resumed = new Harness(11, Harness.Config(16, noise, 8), strategies: Strategies);
        resumed.Load(state);
        resumed.Run(17);
        resumed.Dump().Should().Be(straight.Dump());
        resumed.Model.Trajectory.Rows.Should().HaveCount(30);
    }

    [Theory]
    [InlineData("sa")]
    [InlineData("hc")]
    [InlineData("sa_then_hc")]
    public void SA_and_HC_resumed_mid_chain_continue_bit_identically(string name)
    {
        var kind = name switch { "sa" => SearchKind.Sa, "hc" => SearchKind.Hc, _ => SearchKind.SaThenHc };
        var o = Harness.Config(16, 240, 8, m => { m.Connectivity = Connectivity.Sparse; m.KInputs = 2; });
        var straight = new Harness(5, o, Search(kind));
        long steps = straight.Run(1000);
        steps.Should().BeLessThan(1000, "the chain ends within its budget");

        var first = new Harness(5, o, Search(kind));
        first.Run(steps / 2);
        var state = new MemoryState();
        first.Save(state);
        var resumed = new Harness(5, o, Search(kind));
        resumed.Load(state);
        resumed.Run(1000).Should().Be(steps - steps / 2);
        resumed.Dump().Should().Be(straight.Dump());
    }

    [Fact]
    public void Simulated_annealing_improves_an_ultra_sparse_genome_and_hill_climbing_never_accepts_a_worse_one()
    {
        var o = Harness.Config(16, 240, 8, m => { m.Connectivity = Connectivity.Sparse; m.KInputs = 2; });
        var sa = new Harness(2, o, Search(SearchKind.Sa, new SearchOptions { SaSteps = 6000, ProposalsPerStep = 200, LogEvery = 200 }));
        sa.Run(1000);
        var mse = sa.Model.Trajectory.Column("mse_best").ToArray();
        mse[^1].Should().BeLessThan(mse[0] / 3);
        sa.Model.Trajectory.Column("mse_current").Zip(mse).Should().Contain(p => p.First > p.Second, "annealing accepts worse states");

        var hc = new Harness(2, o, Search(SearchKind.Hc, new SearchOptions { HcSteps = 3000, Patience = 0, ProposalsPerStep = 100, LogEvery = 100 }));
        hc.Run(1000);
        var cur = hc.Model.Trajectory.Column("mse_current").ToArray();
        cur.Zip(cur.Skip(1)).Should().OnlyContain(p => p.Second <= p.First);
        cur.Should().Equal(hc.Model.Trajectory.Column("mse_best"));
    }

    [Fact]
    public void Hill_climbing_restarts_after_its_patience_and_keeps_the_best_over_restarts()
    {
        var o = Harness.Config(16, 0, 4);
        var h = new Harness(3, o, Search(SearchKind.Hc, new SearchOptions { HcSteps = 400, Patience = 20, Restarts = 3, ProposalsPerStep = 50, LogEvery = 50 }));
        h.Run(1000);
        h.Events.Events.Count(e => e.Type == "restart").Should().Be(2);
        h.Events.Events.Should().Contain(e => e.Type == "finished");
    }

    [Fact]
    public void Swapping_selection_at_a_generation_boundary_keeps_the_population_lineage_and_streams()
    {
        var h = new Harness(9, Harness.Config(16, 48, 8));
        h.Run(10);
        var ga = Ga(h);
        var membersBefore = ga.Population.Members.Select(m => m.Id).ToArray();
        long generation = ga.Population.Generation;
        var mutationStream = h.Rng("mutation").GetState();
        h.Slots.Set<IGenerationScheme>("selection", new TournamentGeneration(new TournamentOptions { K = 2, Elites = 4 }), "tournament");
        ga.Population.Members.Select(m => m.Id).Should().Equal(membersBefore, "a swap changes nothing until the next generation");
        h.Rng("mutation").GetState().Should().Be(mutationStream);

        h.Run(1);
        ga.Population.Generation.Should().Be(generation + 1);
        var next = ga.Population.Members;
        next.Take(4).Should().OnlyContain(m => membersBefore.Contains(m.Id), "tournament keeps its 4 elites from the existing population");
        next.Skip(4).Should().OnlyContain(m => m.Id > membersBefore.Max() && m.Parents.Length == 1, "ids keep counting; children of existing parents");
        h.Model.Trajectory.Column("generation").Should().Equal(Enumerable.Range(0, 11).Select(i => (double)i));
    }

    [Fact]
    public void Noise_drives_saturation_as_in_the_sweep_n0_stays_unsaturated_and_n4_saturates()
    {
        var ga = new GaOptions { MaxGenerations = 400, StagnationWindow = 0 };
        double K(int noise, ulong seed)
        {
            var h = new Harness(seed, Harness.Config(16, noise, 8), WithGa(ga));
            h.Run(400);
            var t = h.Model.Trajectory;
            if (noise > 0)
                t.Rows[^1][t.Index("trust_multiplier")].Should().BeApproximately(0.1, 1e-9, "the inverted trust sign drives the multiplier to its floor (spec §9.5)");
            return t.Rows[^1][t.Index("k_mlp")];
        }
        ulong[] seeds = [42, 43, 44];
        seeds.Average(s => K(0, s)).Should().BeLessThanOrEqualTo(1, "N0: no noise, (almost) no saturated units");
        seeds.Average(s => K(240, s)).Should().BeGreaterThanOrEqualTo(5.5, "N4: most of the 8 units saturate");
    }

    [Fact]
    public void Repeated_evaluations_on_common_random_numbers_give_equal_genomes_equal_fitness_and_resume_exactly()
    {
        GaOptions Options(bool crn) => new() { Repeats = 4, CommonRandomNumbers = crn, Aggregate = FitnessAggregate.MeanMinusStd, StagnationWindow = 0 };
        var crn = new Harness(8, Harness.Config(16, 496, 8), WithGa(Options(true)));
        crn.Run(3);
        var ga = Ga(crn);
        var a = ga.Population.Members[0];
        var twin = ga.Population.Create(a.Genome.Clone());
        ga.Population.Members.Add(twin);
        crn.Run(1);
        twin.Fitness.Should().Be(a.Fitness, "same genome, same common draws");
        a.Genome.Repeats.Should().HaveCount(4);
        a.Genome.Repeats!.Select(e => e.Mse).Distinct().Should().HaveCount(4, "four different draws of the Gaussian columns");

        var own = new Harness(8, Harness.Config(16, 496, 8), WithGa(Options(false)));
        own.Run(3);
        var b = Ga(own).Population.Members[0];
        var twin2 = Ga(own).Population.Create(b.Genome.Clone());
        Ga(own).Population.Members.Add(twin2);
        own.Run(1);
        twin2.Fitness.Should().NotBe(b.Fitness, "without common random numbers each genome gets its own draws");

        var straight = new Harness(9, Harness.Config(16, 496, 8, o => o.Threads = 1), WithGa(Options(true)));
        straight.Run(12);
        var first = new Harness(9, Harness.Config(16, 496, 8, o => o.Threads = 3), WithGa(Options(true)));
        first.Run(5);
        var state = new MemoryState();
        first.Save(state);
        var resumed = new Harness(9, Harness.Config(16, 496, 8, o => o.Threads = 2), WithGa(Options(true)));
        resumed.Load(state);
        resumed.Run(7);
        resumed.Dump().Should().Be(straight.Dump());
    }

    [Fact]
    public void The_GA_stops_at_target_stagnation_or_budget_and_records_milestones()
    {
        var h = new Harness(1, Harness.Config(16, 0, 8), WithGa(new GaOptions { MaxGenerations = 5000, TargetMse = 0.02, StagnationWindow = 0 }));
        long steps = h.Run(5000);
        h.Model.StopReason.Should().Be("target_mse");
        h.Model.Milestones.Should().NotContainKey(0.01, "the run stopped at 0.02 before reaching 0.01");
        steps.Should().Be(h.Model.Trajectory.Rows.Count);
        h.Model.Trajectory.Column("mse_best").Last().Should().BeLessThan(0.02);

        var stuck = new Harness(1, Harness.Config(16, 0, 8), WithGa(new GaOptions { StagnationWindow = 5, StagnationDelta = 10 }));
        stuck.Run(100).Should().Be(5, "ends rule: hist[-5] − hist[-1] < 10 as soon as 5 rows exist");
        stuck.Model.StopReason.Should().Be("stagnation");

        // best rule: stop at the first generation where the best before the last w rows beats the best inside them by < delta.
        const int w = 20;
        const double delta = 2e-3;
        var best = new Harness(3, Harness.Config(16, 240, 8), WithGa(new GaOptions { StagnationWindow = w, StagnationDelta = delta, StagnationRule = StagnationRule.Best, MaxGenerations = 3000 }));
        long ran = best.Run(3000);
        best.Model.StopReason.Should().Be("stagnation");
        var hist = best.Model.Trajectory.Column("mse_best").ToArray();
        bool Stagnant(int rows) => rows > w && hist[..(rows - w)].Min() - hist[(rows - w)..rows].Min() < delta;
        ran.Should().BeGreaterThan(w + 1, "the run improves by more than delta at first");
        Stagnant((int)ran).Should().BeTrue();
        Enumerable.Range(1, (int)ran - 1).Where(Stagnant).Should().BeEmpty("it stops at the first stagnant generation");
    }

    [Fact]
    public void Backprop_fits_the_sine_and_resumes_exactly_and_the_sparse_baseline_trains_only_its_connections()
    {
        var bp = new BackpropOptions { Epochs = 300, EpochsPerStep = 20 };
        var dense = new Harness(3, Harness.Config(16, 240, 8), (h, c) => new BackpropTrainer(h.Model, bp, c));
        dense.Run(100);
        dense.Model.Trajectory.Column("mse").Last().Should().BeLessThan(0.01);

        var first = new Harness(3, Harness.Config(16, 240, 8), (h, c) => new BackpropTrainer(h.Model, bp, c));
        first.Run(7);
        var state = new MemoryState();
        first.Save(state);
        var resumed = new Harness(3, Harness.Config(16, 240, 8), (h, c) => new BackpropTrainer(h.Model, bp, c));
        resumed.Load(state);
        resumed.Run(100);
        resumed.Dump().Should().Be(dense.Dump());

        var sparseOptions = Harness.Config(16, 240, 8, m => { m.Connectivity = Connectivity.Sparse; m.KInputs = 2; });
        var given = new BackpropOptions { Epochs = 200, EpochsPerStep = 50, Indices = Enumerable.Range(0, 16).ToList() };
        var sparse = new Harness(3, sparseOptions, (h, c) => new BackpropTrainer(h.Model, given, c));
        sparse.Run(10);
        var champion = sparse.Model.Champion!;
        champion.Idx.Should().Equal(Enumerable.Range(0, 16));
        sparse.Model.Trajectory.Column("mse").Last().Should().BeLessThan(sparse.Model.Trajectory.Column("mse").First());
        sparse.Model.Trajectory.Column("true_input_ratio").Last().Should().Be(1);
    }
}
