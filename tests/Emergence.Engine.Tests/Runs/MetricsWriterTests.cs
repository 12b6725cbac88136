using Emergence.Engine.Runs;
using Emergence.Engine.Tests.Plugins;

namespace Emergence.Engine.Tests.Runs;

public class MetricsWriterTests
{
    [Fact]
    public void Record_Values_WritesLongFormatCsvWithRoundTripDoubles()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "metrics.csv");
        using (var writer = new MetricsWriter(path))
        {
            writer.BeginStep(7);
            writer.Record("loss", 0.1);
            writer.Record("odd", double.NaN);
            writer.BeginStep(8);
            writer.Record("loss", 1.0 / 3.0);
            writer.Record("big", double.NegativeInfinity);
            writer.Latest["loss"].Should().Be(1.0 / 3.0);
        }
        File.ReadAllText(path).Should().Be(
            "step,name,value\n7,loss,0.1\n7,odd,NaN\n8,loss,0.3333333333333333\n8,big,-Infinity\n");
    }

    [Fact]
    public void Constructor_WithLength_CutsOffRowsWrittenAfterTheCheckpoint()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "metrics.csv");
        long atCheckpoint;
        using (var writer = new MetricsWriter(path))
        {
            writer.BeginStep(1);
            writer.Record("x", 1);
            atCheckpoint = writer.Flush();
            writer.BeginStep(2);
            writer.Record("x", 2);
        }
        using (var resumed = new MetricsWriter(path, atCheckpoint))
        {
            resumed.BeginStep(2);
            resumed.Record("x", 2.5);
        }
        File.ReadAllText(path).Should().Be("step,name,value\n1,x,1\n2,x,2.5\n");
    }
}
