using Emergence.Engine.Manifests;

namespace Emergence.Engine.Tests.Manifests;

public sealed class DurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("01:30:00", 5400)]
    [InlineData("100:00:01", 360001)]
    public void TryParse_AcceptedForms_GiveSeconds(string text, double seconds)
    {
        Duration.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2 hours")]
    [InlineData("2H")]
    [InlineData("30m1h")]
    [InlineData("1:60:00")]
    [InlineData("-5s")]
    [InlineData("99999999999999999999999d")]
    public void TryParse_Rejected_ReturnsFalse(string text)
    {
        Duration.TryParse(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(5400, "1h30m")]
    [InlineData(90, "1m30s")]
    [InlineData(0, "0s")]
    [InlineData(90061.25, "1d1h1m1.25s")]
    public void Format_Seconds_GivesUnitFormThatParsesBack(double seconds, string expected)
    {
        var text = Duration.Format(TimeSpan.FromSeconds(seconds));

        text.Should().Be(expected);
        Duration.TryParse(text, out var back).Should().BeTrue();
        back.Should().Be(TimeSpan.FromSeconds(seconds));
    }
}
