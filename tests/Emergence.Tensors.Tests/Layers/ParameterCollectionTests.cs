using Emergence.Contracts.Random;
using Emergence.Contracts.State;
using Emergence.Tensors.Layers;
using Emergence.Tensors.Tests.Support;

namespace Emergence.Tensors.Tests.Layers;

public sealed class ParameterCollectionTests
{
    [Fact]
    public void SaveLoad_RoundTrip_RestoresEveryParameterBitExactly()
    {
        var a = new MicroTransformer<float>(11, 3, 8, 2, 16, 1, new RngStream(1));
        var b = new MicroTransformer<float>(11, 3, 8, 2, 16, 1, new RngStream(2));
        var state = new MemoryState();
        a.Parameters.Save(state);
        b.Parameters.Load(state);
        foreach (var p in a.Parameters.Items) b.Parameters[p.Name!].ToArray().Should().Equal(p.ToArray(), p.Name);
        state.Keys.Should().Contain("block0.attn.q.weight");
    }

    [Fact]
    public void Load_ShapeMismatch_ThrowsNamingTheKey()
    {
        var small = new ParameterCollection<float>();
        small.Add("w", Tensor<float>.Zeros(2, 3));
        var state = new MemoryState();
        small.Save(state);
        var other = new ParameterCollection<float>();
        other.Add("w", Tensor<float>.Zeros(3, 2));
        var act = () => other.Load(state);
        act.Should().Throw<StateFormatException>().WithMessage("*'w'*");
    }

    [Fact]
    public void Add_DuplicateName_Throws()
    {
        var ps = new ParameterCollection<float>();
        ps.Add("w", Tensor<float>.Zeros(1));
        var act = () => ps.Add("w", Tensor<float>.Zeros(1));
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Constructor_SameSeed_SameInitialWeights()
    {
        var a = new MicroTransformer<float>(11, 3, 8, 2, 16, 1, new RngStream(5));
        var b = new MicroTransformer<float>(11, 3, 8, 2, 16, 1, new RngStream(5));
        a.Parameters["head.weight"].ToArray().Should().Equal(b.Parameters["head.weight"].ToArray());
    }
}
