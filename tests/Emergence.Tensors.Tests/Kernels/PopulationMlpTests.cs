using Emergence.Contracts.Random;
using Emergence.Tensors.Autograd;
using Emergence.Tensors.Kernels;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Operations;
using Activation = Emergence.Tensors.Kernels.Activation;
using LayerActivation = Emergence.Tensors.Layers.Activation;

namespace Emergence.Tensors.Tests.Kernels;

public sealed class PopulationMlpTests
{
    public static TheoryData<int, int, int, int, int, LayerActivation> Shapes() => new()
    {
        { 40, 100, 256, 8, 1, LayerActivation.Tanh },   // the benchmark: one full tile of rows (100 of 112)
        { 8, 1, 1, 8, 1, LayerActivation.Tanh },        // one row, one input
        { 9, 17, 3, 16, 1, LayerActivation.Relu },      // tail group (9th member), two row vectors, H = 16 (lane sums)
        { 13, 113, 100, 8, 1, LayerActivation.Tanh },   // a full tile plus one row; inputs not a multiple of 16
        { 16, 250, 256, 24, 1, LayerActivation.Relu },  // H a multiple of 3 (one member per chunk), rows past two tiles
        { 11, 224, 17, 8, 1, LayerActivation.Tanh },    // exactly two full tiles, 3 tail members
        { 64, 33, 31, 8, 1, LayerActivation.Relu },     // many chunks on both threads
        { 16, 100, 257, 8, 1, LayerActivation.Tanh },   // past one GEMM k-block: two blocks of 129 and 128 inputs
        { 40, 50, 784, 8, 1, LayerActivation.Relu },    // MNIST-sized inputs: four blocks of 196
        { 8, 3, 300, 8, 1, LayerActivation.Tanh },      // three rows: the GEMM's direct path, one chain over all inputs
        { 9, 20, 600, 16, 1, LayerActivation.Tanh },    // three blocks of 200, tail group
        // a packed last row vector (7 vectors, 1..5 rows in the last): its lanes hold each unit's copy of those rows
        { 9, 97, 33, 16, 1, LayerActivation.Relu },     // one row packed, tail group
        { 13, 101, 300, 8, 1, LayerActivation.Tanh },   // five rows packed, two k-blocks (the running sum goes through it)
        { 11, 213, 20, 8, 1, LayerActivation.Tanh },    // the second of two tiles packed
        { 8, 98, 5, 24, 1, LayerActivation.Relu },      // one member per chunk
        { 10, 102, 40, 8, 1, LayerActivation.Tanh },    // six rows in the last vector: too many to pack, padded as before
    };

    [Theory]
    [InlineData(100, 4)]
    [InlineData(97, 1)]
    [InlineData(101, 5)]
    [InlineData(102, 0)] // three copies of 6 rows overflow 16 lanes
    [InlineData(96, 0)]  // no partial vector
    [InlineData(84, 0)]  // the partial vector does not end a 7-vector tile
    [InlineData(213, 5)]
    public void PackedTail_OnlyForAFewRowsEndingAFullTile(int rows, int packed) =>
        PopulationMlp.PackedTail(rows).Should().Be(packed);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_NoGrad_IsBitIdenticalToTheComposedOps(int count, int rows, int inF, int hidden, int outF, LayerActivation act)
    {
        PopulationMlp.Applies(rows, inF, count, hidden, outF, act == LayerActivation.Tanh ? Activation.Tanh : Activation.Relu)
            .Should().BeTrue("the test must exercise the fused kernel");
        var ps = new ParameterCollection<float>();
        var population = new MlpPopulation<float>(ps, "pop", count, [inF, hidden, outF], act, new RngStream(5));
        var x = Tensor<float>.Zeros(rows, inF);
        Init.Normal(x, new RngStream(6), 0, 2); // wide enough that tanh saturates and relu cuts
        if (rows > 1) x.Span[inF] = 0f;

        float[] fused;
        using (GradMode.NoGrad()) fused = population.Forward(x).ToArray();

        var composed = Composed(population, x);
        fused.Should().Equal(composed);
    }

    [Fact]
    public void Forward_WhileRecording_TakesTheComposedPathAndStillMatches()
    {
        var ps = new ParameterCollection<float>();
        var population = new MlpPopulation<float>(ps, "pop", 40, [256, 8, 1], LayerActivation.Tanh, new RngStream(7));
        var x = Tensor<float>.Zeros(100, 256);
        Init.Normal(x, new RngStream(8));
        float[] fused;
        using (GradMode.NoGrad()) fused = population.Forward(x).ToArray();
        var tape = new Tape<float>();
        using (tape.Record())
        {
            var y = population.Forward(x);
            y.ToArray().Should().Equal(fused);
            tape.Backward(Ops.Sum(y));
        }
        ps["pop.0.weight"].Grad.Should().NotBeNull("recording must keep the gradient path");
    }

    [Fact]
    public void Forward_InputsChangedInPlaceOrReshaped_AreNotServedFromTheLastTranspose()
    {
        var population = new MlpPopulation<float>(new ParameterCollection<float>(), "pop", 16, [32, 8, 1], LayerActivation.Tanh, new RngStream(12));
        var x = Tensor<float>.Zeros(20, 32);
        Init.Normal(x, new RngStream(13));
        float[] first;
        using (GradMode.NoGrad()) first = population.Forward(x).ToArray();
        population.Forward(x).ToArray().Should().Equal(Composed(population, x));

        x.Span[20 * 32 - 1] += 0.5f; // the last input of the last row: the comparison must read to the end
        float[] changed;
        using (GradMode.NoGrad()) changed = population.Forward(x).ToArray();
        changed.Should().Equal(Composed(population, x));
        changed.Should().NotEqual(first);

        var fewer = Tensor<float>.Zeros(10, 32); // same leading bits, another shape
        x.Span[..(10 * 32)].CopyTo(fewer.Span);
        float[] head;
        using (GradMode.NoGrad()) head = population.Forward(fewer).ToArray();
        head.Should().Equal(Composed(population, fewer));
    }

    [Fact]
    public void Forward_FromSeveralThreadsAtOnce_GivesEachCallerItsOwnResults()
    {
        // Parallel trials of a sweep share the GEMM helper threads: each caller must still get exactly its own outputs.
        var jobs = Enumerable.Range(0, 3).Select(i =>
        {
            var pop = new MlpPopulation<float>(new ParameterCollection<float>(), "pop", 40, [64, 8, 1], LayerActivation.Tanh, new RngStream((ulong)(40 + i)));
            var x = Tensor<float>.Zeros(96, 64); // enough work for the helper threads to join
            Init.Normal(x, new RngStream((ulong)(50 + i)));
            return (pop, x, expected: Composed(pop, x));
        }).ToArray();
        int mismatches = 0;
        using var start = new Barrier(jobs.Length);
        var threads = jobs.Select(j => new Thread(() =>
        {
            start.SignalAndWait();
            using var ng = GradMode.NoGrad();
            for (int it = 0; it < 3000; it++)
                if (!j.pop.Forward(j.x).Span.SequenceEqual(j.expected)) Interlocked.Increment(ref mismatches);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        mismatches.Should().Be(0);
    }

    public static TheoryData<int, int> ChunkLayouts()
    {
        var data = new TheoryData<int, int>();
        // H = 8: chunks of 3 members around the singles, with an even and an odd number of big chunks; H = 24: one each
        foreach (int count in new[] { 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 22, 40, 41, 42 }) data.Add(count, 8);
        foreach (int count in new[] { 8, 9, 13 }) data.Add(count, 24);
        return data;
    }

    [Theory]
    [MemberData(nameof(ChunkLayouts))]
    public void Forward_OnTwoThreads_ComputesEveryMemberExactlyWhereTheComposedOpsPutIt(int count, int hidden)
    {
        // 96 × 128 inputs: enough work per member for the helper threads to take the back chunks
        var population = new MlpPopulation<float>(new ParameterCollection<float>(), "pop", count, [128, hidden, 1], LayerActivation.Tanh, new RngStream((ulong)(60 + count)));
        var x = Tensor<float>.Zeros(96, 128);
        Init.Normal(x, new RngStream(61));
        float[] fused;
        using (GradMode.NoGrad()) fused = population.Forward(x).ToArray();
        fused.Should().Equal(Composed(population, x));
    }

    [Fact]
    public void Forward_NaNInput_PropagatesToEveryMember()
    {
        var population = new MlpPopulation<float>(new ParameterCollection<float>(), "pop", 8, [4, 8, 1], LayerActivation.Tanh, new RngStream(9));
        var x = Tensor<float>.Zeros(3, 4);
        x.Span[5] = float.NaN; // row 1
        using var ng = GradMode.NoGrad();
        var y = population.Forward(x).ToArray();
        for (int p = 0; p < 8; p++)
        {
            float.IsNaN(y[8 + p]).Should().BeTrue();
            float.IsNaN(y[p]).Should().BeFalse();
            float.IsNaN(y[16 + p]).Should().BeFalse();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1024)]
    [InlineData(1100)]
    public unsafe void SameBits_FindsAnyDifferingBit_IncludingSignedZerosAndNaNPayloads(int n)
    {
        var a = GemmReference.Fill(n, (uint)n + 3);
        var b = (float[])a.Clone();
        fixed (float* pa = a, pb = b) PopulationMlp.SameBits(pa, pb, n).Should().BeTrue();
        foreach (int i in new[] { 0, n / 2, n - 1 }.Where(i => i >= 0 && i < n).Distinct())
        {
            foreach (var (x, y) in new[] { (0f, -0f), (float.NaN, BitConverter.UInt32BitsToSingle(0x7FC00001)), (1f, BitConverter.UInt32BitsToSingle(0x3F800001)) })
            {
                (a[i], b[i]) = (x, y);
                fixed (float* pa = a, pb = b) PopulationMlp.SameBits(pa, pb, n).Should().BeFalse($"position {i} of {n}: {x} vs {y}");
                b[i] = x;
                fixed (float* pa = a, pb = b) PopulationMlp.SameBits(pa, pb, n).Should().BeTrue();
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 16)]
    [InlineData(17, 33)]
    [InlineData(100, 256)]
    [InlineData(5, 130)]
    public unsafe void Transpose_InputsToZeroPaddedColumns_MatchesElementwise(int rows, int inF)
    {
        var x = GemmReference.Fill(rows * inF, (uint)(rows * 7 + inF));
        int ld = (rows + 15) & ~15;
        var xt = new float[inF * ld];
        Array.Fill(xt, float.NaN);
        fixed (float* px = x, pt = xt) PopulationMlp.Transpose(px, rows, inF, inF, pt, ld, ld);
        for (int p = 0; p < inF; p++)
            for (int r = 0; r < ld; r++)
                xt[p * ld + r].Should().Be(r < rows ? x[r * inF + p] : 0f);
    }

    [Theory]
    [InlineData(40, 100, 112)] // the benchmark's outputs: member rows of 112 lanes to (100, 40)
    [InlineData(8, 1, 16)]
    [InlineData(33, 17, 32)]
    public unsafe void Transpose_MemberRowsToOutputs_WritesOnlyTheOutputMatrix(int members, int rows, int ld)
    {
        var yt = GemmReference.Fill(members * ld, (uint)(members + rows));
        var y = new float[rows * members + 8];
        Array.Fill(y, -7f);
        fixed (float* ps = yt, pd = y) PopulationMlp.Transpose(ps, members, rows, ld, pd, members, members);
        for (int r = 0; r < rows; r++)
            for (int p = 0; p < members; p++)
                y[r * members + p].Should().Be(yt[p * ld + r]);
        y[^8..].Should().AllBeEquivalentTo(-7f, "nothing past the output may be written");
    }

    [Theory]
    [InlineData(40, 100, 256, 8, 2)] // two outputs
    [InlineData(40, 100, 256, 12, 1)] // H not a multiple of 8
    [InlineData(7, 100, 256, 8, 1)] // fewer than 8 members
    [InlineData(1, 100, 256, 8, 1)] // P·H ≤ 8 (the skinny GEMM's dot-product order)
    public void Applies_OnlyWhereTheComposedOpsRoundTheSameWay(int count, int rows, int inF, int hidden, int outF)
    {
        PopulationMlp.Applies(rows, inF, count, hidden, outF, Activation.Tanh).Should().BeFalse();
        PopulationMlp.Applies(rows, 256, 8, 8, 1, Activation.Sigmoid).Should().BeFalse("sigmoid has no identical vector form here");
    }

    /// <summary>The same forward pass as separate ops while a tape records (so nothing fuses).</summary>
    private static float[] Composed(MlpPopulation<float> population, Tensor<float> x)
    {
        var tape = new Tape<float>();
        using var rec = tape.Record();
        return population.Forward(x).ToArray();
    }
}
