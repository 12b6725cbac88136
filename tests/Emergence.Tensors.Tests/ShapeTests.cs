namespace Emergence.Tensors.Tests;

public sealed class ShapeTests
{
    [Fact]
    public void Length_Rank0_IsOne() => new Shape().Length.Should().Be(1);

    [Fact]
    public void Equals_DefaultAndEmpty_AreEqual() => (default(Shape) == new Shape()).Should().BeTrue();

    [Fact]
    public void Indexer_NegativeAxis_CountsFromEnd() => new Shape(2, 3, 4)[-1].Should().Be(4);

    [Fact]
    public void Constructor_Rank5_Throws()
    {
        var act = () => new Shape(1, 2, 3, 4, 5);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void WithAndWithout_ChangeOneAxis()
    {
        var s = new Shape(2, 3, 4);
        s.With(1, 7).Should().Be(new Shape(2, 7, 4));
        s.Without(0).Should().Be(new Shape(3, 4));
        s.ToString().Should().Be("(2, 3, 4)");
    }
}
