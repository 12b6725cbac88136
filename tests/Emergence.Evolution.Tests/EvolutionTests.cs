using Emergence.Contracts.Random;

namespace Emergence.Evolution.Tests;

public sealed class OperatorTests
{
    [Fact]
    public void Tournament_selection_prefers_better_ranks_more_strongly_with_larger_tournaments()
    {
        var fitness = Enumerable.Range(0, 10).Select(i => 10.0 - i).ToList();
        double MeanRank(int k)
        {
            var picks = new TournamentSelection(k).Select(fitness, 20_000, new RngStream(1));
            return picks.Average();
        }
        MeanRank(1).Should().BeApproximately(4.5, 0.1, "k = 1 is uniform");
        // E[min of k uniform ranks over 0..9]: k=2 → 2.85, k=3 → 2.025.
        MeanRank(2).Should().BeApproximately(2.85, 0.1);
        MeanRank(3).Should().BeApproximately(2.025, 0.1);
    }

    [Fact]
    public void Truncation_picks_only_from_the_top_fraction_uniformly()
    {
        var picks = new TruncationSelection(0.25).Select(Enumerable.Repeat(1.0, 20).ToList(), 10_000, new RngStream(2));
        picks.Should().OnlyContain(p => p < 5);
        picks.GroupBy(p => p).Should().HaveCount(5).And.OnlyContain(g => Math.Abs(g.Count() - 2000) < 200);
    }

    [Fact]
    public void Masked_gaussian_mutation_changes_each_gene_with_the_given_rate_and_scale()
    {
        var rng = new RngStream(3);
        var genome = new double[1000];
        var child = Mutation.MaskedGaussian(genome, 0.1, 2.0, rng);
        var changed = child.Where(v => v != 0).ToList();
        changed.Count.Should().BeInRange(70, 130);
        Math.Sqrt(changed.Average(v => v * v)).Should().BeApproximately(2.0, 0.35);
        genome.Should().OnlyContain(v => v == 0, "the parent is untouched");
    }

    [Fact]
    public void Index_swap_keeps_indices_distinct_and_in_range()
    {
        var rng = new RngStream(4);
        var genome = new[] { 0, 1, 2, 3 };
        for (int i = 0; i < 200; i++)
        {
            genome = Mutation.IndexSwap(genome, 10, 0.5, rng);
            genome.Should().OnlyHaveUniqueItems().And.OnlyContain(x => x >= 0 && x < 10);
        }
    }

    [Fact]
    public void Crossovers_take_genes_from_the_parents_or_between_them()
    {
        var rng = new RngStream(5);
        double[] a = [0, 0, 0, 0, 0, 0], b = [1, 1, 1, 1, 1, 1];
        Crossover.Uniform(a, b, rng).Should().OnlyContain(v => v == 0 || v == 1);
        var one = Crossover.OnePoint(a, b, rng);
        one.Should().BeInAscendingOrder("a prefix of a, then b");
        var blend = Enumerable.Range(0, 500).SelectMany(_ => Crossover.Blend(a, b, 0.5, rng)).ToList();
        blend.Should().OnlyContain(v => v >= -0.5 && v <= 1.5);
        blend.Should().Contain(v => v < 0).And.Contain(v => v > 1);
    }

    [Fact]
    public void Fitness_aggregation_follows_its_definitions()
    {
        double[] scores = [1, 2, 3, double.NaN];
        FitnessAggregation.WorstCase(scores, -100).Should().Be(-100);
        FitnessAggregation.Mean([1, 2, 3]).Should().Be(2);
        FitnessAggregation.MeanPlusLambdaStd([1, 2, 3], -1).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Named_genes_mutate_in_normalised_space_and_stay_in_range()
    {
        var genes = new NamedGenes([new GeneSpec("lr", 1e-4, 1e-1, Log: true), new GeneSpec("layers", 1, 8, Integer: true)]);
        var rng = new RngStream(6);
        var g = genes.Sample(rng);
        for (int i = 0; i < 500; i++)
        {
            g = genes.Mutate(g, 1.0, 0.3, rng);
            g[0].Should().BeInRange(1e-4, 1e-1);
            g[1].Should().BeInRange(1, 8).And.Be(Math.Round(g[1]));
        }
        genes.Specs[0].Normalise(Math.Sqrt(1e-4 * 1e-1)).Should().BeApproximately(0.5, 1e-12, "log genes are uniform in log space");
    }

    [Fact]
    public void Tier_counts_fill_the_population()
    {
        new TierPlan(10, 20, 30, 10).Counts(40).Should().Be((4, 8, 12, 4, 12));
        var act = () => new TierPlan(60, 60, 0, 0).Counts(10);
        act.Should().Throw<ArgumentException>();
    }
}

public sealed class PopulationTests
{
    private static Population<double[]> Make(int size, ulong seed)
    {
        var population = new Population<double[]>(RealCodec.Instance);
        var rng = new RngStream(seed);
        for (int i = 0; i < size; i++) population.Members.Add(population.Create(Enumerable.Range(0, 8).Select(_ => rng.NextNormal()).ToArray()));
        return population;
    }

    private static double Score(double[] genome, RngStream rng) => -genome.Sum(x => x * x) + 0.01 * rng.NextNormal();

    [Fact]
    public void Parallel_evaluation_does_not_depend_on_the_thread_count()
    {
        var (a, b) = (Make(40, 1), Make(40, 1));
        var seeds = EvolutionRng.CommonSeeds(9, 0, 3);
        Evaluator.Evaluate(a, seeds, Score, FitnessAggregation.Mean, threads: 1);
        Evaluator.Evaluate(b, seeds, Score, FitnessAggregation.Mean, threads: 4);
        a.Members.Select(m => m.Fitness).Should().Equal(b.Members.Select(m => m.Fitness));
    }

    [Fact]
    public void Ranking_is_stable_and_a_saved_population_restores_exactly()
    {
        var population = Make(6, 2);
        foreach (var m in population.Members) m.Fitness = m.Id % 2 == 0 ? 1 : 2;
        population.Ranked().Select(m => m.Id).Should().Equal(1, 3, 5, 0, 2, 4);

        var child = population.Create(Mutation.MaskedGaussian(population.Members[0].Genome, 0.5, 1, new RngStream(3)), 0);
        population.Advance(population.Ranked().Take(3).Append(child));
        population.Generation.Should().Be(1);
        population.Members.Single(m => m.Id == 1).Age.Should().Be(1);
        child.Age.Should().Be(0, "a newborn has survived no generation yet");
        child.Parents.Should().Equal(0L);

        var state = new MemoryState();
        population.Save(state);
        var restored = new Population<double[]>(RealCodec.Instance);
        restored.Load(state);
        var again = new MemoryState();
        restored.Save(again);
        again.Dump().Should().Be(state.Dump());
        restored.Create([0.0]).Id.Should().Be(population.Create([0.0]).Id, "the id counter is part of the state");
    }

    [Fact]
    public void Hill_climbing_never_accepts_worse_and_annealing_sometimes_does()
    {
        double F(double[] g) => -Math.Abs(g[0] - 3);
        double[] Propose(double[] g, RngStream rng) => [g[0] + rng.NextNormal()];
        var climber = new Annealer<double[]>([0.0], F([0.0]), temperature: 0, decay: 1);
        var annealer = new Annealer<double[]>([0.0], F([0.0]), temperature: 5, decay: 0.999);
        var (r1, r2) = (new RngStream(7), new RngStream(7));
        double last = climber.CurrentFitness;
        int worseAccepted = 0;
        for (int i = 0; i < 2000; i++)
        {
            climber.Step(Propose, F, r1);
            climber.CurrentFitness.Should().BeGreaterThanOrEqualTo(last);
            last = climber.CurrentFitness;
            double before = annealer.CurrentFitness;
            if (annealer.Step(Propose, F, r2) && annealer.CurrentFitness < before) worseAccepted++;
        }
        climber.BestFitness.Should().BeGreaterThan(-0.05);
        worseAccepted.Should().BeGreaterThan(0);
        annealer.Temperature.Should().BeApproximately(5 * Math.Pow(0.999, 2000), 1e-9);
    }
}

public sealed class GenerationTests
{
    private static Population<double[]> WithFitness(params double[] fitness)
    {
        var population = new Population<double[]>(RealCodec.Instance);
        foreach (var f in fitness)
        {
            var m = population.Create([f]);
            m.Fitness = f;
            population.Members.Add(m);
        }
        return population;
    }

    [Fact]
    public void Mu_plus_lambda_keeps_the_best_of_parents_and_offspring_and_parents_win_ties()
    {
        var parents = WithFitness(5, 3, 1);
        var offspring = new List<Individual<double[]>>();
        foreach (var f in new[] { 4.0, 3.0, 0.0 })
        {
            var child = parents.Create([f], 0);
            child.Fitness = f;
            offspring.Add(child);
        }
        var next = Generations.MuPlusLambda(parents.Members, offspring, 3);
        next.Select(i => i.Fitness).Should().Equal(5, 4, 3);
        next[2].Id.Should().Be(1, "the parent with fitness 3 is older than the offspring that ties it");
    }

    [Fact]
    public void Elites_with_senescence_retire_old_champions_and_immigrants_have_no_parents()
    {
        var population = WithFitness(9, 8, 7, 6);
        population.Members[0].Age = 5;
        Generations.Elites(population, 2, maxAge: 5).Select(i => i.Fitness).Should().Equal(8, 7);
        var aliens = Generations.Immigrants(population, 3, rng => new[] { rng.NextDouble() }, new RngStream(1));
        aliens.Should().HaveCount(3).And.OnlyContain(a => a.Parents.Length == 0);
        aliens.Select(a => a.Id).Should().Equal(4, 5, 6);
    }
}
