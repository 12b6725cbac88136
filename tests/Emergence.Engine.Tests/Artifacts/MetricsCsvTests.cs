using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public sealed class MetricsCsvTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_LongFormat_GroupsByNameInOrdinalOrder()
    {
        string path = Write("step,name,value\n1,loss,0.5\n1,acc,0.1\n2,loss,0.25\n2,acc,NaN\n3,loss,Infinity\n3,acc,-Infinity\n");

        var metrics = MetricsCsv.Read(path);

        metrics.Select(m => m.Name).Should().Equal("acc", "loss");
        metrics[0].Steps.Should().Equal(1, 2, 3);
        metrics[0].Values[0].Should().Be(0.1);
        double.IsNaN(metrics[0].Values[1]).Should().BeTrue();
        metrics[0].Values[2].Should().Be(double.NegativeInfinity);
        metrics[1].Values.Should().Equal(0.5, 0.25, double.PositiveInfinity);
    }

    [Fact]
    public void Read_RoundTripDoubles_AreExact()
    {
        double v = 0.1 + 0.2;
        string path = Write($"step,name,value\n1,x,{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\n");
        MetricsCsv.Read(path)[0].Values[0].Should().Be(v);
    }

    [Fact]
    public void Read_UnterminatedLastLine_IsIgnoredAsInProgress()
    {
        string path = Write("step,name,value\n1,loss,0.5\n2,loss,0.2");
        MetricsCsv.Read(path)[0].Steps.Should().Equal(1);
    }

    [Fact]
    public void Read_OutOfOrderSteps_SortsStably()
    {
        string path = Write("step,name,value\n5,x,1\n3,x,2\n5,x,3\n4,x,4\n");
        var m = MetricsCsv.Read(path)[0];
        m.Steps.Should().Equal(3, 4, 5, 5);
        m.Values.Should().Equal(2, 4, 1, 3);
    }

    [Fact]
    public void Read_QuotedNameWithComma_Unquotes()
    {
        string path = Write("step,name,value\n1,\"a,\"\"b\"\"\",2\n");
        MetricsCsv.Read(path)[0].Name.Should().Be("a,\"b\"");
    }

    [Fact]
    public void Read_HeaderOnlyOrEmpty_ReturnsNoMetrics()
    {
        MetricsCsv.Read(Write("step,name,value\n")).Should().BeEmpty();
        MetricsCsv.Read(Write("")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("step,name,value\n1,loss,0.5\nx,loss,1\n", "*:3: step 'x' is not an integer*")]
    [InlineData("step,name,value\n1,loss,abc\n", "*:2: value 'abc' is not a number*")]
    [InlineData("step,name,value\n1;loss;1\n", "*:2: expected 'step,name,value'*")]
    [InlineData("time,metric,v\n", "*:1: expected the header*")]
    public void Read_Malformed_ThrowsNamingLine(string content, string message)
    {
        var act = () => MetricsCsv.Read(Write(content));
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        var act = () => MetricsCsv.Read(Path.Combine(_dir.Path, "nope.csv"));
        act.Should().Throw<FileNotFoundException>();
    }

    private string Write(string content)
    {
        string path = Path.Combine(_dir.Path, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, content);
        return path;
    }
}
