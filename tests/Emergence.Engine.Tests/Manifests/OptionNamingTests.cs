using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class OptionNamingTests
{
    [Theory]
    [InlineData("SparkForceSteps", "spark_force_steps")]
    [InlineData("NNeurons", "n_neurons")]
    [InlineData("LR", "lr")]
    [InlineData("HTTPServer2", "http_server2")]
    [InlineData("Layer2Size", "layer2_size")]
    [InlineData("Row", "row")]
    [InlineData("already_snake", "already_snake")]
    public void ToSnakeCase_PascalCase_GivesManifestKey(string name, string expected)
    {
        OptionNaming.ToSnakeCase(name).Should().Be(expected);
    }

    [Fact]
    public void NameOf_OptionNameAttribute_Overrides()
    {
        OptionNaming.NameOf(typeof(NetModelOptions).GetProperty(nameof(NetModelOptions.NumSparks))!).Should().Be("sparks");
        OptionNaming.NameOf(typeof(WeightView).GetField(nameof(WeightView.BothWays))!).Should().Be("both_ways");
    }
}
