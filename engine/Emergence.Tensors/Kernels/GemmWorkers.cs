using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Emergence.Tensors.Kernels;

/// <summary>
/// Dedicated GEMM helper threads (processor count − 1, started on first use, background). After each
/// job they spin briefly before sleeping, like OpenMP runtimes do, so back-to-back GEMMs do not pay a
/// scheduler wake-up each time; the caller always works too and claims any chunk a late helper has not
/// taken, so a descheduled helper never stalls a product. Which thread computes a chunk never changes
/// its result.
/// </summary>
internal static class GemmWorkers
{
    /// <summary>A unit of shared work: callable by any number of threads until it reports finished.</summary>
    public interface IJob
    {
        /// <summary>Claims and runs pieces of the job until none are left.</summary>
        void Work();

        /// <summary>True once every piece has completed (on any thread).</summary>
        bool Finished { get; }

        /// <summary>The first exception a piece threw, if any.</summary>
        Exception? Failure { get; }
    }

    /// <summary>
    /// A job cut into numbered chunks that threads claim in order until none are left. A chunk's exception is kept
    /// and rethrown on the calling thread once every chunk has been accounted for.
    /// </summary>
    public abstract class ChunkJob(int chunks) : IJob
    {
        private int _next, _done;

        /// <summary>Number of chunks.</summary>
        protected int Chunks => chunks;
        private Exception? _failure;

        /// <inheritdoc/>
        public bool Finished => Volatile.Read(ref _done) == chunks;

        /// <inheritdoc/>
        public Exception? Failure => _failure;

        /// <inheritdoc/>
        public void Work()
        {
            bool first = true;
            for (int c = Interlocked.Increment(ref _next) - 1; c < chunks; c = Interlocked.Increment(ref _next) - 1)
            {
                try
                {
                    RunChunk(c, first);
                    first = false;
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref _failure, ex, null);
                }
                Interlocked.Increment(ref _done);
            }
        }

        /// <summary>Runs chunk <paramref name="chunk"/>; <paramref name="first"/> on a thread's first chunk of this job.</summary>
        protected abstract void RunChunk(int chunk, bool first);
    }

    private static readonly TimeSpan SpinWindow = TimeSpan.FromMicroseconds(300);
    private static readonly object StartGate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static volatile bool started;
    private static IJob? current;
    private static long generation;
    private static int sleeping;
    private static int helpersWanted;
    private static int helpersJoined;

    /// <summary>Runs <paramref name="job"/> on the calling thread plus up to <paramref name="threads"/> − 1 helpers.</summary>
    public static void Run(IJob job, int threads)
    {
        EnsureStarted();
        Volatile.Write(ref helpersJoined, 0);
        Volatile.Write(ref helpersWanted, threads - 1);
        Volatile.Write(ref current, job);
        Interlocked.Increment(ref generation);
        int asleep = Volatile.Read(ref sleeping);
        if (asleep > 0) Wake.Release(Math.Min(asleep, threads - 1));
        job.Work();
        var spinner = new SpinWait();
        while (!job.Finished) spinner.SpinOnce(sleep1Threshold: -1);
        if (job.Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private static void EnsureStarted()
    {
        if (started) return;
        lock (StartGate)
        {
            if (started) return;
            for (int i = 1; i < Environment.ProcessorCount; i++)
            {
                new Thread(Loop) { IsBackground = true, Name = $"gemm-{i}" }.Start();
            }
            started = true;
        }
    }

    private static void Loop()
    {
        long seen = Volatile.Read(ref generation);
        while (true)
        {
            long spinStart = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref generation) == seen && Stopwatch.GetElapsedTime(spinStart) < SpinWindow)
            {
                Thread.SpinWait(32);
            }
            if (Volatile.Read(ref generation) == seen)
            {
                Interlocked.Increment(ref sleeping);
                if (Volatile.Read(ref generation) == seen) Wake.Wait();
                Interlocked.Decrement(ref sleeping);
                continue;
            }
            seen = Volatile.Read(ref generation);
            var job = Volatile.Read(ref current);
            // Only as many helpers as the caller asked for; a stale job has no chunks left, so joining it is harmless.
            if (job is not null && Interlocked.Increment(ref helpersJoined) <= Volatile.Read(ref helpersWanted)) job.Work();
        }
    }
}
