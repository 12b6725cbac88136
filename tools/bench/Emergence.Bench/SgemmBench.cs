using System.Diagnostics;
using System.Globalization;
using Emergence.Tensors.Kernels;

namespace Emergence.Bench;

/// <summary>
/// SGEMM GFLOPS, ours (Gemm.Sgemm) against PyTorch 1.13 + OpenBLAS (tools/bench/peers/torch_sgemm.py),
/// both on the same threads, square sizes plus the engine's typical small layer shape.
/// </summary>
internal sealed class SgemmBench : IBench
{
    private const int Threads = 2;

    /// <inheritdoc/>
    public string Name => "sgemm";

    /// <inheritdoc/>
    public string Description => "Gemm.Sgemm vs PyTorch+OpenBLAS torch.mm, float32, 2 threads (GFLOPS, ratio)";

    /// <inheritdoc/>
    public void Run(bool quick)
    {
        string[] shapes = quick ? ["256", "512x96x32"] : ["256", "512", "1024", "2048", "512x96x32", "64x64x64"];
        int rounds = quick ? 1 : 3;
        double seconds = quick ? 0.2 : 0.7;
        var ours = shapes.ToDictionary(s => s, _ => 0.0);
        var theirs = shapes.ToDictionary(s => s, _ => double.NaN);
        using (var peer = Peer.Start())
        {
            // Interleaved ours/theirs per shape, several rounds, best of each: both sides see the same
            // machine load (other processes share these 2 cores).
            for (int r = 0; r < rounds; r++)
            {
                foreach (var s in shapes)
                {
                    ours[s] = Math.Max(ours[s], Measure(Parse(s), seconds));
                    double t = peer?.Measure(s, seconds) ?? double.NaN;
                    theirs[s] = double.IsNaN(theirs[s]) ? t : Math.Max(theirs[s], t);
                }
            }
        }
        Console.WriteLine($"{"shape (MxNxK)",-16} {"ours GFLOPS",12} {"torch GFLOPS",13} {"ratio",7}");
        foreach (var s in shapes)
        {
            var (m, n, k) = Parse(s);
            Console.WriteLine($"{$"{m}x{n}x{k}",-16} {ours[s],12:F1} {theirs[s],13:F1} {ours[s] / theirs[s],7:F2}");
        }
    }

    private static (int M, int N, int K) Parse(string shape)
    {
        var p = shape.Split('x').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return p.Length == 1 ? (p[0], p[0], p[0]) : (p[0], p[1], p[2]);
    }

    private static double Measure((int M, int N, int K) s, double seconds)
    {
        var a = Fill(s.M * s.K, 1);
        var b = Fill(s.K * s.N, 2);
        var c = new float[s.M * s.N];
        void Once() => Gemm.Sgemm(false, false, s.M, s.N, s.K, 1f, a, s.K, b, s.N, 0f, c, s.N);
        Once();
        int reps = 1;
        double batch;
        while (true)
        {
            batch = Time(Once, reps);
            if (batch >= 0.005) break;
            reps *= 2;
        }
        double best = batch / reps;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds) best = Math.Min(best, Time(Once, reps) / reps);
        return 2.0 * s.M * s.N * s.K / best / 1e9;
    }

    private static double Time(Action op, int reps)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < reps; i++) op();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static float[] Fill(int length, uint seed)
    {
        var x = new float[length];
        uint st = seed * 2654435761u + 1u;
        for (int i = 0; i < x.Length; i++)
        {
            st = st * 1664525u + 1013904223u;
            x[i] = (st >> 8) / (float)(1 << 23) - 1f;
        }
        return x;
    }

    /// <summary>The PyTorch peer process in serve mode: one request line in, one result line out.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly Process proc;

        private Peer(Process proc) => this.proc = proc;

        public static Peer? Start()
        {
            var psi = new ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            psi.ArgumentList.Add(Path.Combine("tools", "bench", "peers", "torch_sgemm.py"));
            psi.ArgumentList.Add(Threads.ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add("--serve");
            psi.Environment["OPENBLAS_CORETYPE"] = "SKYLAKEX";
            psi.Environment["OMP_NUM_THREADS"] = Threads.ToString(CultureInfo.InvariantCulture);
            var proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
            while (proc.StandardOutput.ReadLine() is { } line)
            {
                if (line == "# ready") return new Peer(proc);
                Console.WriteLine($"peer {line}");
            }
            proc.WaitForExit();
            Console.WriteLine($"peer exited with code {proc.ExitCode} before it was ready; torch column is NaN");
            proc.Dispose();
            return null;
        }

        public double Measure(string shape, double seconds)
        {
            proc.StandardInput.WriteLine($"{shape} {seconds.ToString(CultureInfo.InvariantCulture)}");
            proc.StandardInput.Flush();
            var line = proc.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException($"peer exited while measuring {shape}");
            var f = line.Split(' ');
            if (f.Length < 3 || f[0] != "sgemm" || f[1] != shape)
                throw new InvalidOperationException($"unexpected peer output for {shape}: {line}");
            return double.Parse(f[2], CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            proc.StandardInput.Close();
            proc.WaitForExit();
            proc.Dispose();
        }
    }
}
