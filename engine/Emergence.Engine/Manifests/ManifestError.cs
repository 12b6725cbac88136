using System.Text;

namespace Emergence.Engine.Manifests;

/// <summary>
/// One problem in a manifest: where it is, which key, what is wrong and how to fix it.
/// <paramref name="Line"/> and <paramref name="Column"/> are 1-based; both are 0 when the
/// problem comes from a <c>--set</c> override, in which case <paramref name="File"/> is the override.
/// </summary>
/// <param name="File">The manifest path (or source name), or <c>--set KEY=VALUE</c> for an override.</param>
/// <param name="Line">1-based line, or 0 when there is no line (overrides).</param>
/// <param name="Column">1-based column, or 0 when there is no column.</param>
/// <param name="Key">Dotted manifest key, e.g. <c>model.n_neurons</c> or <c>model.layers[2]</c>; "" for the whole file.</param>
/// <param name="Message">What is wrong, naming the expected and the actual value.</param>
/// <param name="Fix">How to fix it.</param>
internal sealed record ManifestError(string File, int Line, int Column, string Key, string Message, string Fix)
{
    /// <summary><c>FILE:LINE:COL: KEY: MESSAGE</c> and, on the next line, <c>  fix: FIX</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(File);
        if (Line > 0) text.Append(':').Append(Line).Append(':').Append(Column);
        text.Append(": ");
        if (Key.Length > 0) text.Append(Key).Append(": ");
        text.Append(Message);
        if (Fix.Length > 0) text.Append("\n  fix: ").Append(Fix);
        return text.ToString();
    }
}

/// <summary>A manifest could not be loaded; <see cref="Errors"/> lists every problem found, in file order.</summary>
internal sealed class ManifestException(IReadOnlyList<ManifestError> errors)
    : Exception(FormatMessage(errors))
{
    /// <summary>Every problem found (never empty).</summary>
    public IReadOnlyList<ManifestError> Errors { get; } = errors;

    private static string FormatMessage(IReadOnlyList<ManifestError> errors)
    {
        var text = new StringBuilder();
        text.Append(errors.Count == 1 ? "the manifest has 1 error:" : $"the manifest has {errors.Count} errors:");
        foreach (var error in errors) text.Append('\n').Append(error);
        return text.ToString();
    }
}
