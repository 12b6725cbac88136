using System.Collections.Concurrent;
using Emergence.Tensors.Kernels;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class ChunkJobTests
{
    /// <summary>Records which thread ran each chunk, in the order each thread ran them.</summary>
    private sealed class Recorder(int chunks, int failAt = -1, int spin = 0) : GemmWorkers.ChunkJob(chunks)
    {
        public readonly int[] Runs = new int[chunks];
        public readonly ConcurrentDictionary<int, List<int>> ByThread = new();
        public readonly ConcurrentDictionary<int, int> Firsts = new();

        protected override void RunChunk(int chunk, bool first)
        {
            int thread = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref Runs[chunk]);
            ByThread.GetOrAdd(thread, _ => []).Add(chunk);
            if (first) Firsts.AddOrUpdate(thread, 1, (_, n) => n + 1);
            Thread.SpinWait(spin);
            if (chunk == failAt) throw new InvalidOperationException($"chunk {chunk}");
        }
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(7, 1)] // the caller alone, helpers untouched
    [InlineData(7, 2)]
    [InlineData(64, 2)]
    [InlineData(64, 3)] // more threads asked for than helpers exist on a 2-core machine
    public void Run_RunsEveryChunkExactlyOnce_AndFlagsEachThreadsFirstChunk(int chunks, int threads)
    {
        for (int trial = 0; trial < 200; trial++)
        {
            var job = new Recorder(chunks, spin: 200);
            GemmWorkers.Run(job, threads);
            job.Finished.Should().BeTrue();
            job.Runs.Count(n => n != 1).Should().Be(0, "every chunk runs once (trial {0})", trial);
            job.Firsts.Keys.Should().BeEquivalentTo(job.ByThread.Keys);
            job.Firsts.Values.Count(n => n != 1).Should().Be(0, "one first chunk per thread");
        }
    }

    [Fact]
    public void Work_CallerTakesAnAscendingPrefix_HelpersADescendingSuffix()
    {
        for (int trial = 0; trial < 50; trial++)
        {
            const int Chunks = 40;
            var job = new Recorder(Chunks, spin: 500);
            var caller = new List<int>();
            var helpers = new List<int>();
            using var start = new Barrier(3);
            var threads = new[]
            {
                new Thread(() => { start.SignalAndWait(); job.Work(caller: true); }),
                new Thread(() => { start.SignalAndWait(); job.Work(caller: false); }),
                new Thread(() => { start.SignalAndWait(); job.Work(caller: false); }),
            };
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();

            job.Finished.Should().BeTrue();
            job.Runs.Should().OnlyContain(n => n == 1);
            var callerChunks = job.ByThread.GetValueOrDefault(threads[0].ManagedThreadId) ?? []; // helpers may take all
            callerChunks.Should().Equal(Enumerable.Range(0, callerChunks.Count), "the caller claims from the front, in order");
            var helperChunks = job.ByThread.Where(kv => kv.Key != threads[0].ManagedThreadId).SelectMany(kv => kv.Value).Order();
            helperChunks.Should().Equal(Enumerable.Range(callerChunks.Count, Chunks - callerChunks.Count), "helpers claim the rest from the back");
            foreach (var (thread, list) in job.ByThread.Where(kv => kv.Key != threads[0].ManagedThreadId))
                list.Should().BeInDescendingOrder("helper {0} walks down from the back", thread);
        }
    }

    [Fact]
    public void Run_AChunkThrows_RethrowsOnTheCallerAfterEveryOtherChunkRan()
    {
        var job = new Recorder(32, failAt: 5, spin: 100);
        var act = () => GemmWorkers.Run(job, 2);
        act.Should().Throw<InvalidOperationException>().WithMessage("chunk 5");
        job.Runs.Should().OnlyContain(n => n == 1, "a failed chunk must not stop the others or leave the job unfinished");
        job.Finished.Should().BeTrue();
    }
}
