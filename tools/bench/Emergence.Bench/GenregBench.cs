using System.Diagnostics;
using System.Globalization;
using Emergence.Contracts.Components;
using Emergence.Contracts.Random;
using Emergence.Contracts.Strategies;
using Emergence.Contracts.Telemetry;
using Emergence.Plugins.Genreg;
using Emergence.Testing.Fakes;

namespace Emergence.Bench;

/// <summary>
/// Genreg (spec /work/shared/specs/genreg.md) against its Python peers, in one run:
/// (1) one dense-GA generation of the N4 workload (P 40, 16 true + 240 legacy noise features, H 8, 100 points, proteins on,
/// legacy_trust fitness, tiered selection, gaussian mutation) through the plugin's own <c>GaTrainer.Step</c>, at 1 and 2
/// threads, against tools/bench/peers/torch_genreg.py at the same thread count in float64 like ours (targets: ≥ 10× torch and
/// ≥ 100 gen/s; the float32 peer is printed as context);
/// (2) ultra-sparse inference (K 2, H 8, pre-expanded width-256 input) with <c>Network.InferSparse</c> at batch 1 and
/// batch 1000, against tools/bench/peers/numba_genreg.py (targets: ≥ 1× Numba at batch 1, ≥ 2× at batch 1000).
/// </summary>
internal sealed class GenregBench : IBench
{
    private const int WarmupGenerations = 300;
    private static readonly int[] ThreadCounts = [1, 2];

    /// <inheritdoc/>
    public string Name => "genreg";

    /// <inheritdoc/>
    public string Description => "Genreg dense-GA generations/s vs PyTorch (1 and 2 threads), ultra-sparse inference ns/sample vs Numba";

    /// <inheritdoc/>
    public void Run(bool quick)
    {
        double seconds = quick ? 0.3 : 2;
        Console.WriteLine($"# load average before: {LoadAverage()}; timing = best of repeated batches (≥ 50 ms GA, ≥ 20 ms inference) " +
                          $"over ~{seconds.ToString(CultureInfo.InvariantCulture)} s per figure, as the peers do");

        // ---- 1. GA generation
        var ours = new Dictionary<int, GaResult>();
        string gaLoad = LoadAverage();
        foreach (int threads in ThreadCounts) ours[threads] = MeasureGa(threads, seconds);
        // The peer in float64 — the precision of the original NumPy code and of our GA, so the same arithmetic — gives the
        // ratio; in float32 (half the memory traffic and twice the SIMD width for it) as context.
        var torch = new Dictionary<int, double>();
        var torch32 = new Dictionary<int, double>();
        var torchConfig = new List<string>();
        foreach (int threads in ThreadCounts)
            foreach (string dtype in new[] { "float64", "float32" })
            {
                var args = new[] { Path.Combine("tools", "bench", "peers", "torch_genreg.py"), Inv(threads), Inv(seconds), $"--dtype={dtype}" };
                var env = new Dictionary<string, string> { ["OPENBLAS_CORETYPE"] = "SKYLAKEX", ["OMP_NUM_THREADS"] = Inv(threads) };
                var r = RunPeer(args, env, $"torch {dtype} ({threads} thread{(threads == 1 ? "" : "s")})", torchConfig);
                if (r.TryGetValue("ga_generation", out double rate)) (dtype == "float64" ? torch : torch32)[threads] = rate;
            }

        // ---- 2. ultra-sparse inference
        string sparseLoad = LoadAverage();
        var (b1, b1000, check) = MeasureSparse(seconds);
        var numbaConfig = new List<string>();
        var numba = RunPeer([Path.Combine("tools", "bench", "peers", "numba_genreg.py"), Inv(Math.Max(0.6, 1.5 * seconds))], [], "numba", numbaConfig);

        // ---- report
        Console.WriteLine();
        Console.WriteLine("# ours: GaTrainer.Step = evaluate the 20 new genomes (survivors keep cached evaluations), record the row, evolve;");
        Console.WriteLine($"#   N4 legacy features (deterministic), P 40, H 8, 100 points, proteins on, legacy_trust, tiered, gaussian; " +
                          $"{WarmupGenerations} warm-up generations; target_mse 0, stagnation 0, max_generations {int.MaxValue}; load average at start {gaLoad}");
        foreach (int t in ThreadCounts)
        {
            var o = ours[t];
            Console.WriteLine($"#   threads {t}: best {o.Best:F1} gen/s, mean {o.Mean:F1} gen/s over {o.Generations} generations, " +
                              $"{o.BytesPerGen:N0} B/gen allocated, gen2 GCs {o.Gen2}, GC pauses {100 * o.GcShare:F1}% of the time, mse_best {o.MseBest:F5}, k {o.K}/8, age_max {o.AgeMax}");
        }
        Console.WriteLine($"# ours sparse: Network.InferSparse, K 2, H 8, width 256 legacy N4 features, float64, output buffer preallocated; " +
                          $"batch 1 = point 37 of 100, batch 1000 = TaskOptions.NPoints 1000; max|ours - scalar reference| {check:E1}; load average at start {sparseLoad}");
        foreach (var line in torchConfig.Concat(numbaConfig)) Console.WriteLine(line);
        Console.WriteLine();
        Console.WriteLine($"{"workload",-50} {"ours",10} {"peer",10} {"ratio",7} {"target",8} {"met",4}");
        foreach (int t in ThreadCounts)
        {
            double rate = ours[t].Best;
            bool has = torch.TryGetValue(t, out double theirs);
            Console.WriteLine($"{$"GA generation N4 P40, {t} thread{(t == 1 ? "" : "s")} (gen/s) vs torch f64",-50} {rate,10:F1} " +
                              $"{(has ? theirs.ToString("F1", CultureInfo.InvariantCulture) : "n/a"),10} " +
                              $"{(has ? (rate / theirs).ToString("F2", CultureInfo.InvariantCulture) : "n/a"),7} {"≥10×",8} {(has ? Met(rate / theirs >= 10) : "n/a"),4}");
        }
        foreach (int t in ThreadCounts)
            if (torch32.TryGetValue(t, out double theirs32))
                Console.WriteLine($"{$"  context: {t} thread{(t == 1 ? "" : "s")} vs torch float32 (gen/s)",-50} {ours[t].Best,10:F1} {theirs32,10:F1} " +
                                  $"{(ours[t].Best / theirs32).ToString("F2", CultureInfo.InvariantCulture),7}");
        double bestRate = ThreadCounts.Max(t => ours[t].Best);
        Console.WriteLine($"{"GA generation N4 P40, best of 1/2 threads (gen/s)",-50} {bestRate,10:F1} {"",10} {"",7} {"≥100/s",8} {Met(bestRate >= 100),4}");
        foreach (var (label, key, mine, target, factor) in new[]
                 {
                     ("sparse K2 H8, batch 1 (ns/sample)", "sparse_b1", b1, "≥1×", 1.0),
                     ("sparse K2 H8, batch 1000 (ns/sample)", "sparse_b1000", b1000, "≥2×", 2.0),
                 })
        {
            bool has = numba.TryGetValue(key, out double theirs);
            Console.WriteLine($"{label + " vs numba",-50} {mine,10:F2} {(has ? theirs.ToString("F2", CultureInfo.InvariantCulture) : "n/a"),10} " +
                              $"{(has ? (theirs / mine).ToString("F2", CultureInfo.InvariantCulture) : "n/a"),7} {target,8} {(has ? Met(theirs / mine >= factor) : "n/a"),4}");
        }
        if (numba.TryGetValue("sparse_b1_numpy", out double np))
            Console.WriteLine($"{"  context: sparse batch 1 vs NumPy (ns/sample)",-50} {b1,10:F2} {np,10:F1} {(np / b1).ToString("F2", CultureInfo.InvariantCulture),7}");
        Console.WriteLine("(ratio = ours/torch for gen/s, numba_ns/ours_ns for inference: > 1 means ours is faster)");
        Console.WriteLine($"# load average after: {LoadAverage()}");
    }

    private readonly record struct GaResult(double Best, double Mean, long Generations, long BytesPerGen, int Gen2, double GcShare, double MseBest, int K, long AgeMax);

    /// <summary>Builds the trainer as the host does, warms it up, then times <c>Step</c> (one generation each).</summary>
    private static GaResult MeasureGa(int threads, double seconds)
    {
        var ga = new GaBench(threads);
        for (int i = 0; i < WarmupGenerations; i++) ga.Step();
        int reps = 1;
        double dt;
        while (true)
        {
            dt = ga.Time(reps);
            if (dt >= 0.05) break;
            reps *= 2;
        }
        double best = dt / reps;
        int gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        long generations = 0;
        double total = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            dt = ga.Time(reps);
            best = Math.Min(best, dt / reps);
            total += dt;
            generations += reps;
        }
        long perGen = generations == 0 ? 0 : (GC.GetTotalAllocatedBytes(precise: true) - bytes) / generations;
        var last = ga.Model.Trajectory.Rows[^1];
        var cols = ga.Model.Trajectory;
        return new GaResult(1 / best, generations / total, generations, perGen, GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - pause).TotalSeconds / total,
            last[cols.Index("mse_best")], (int)last[cols.Index("k_mlp")], (long)last[cols.Index("age_max")]);
    }

    /// <summary>The plugin's GA trainer with the default (legacy) strategies, built from named streams like the host does.</summary>
    private sealed class GaBench
    {
        private readonly RunStreams _streams = new(42);
        private readonly FakeSlots _slots = new();
        private readonly ITrainer _trainer;
        private long _step;

        public GaBench(int threads)
        {
            var options = new ModelOptions { Hidden = 8, Threads = threads }; // N4: true 16 + noise 240, 100 points, proteins on
            options.Features.TrueSize = 16;
            options.Features.NoiseSize = 240;
            Model = new GenregModel(options);
            _slots.Set<IFeatureExpansion>("features", new LegacyFeatures(_streams.Rng("strategy.features")));
            _slots.Set<IFitness>("fitness", new LegacyTrustFitness(new TrustFitnessOptions()));
            _slots.Set<IGenerationScheme>("selection", new TieredSelection(new TieredOptions()));
            _slots.Set<IMutation>("mutation", new GaussianMutation(new GaussianMutationOptions()));
            var ga = new GaOptions { Population = 40, TargetMse = 0, StagnationWindow = 0, MaxGenerations = int.MaxValue };
            _trainer = new GaTrainer(Model, ga, new TrainerContext(Model, _streams.Rng, _slots, NullSink.Instance));
        }

        public GenregModel Model { get; }

        public void Step()
        {
            if (_trainer.Step(new StepContext(++_step, false, NullSink.Instance, NullSink.Instance)) != StepOutcome.Continue)
                throw new InvalidOperationException($"the GA stopped during the benchmark at step {_step}: {Model.StopReason}");
        }

        public double Time(int reps)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++) Step();
            return Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
    }

    /// <summary>ns per sample of <c>Network.InferSparse</c> at batch 1 and 1000, and the max deviation from a scalar reference.</summary>
    private static (double B1, double B1000, double Check) MeasureSparse(double seconds)
    {
        var options = new ModelOptions { Hidden = 8, Connectivity = Connectivity.Sparse, KInputs = 2 };
        var rng = new RngStream(42);
        var genome = Genome.Random(options, rng, proteins: false);
        for (int j = 0; j < genome.H; j++) genome.B1[j] = 0.1 * rng.NextNormal(); // trained models have non-zero biases (as the peer)
        genome.B2[0] = 0.05;
        int width = options.InputWidth;
        var x100 = Features(100, rng);
        var x1000 = Features(1000, rng);
        var row = x100.AsSpan(37 * width, width).ToArray();
        var out1 = new double[1];
        var out1000 = new double[1000];

        Network.InferSparse(genome, x1000, 1000, width, out1000);
        double check = 0;
        for (int b = 0; b < 1000; b++) check = Math.Max(check, Math.Abs(out1000[b] - Reference(genome, x1000.AsSpan(b * width, width))));
        Network.InferSparse(genome, row, 1, width, out1);
        check = Math.Max(check, Math.Abs(out1[0] - Reference(genome, row)));

        double share = seconds / 2;
        double b1 = BestNs(() => Network.InferSparse(genome, row, 1, width, out1), share, 4096);
        double b1000 = BestNs(() => Network.InferSparse(genome, x1000, 1000, width, out1000), share, 1) / 1000;
        return (b1, b1000, check);
    }

    private static double[] Features(int points, RngStream rng)
    {
        var task = new TaskData(new TaskOptions { NPoints = points });
        var set = ((IFeatureExpansion)new LegacyFeatures(rng)).Build(task, new FeatureOptions { TrueSize = 16, NoiseSize = 240 });
        if (!set.Deterministic || set.D != 256) throw new InvalidOperationException("expected deterministic width-256 N4 features");
        return set.Values;
    }

    private static double Reference(Genome g, ReadOnlySpan<double> x)
    {
        double z = g.B2[0];
        for (int j = 0; j < g.H; j++)
        {
            double a = g.B1[j];
            for (int k = 0; k < g.K; k++) a += g.W1[j * g.K + k] * x[g.Idx[j * g.K + k]];
            z += g.W2[j] * Math.Tanh(a);
        }
        return Math.Tanh(z);
    }

    /// <summary>Best ns per call: calls are grouped in batches of <paramref name="unroll"/>; batches are repeated until each takes ≥ 20 ms.</summary>
    private static double BestNs(Action call, double seconds, int unroll)
    {
        for (int i = 0; i < 1000; i++) call();
        long reps = 1;
        double dt;
        while (true)
        {
            dt = TimeCalls(call, reps, unroll);
            if (dt >= 0.02) break;
            reps *= 2;
        }
        double best = dt / (reps * unroll);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds) best = Math.Min(best, TimeCalls(call, reps, unroll) / (reps * unroll));
        return best * 1e9;
    }

    private static double TimeCalls(Action call, long reps, int unroll)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (long r = 0; r < reps; r++)
            for (int i = 0; i < unroll; i++) call();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static string Met(bool yes) => yes ? "yes" : "NO";

    private static string Inv(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException e)
        {
            return "unknown (" + e.Message + ")";
        }
    }

    /// <summary>Runs a peer script; returns its <c>result</c> lines and adds its <c>#</c> lines, prefixed with <paramref name="label"/>, to <paramref name="config"/>.</summary>
    private static Dictionary<string, double> RunPeer(string[] args, Dictionary<string, string> env, string label, List<string> config)
    {
        var result = new Dictionary<string, double>();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        config.Add($"# {label}: load average at start {LoadAverage()}");
        using var proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = proc.StandardError.ReadToEndAsync();
        while (proc.StandardOutput.ReadLine() is { } line)
        {
            var f = line.Split(' ');
            if (f.Length >= 3 && f[0] == "result") result[f[1]] = double.Parse(f[2], CultureInfo.InvariantCulture);
            else config.Add($"# {label}: {(line.StartsWith("# ", StringComparison.Ordinal) ? line[2..] : line)}");
        }
        proc.WaitForExit();
        if (proc.ExitCode != 0) config.Add($"# {label}: peer failed (exit {proc.ExitCode}): {stderr.Result.Trim()}");
        return result;
    }

    /// <summary>Drops metrics, events and log lines.</summary>
    private sealed class NullSink : IMetricSink, IEventSink, IRunLog
    {
        public static readonly NullSink Instance = new();
        public void Record(string name, double value) { }
        public void Emit(string type, IReadOnlyDictionary<string, object?> fields) { }
        public void Info(string message) { }
        public void Warning(string message) { }
    }
}
