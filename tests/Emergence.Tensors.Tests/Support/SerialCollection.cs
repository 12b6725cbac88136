namespace Emergence.Tensors.Tests.Support;

/// <summary>Tests that read process-wide GC counters; run alone so other tests' garbage does not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial (GC counters)";
}
