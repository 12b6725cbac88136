using Emergence.Contracts.Random;

namespace Emergence.Evolution;

/// <summary>Replacement schemes that build the next generation from a ranked population.</summary>
public static class Generations
{
    /// <summary>
    /// (μ+λ): the best <paramref name="mu"/> of parents and offspring together survive. Ranking is stable (fitness, then id),
    /// so an offspring that only ties a parent does not displace it.
    /// </summary>
    public static List<Individual<TGenome>> MuPlusLambda<TGenome>(IEnumerable<Individual<TGenome>> parents,
        IEnumerable<Individual<TGenome>> offspring, int mu) =>
        Population<TGenome>.Rank(parents.Concat(offspring)).Take(mu).ToList();

    /// <summary>
    /// Elites with senescence: the best <paramref name="count"/> individuals younger than <paramref name="maxAge"/>
    /// generations; an old champion retires instead of blocking the population forever.
    /// </summary>
    public static List<Individual<TGenome>> Elites<TGenome>(Population<TGenome> population, int count, int maxAge) =>
        population.Ranked().Where(i => i.Age < maxAge).Take(count).ToList();

    /// <summary>Random immigrants ("aliens"): <paramref name="count"/> fresh individuals with no parents.</summary>
    public static List<Individual<TGenome>> Immigrants<TGenome>(Population<TGenome> population, int count, Func<RngStream, TGenome> random,
        RngStream rng) =>
        Enumerable.Range(0, count).Select(_ => population.Create(random(rng))).ToList();
}
