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
        /// <summary>
        /// Claims and runs pieces of the job until none are left; <paramref name="caller"/> on the thread that started
        /// it (it may claim from a different end than the helpers).
        /// </summary>
        void Work(bool caller);

        /// <summary>True once every piece has completed (on any thread).</summary>
        bool Finished { get; }

        /// <summary>The first exception a piece threw, if any.</summary>
        Exception? Failure { get; }
    }

    /// <summary>
    /// A job cut into numbered chunks. The calling thread claims them from the front, helpers from the back, until
    /// the two ends meet. So each thread works the same end call after call and finds that end's data (a GEMM's
    /// panels, a population's weights) still in its own cache: handed out in plain order, a chunk's rows usually sat
    /// in the other core's cache and ran about 25% slower there (a cross-core line costs about 0.2 µs on this
    /// machine). A chunk's exception is kept and rethrown on the calling thread once every chunk has been accounted
    /// for.
    /// </summary>
    public abstract class ChunkJob(int chunks) : IJob
    {
        /// <summary>Unclaimed chunks [front, back): front in the low 32 bits, back in the high 32 bits.</summary>
        private long _range = (long)chunks << 32;

        private int _done;
        private Exception? _failure;

        /// <summary>Number of chunks.</summary>
        protected int Chunks => chunks;

        /// <inheritdoc/>
        public bool Finished => Volatile.Read(ref _done) == chunks;

        /// <inheritdoc/>
        public Exception? Failure => _failure;

        /// <inheritdoc/>
        public void Work(bool caller)
        {
            bool first = true;
            int ran = 0;
            for (int c = Claim(caller); c >= 0; c = Claim(caller))
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
                ran++;
            }
            if (ran > 0) Interlocked.Add(ref _done, ran);
        }

        /// <summary>The next unclaimed chunk from the front (or the back), or −1 once none are left.</summary>
        private int Claim(bool front)
        {
            while (true)
            {
                long range = Volatile.Read(ref _range);
                int lo = (int)range, hi = (int)(range >> 32);
                if (lo >= hi) return -1;
                long next = front ? range + 1 : range - (1L << 32);
                if (Interlocked.CompareExchange(ref _range, next, range) == range) return front ? lo : hi - 1;
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
        if (threads > 1) Offer(job, threads - 1); // with one thread the helpers are left alone (and asleep)
        job.Work(caller: true);
        var spinner = new SpinWait();
        while (!job.Finished) spinner.SpinOnce(sleep1Threshold: -1);
        if (job.Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    /// <summary>Publishes <paramref name="job"/> to up to <paramref name="helpers"/> helper threads, waking sleepers.</summary>
    private static void Offer(IJob job, int helpers)
    {
        EnsureStarted();
        Volatile.Write(ref helpersJoined, 0);
        Volatile.Write(ref helpersWanted, helpers);
        Volatile.Write(ref current, job);
        Interlocked.Increment(ref generation);
        int asleep = Volatile.Read(ref sleeping);
        if (asleep > 0) Wake.Release(Math.Min(asleep, helpers));
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
            // Poll after every pause (SpinWait(32) between polls made a helper join about 1 µs late, on jobs of
            // tens of µs) and read the clock only every 64 polls.
            long spinStart = Stopwatch.GetTimestamp();
            for (int polls = 1; Volatile.Read(ref generation) == seen; polls++)
            {
                Thread.SpinWait(1);
                if ((polls & 63) == 0 && Stopwatch.GetElapsedTime(spinStart) >= SpinWindow) break;
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
            if (job is not null && Interlocked.Increment(ref helpersJoined) <= Volatile.Read(ref helpersWanted)) job.Work(caller: false);
        }
    }
}
