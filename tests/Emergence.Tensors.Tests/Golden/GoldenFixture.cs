using System.Text.Json;

namespace Emergence.Tensors.Tests.Golden;

/// <summary>Reads the JSON fixtures written by tools/golden/make_golden.py (committed, so tests need no PyTorch).</summary>
internal static class GoldenFixture
{
    public static JsonElement Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "fixtures", file);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static Tensor<float> Tensor(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var data = e.GetProperty("data").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
        return new Tensor<float>(data, new Shape(shape));
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>Asserts elementwise closeness: |a - e| ≤ atol + rtol·|e|.</summary>
    public static void ShouldMatch(Tensor<float> actual, Tensor<float> expected, string what, float atol = 2e-5f, float rtol = 2e-4f)
    {
        actual.Shape.Should().Be(expected.Shape, what);
        for (int i = 0; i < expected.Length; i++)
            actual[i].Should().BeApproximately(expected[i], atol + rtol * Math.Abs(expected[i]), $"{what}[{i}]");
    }
}
