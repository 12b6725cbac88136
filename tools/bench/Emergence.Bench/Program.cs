using System.Reflection;

namespace Emergence.Bench;

/// <summary>A benchmark: measures ours and its peer in one run and prints absolute figures and ratios.</summary>
internal interface IBench
{
    /// <summary>Name used on the command line, e.g. <c>checkpoint</c>.</summary>
    string Name { get; }

    /// <summary>One line: what is measured against which peer.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark; <paramref name="quick"/> shrinks it to a smoke test.</summary>
    void Run(bool quick);
}

internal static class Program
{
    private static int Main(string[] args)
    {
        var benches = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBench).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => (IBench)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        bool quick = args.Contains("--quick");
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (names.Count == 0 || names.Contains("list"))
        {
            Console.WriteLine("usage: bench [--quick] NAME... | all");
            foreach (var b in benches) Console.WriteLine($"  {b.Name,-20} {b.Description}");
            return names.Count == 0 ? 2 : 0;
        }
        var selected = names.Contains("all") ? benches : benches.Where(b => names.Contains(b.Name)).ToList();
        var unknown = names.Where(n => n != "all" && benches.All(b => b.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown benchmark(s): {string.Join(", ", unknown)}; run 'bench list'");
            return 2;
        }
        Console.WriteLine($"# {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, " +
                          $".NET {Environment.Version}, Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        foreach (var b in selected)
        {
            Console.WriteLine($"\n## {b.Name}: {b.Description}");
            b.Run(quick);
        }
        return 0;
    }
}
