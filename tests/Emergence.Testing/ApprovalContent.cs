using System.Text;

namespace Emergence.Testing;

/// <summary>Output to compare: bytes, plus whether it is text (line endings normalised, line-based diff).</summary>
/// <param name="Bytes">The content as written to disk (UTF-8 without BOM for text).</param>
/// <param name="IsText">True for text.</param>
internal readonly record struct ApprovalContent(byte[] Bytes, bool IsText)
{
    /// <summary>Text content with line endings normalised to '\n'.</summary>
    public static ApprovalContent FromText(string text) => new(Encoding.UTF8.GetBytes(Normalise(text)), true);

    /// <summary>Binary content, compared byte for byte.</summary>
    public static ApprovalContent FromBytes(byte[] bytes) => new(bytes, false);

    /// <summary>Reads a verified file the same way the actual output was prepared.</summary>
    public ApprovalContent ReadLike(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return IsText ? FromText(new UTF8Encoding(false).GetString(StripBom(bytes))) : FromBytes(bytes);
    }

    /// <summary>True when both have identical bytes.</summary>
    public bool SameAs(ApprovalContent other) => Bytes.AsSpan().SequenceEqual(other.Bytes);

    /// <summary>One or two lines saying where <paramref name="actual"/> first departs from this (the verified) content.</summary>
    public string DescribeDifference(ApprovalContent actual) =>
        IsText ? DescribeText(actual) : DescribeBytes(actual);

    private string DescribeText(ApprovalContent actual)
    {
        string[] expected = Encoding.UTF8.GetString(Bytes).Split('\n');
        string[] received = Encoding.UTF8.GetString(actual.Bytes).Split('\n');
        int n = Math.Min(expected.Length, received.Length);
        int line = 0;
        while (line < n && expected[line] == received[line]) line++;
        return $"first difference at line {line + 1} (verified has {expected.Length} lines, received {received.Length}):\n" +
               $"  verified: {Show(expected, line)}\n  received: {Show(received, line)}";
    }

    private string DescribeBytes(ApprovalContent actual)
    {
        int offset = Bytes.AsSpan().CommonPrefixLength(actual.Bytes);
        return $"first difference at byte offset {offset} (verified has {Bytes.Length} bytes, received {actual.Bytes.Length})";
    }

    private static string Show(string[] lines, int index)
    {
        if (index >= lines.Length) return "<end of file>";
        string line = lines[index];
        return line.Length <= 200 ? $"\"{line}\"" : $"\"{line[..200]}\"… ({line.Length} chars)";
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static ReadOnlySpan<byte> StripBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes.AsSpan(3) : bytes;
}
