namespace Emergence.Engine.Manifests;

/// <summary>Suggests the closest valid name for a misspelt one.</summary>
internal static class DidYouMean
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/>: within Damerau–Levenshtein (optimal string
    /// alignment) distance 2 (1 for names of up to 4 letters), or one being a prefix of the other
    /// (at least 3 letters); ties go to the first candidate. Null when nothing is close.
    /// </summary>
    public static string? Suggest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestScore = int.MaxValue;
        var lower = input.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Distance(lower, candidate.ToLowerInvariant());
            var limit = Math.Min(input.Length, candidate.Length) <= 4 ? 1 : 2;
            var score = distance <= limit ? distance : int.MaxValue;
            var isPrefix = Math.Min(input.Length, candidate.Length) >= 3
                && (candidate.StartsWith(lower, StringComparison.Ordinal) || lower.StartsWith(candidate, StringComparison.Ordinal));
            if (isPrefix) score = Math.Min(score, 3);
            if (score < bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        var width = b.Length + 1;
        var d = new int[(a.Length + 1) * width];
        for (var i = 0; i <= a.Length; i++) d[i * width] = i;
        for (var j = 0; j <= b.Length; j++) d[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1), d[(i - 1) * width + j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    best = Math.Min(best, d[(i - 2) * width + j - 2] + 1);
                d[i * width + j] = best;
            }
        }
        return d[a.Length * width + b.Length];
    }

    /// <summary>"unknown X 'name'" completed with "; did you mean 'y'?" when one is close.</summary>
    public static string Hint(string input, IEnumerable<string> candidates)
    {
        var close = Suggest(input, candidates);
        return close is null ? "" : $"; did you mean '{close}'?";
    }
}
