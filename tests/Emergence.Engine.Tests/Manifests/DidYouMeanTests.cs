using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class DidYouMeanTests
{
    [Theory]
    [InlineData("n_neuron", "n_neurons")]
    [InlineData("lr_egde", "lr_edge")]
    [InlineData("sparknett", "sparknet")]
    [InlineData("spark", "sparknet")]
    [InlineData("LR_EDGE", "lr_edge")]
    public void Suggest_CloseName_ReturnsIt(string input, string expected)
    {
        DidYouMean.Suggest(input, ["n_neurons", "lr_edge", "sparknet", "layout"]).Should().Be(expected);
    }

    [Theory]
    [InlineData("zzz")]
    [InlineData("neurons_total")]
    [InlineData("ab")]
    public void Suggest_NothingClose_ReturnsNull(string input)
    {
        DidYouMean.Suggest(input, ["n_neurons", "lr_edge", "abcdef"]).Should().BeNull();
    }

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_Pairs_IsOptimalStringAlignment(string a, string b, int expected)
    {
        DidYouMean.Distance(a, b).Should().Be(expected);
    }
}
