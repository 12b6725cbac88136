using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Emergence.Engine.Artifacts;

namespace Emergence.Engine.Tests.Artifacts;

public sealed class MetricsChartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RenderAll_TwoMetrics_WritesOneSvgEachAndSelfContainedIndex()
    {
        string csv = WriteMetrics(("loss", i => 1.0 / (i + 1)), ("eval/acc", i => i / 100.0));
        string output = Path.Combine(_dir.Path, "artifacts", "metrics");

        var written = MetricsChart.RenderAll(csv, output);

        written.Select(Path.GetFileName).Should().Equal("eval_acc.svg", "loss.svg", "index.html");
        string html = File.ReadAllText(Path.Combine(output, "index.html"));
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("<h2>eval/acc</h2>").And.Contain("<h2>loss</h2>");
        html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal)
            .Should().NotContain("http").And.NotContain("src=").And.NotContain("<link", "the page has no external resources");
        Count(html, "<svg ").Should().Be(2);
        XDocument.Parse(File.ReadAllText(Path.Combine(output, "loss.svg"))).Root!.Name.LocalName.Should().Be("svg");
    }

    [Fact]
    public void RenderAll_Twice_IsByteIdentical()
    {
        string csv = WriteMetrics(("loss", i => Math.Cos(i)));
        string a = Path.Combine(_dir.Path, "a"), b = Path.Combine(_dir.Path, "b");

        MetricsChart.RenderAll(csv, a);
        MetricsChart.RenderAll(csv, b);

        File.ReadAllBytes(Path.Combine(a, "loss.svg")).Should().Equal(File.ReadAllBytes(Path.Combine(b, "loss.svg")));
        File.ReadAllBytes(Path.Combine(a, "index.html")).Should().Equal(File.ReadAllBytes(Path.Combine(b, "index.html")));
    }

    [Fact]
    public void RenderAll_HeaderOnly_WritesPageSayingNoMetrics()
    {
        string csv = Path.Combine(_dir.Path, "metrics.csv");
        File.WriteAllText(csv, "step,name,value\n");

        var written = MetricsChart.RenderAll(csv, Path.Combine(_dir.Path, "out"));

        written.Should().ContainSingle();
        File.ReadAllText(written[0]).Should().Contain("No metrics recorded yet.");
    }

    [Fact]
    public void UniqueFileName_CollidingAndUnsafeNames_AreMadeDistinctAndSafe()
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "index" };
        MetricsChart.UniqueFileName("a/b", used).Should().Be("a_b");
        MetricsChart.UniqueFileName("a:b", used).Should().Be("a_b_2");
        MetricsChart.UniqueFileName("index", used).Should().Be("index_2");
        MetricsChart.UniqueFileName("..", used).Should().Be("_..");
    }

    private string WriteMetrics(params (string Name, Func<int, double> F)[] metrics)
    {
        var text = new StringBuilder("step,name,value\n");
        for (int i = 0; i < 50; i++)
        {
            foreach (var (name, f) in metrics)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i + 1},{name},{f(i).ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }

        string path = Path.Combine(_dir.Path, "metrics.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static int Count(string text, string what) =>
        System.Text.RegularExpressions.Regex.Count(text, System.Text.RegularExpressions.Regex.Escape(what));
}
