using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Emergence.Contracts.Random;

namespace Emergence.Fuzz;

/// <summary>
/// <c>Emergence.Fuzz --seconds N --seed S [--corpus DIR] [--regressions DIR]</c>: feeds random and
/// mutated MessagePack documents and checkpoints to the decoder and the checkpoint reader. A crash
/// (any exception other than the expected format/corrupt/state exceptions), an input that takes too
/// long, or one that allocates beyond the bound is saved as a regression input and reported.
/// Exit code: 0 no findings, 1 findings, 2 usage.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (!TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("usage: Emergence.Fuzz --seconds N --seed S [--corpus DIR] [--regressions DIR]");
            return 2;
        }
        var seeds = Seeds.Build(options.Corpus);
        var mutator = new Mutator(new RngStream(options.Seed), seeds);
        var target = new FuzzTarget();
        var findings = new Findings(options.Regressions);
        using var watchdog = new Watchdog(TimeSpan.FromSeconds(10), findings);
        var counts = new long[Mutator.Strategies.Length];
        long inputs = 0, accepted = 0, checkpoints = 0, maxTicks = 0;
        double maxAllocRatio = 0;
        var clock = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(options.Seconds);
        Console.WriteLine($"fuzzing for {options.Seconds} s, seed {options.Seed}, {seeds.Count} seeds, regressions -> {findings.Directory}");
        while (clock.Elapsed < budget)
        {
            var input = mutator.Next(out int strategy);
            counts[strategy]++;
            inputs++;
            watchdog.Begin(input);
            var outcome = target.Run(input);
            watchdog.End();
            maxTicks = Math.Max(maxTicks, outcome.Ticks);
            maxAllocRatio = Math.Max(maxAllocRatio, outcome.Allocated / (double)(input.Length + 1024));
            if (outcome.Accepted) accepted++;
            if (outcome.CheckpointAccepted) checkpoints++;
            if (outcome.Failure is { } failure) findings.Report(failure, input);
        }
        Console.WriteLine($"inputs {inputs:N0} in {clock.Elapsed.TotalSeconds:F0} s ({inputs / clock.Elapsed.TotalSeconds:N0}/s); decoded cleanly {accepted:N0}; read as checkpoints {checkpoints:N0}; findings {findings.Count}");
        Console.WriteLine("by strategy: " + string.Join(", ", Mutator.Strategies.Select((s, i) => $"{s} {counts[i]:N0}")));
        Console.WriteLine($"slowest input {maxTicks * 1000.0 / Stopwatch.Frequency:F2} ms; max allocation {maxAllocRatio:F1} bytes per (input byte + 1 KiB)");
        return findings.Count == 0 ? 0 : 1;
    }

    private static bool TryParse(string[] args, out FuzzOptions options, out string error)
    {
        options = new FuzzOptions();
        error = "";
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out double s) && s > 0:
                    options = options with { Seconds = s }; i++; break;
                case "--seed" when ulong.TryParse(value, CultureInfo.InvariantCulture, out ulong seed):
                    options = options with { Seed = seed }; i++; break;
                case "--corpus" when value is not null:
                    options = options with { Corpus = value }; i++; break;
                case "--regressions" when value is not null:
                    options = options with { Regressions = value }; i++; break;
                default:
                    error = $"bad argument '{args[i]}'" + (value is null ? "" : $" (value '{value}')");
                    return false;
            }
        }
        options = options with { Regressions = options.Regressions ?? DefaultRegressions() };
        return true;
    }

    private static string DefaultRegressions()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Emergence.Engine.sln")))
                    return Path.Combine(dir.FullName, "tests", "Emergence.Engine.Tests", "MessagePack", "regressions");
        return Path.Combine(Environment.CurrentDirectory, "regressions");
    }
}

/// <summary>Command-line options.</summary>
internal sealed record FuzzOptions(double Seconds = 60, ulong Seed = 1, string? Corpus = null, string? Regressions = null);

/// <summary>Saves failing inputs under a content-derived name and counts them.</summary>
internal sealed class Findings(string? directory)
{
    private readonly HashSet<string> _seen = [];

    public string Directory { get; } = directory ?? "regressions";

    public int Count => _seen.Count;

    public void Report(string failure, byte[] input)
    {
        string kind = new string(failure.TakeWhile(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        string name = $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(input))[..12]}";
        if (!_seen.Add(name)) return;
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, name + ".bin");
        File.WriteAllBytes(path, input);
        Console.WriteLine($"FINDING {name}: {failure} ({input.Length} bytes, saved to {path})");
    }
}
