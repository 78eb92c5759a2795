namespace Commons.Learning;

/// <summary>Word-level overlap of two short texts, for telling near-identical advice apart from different advice.</summary>
public static class TextOverlap
{
    /// <summary>Jaccard similarity of the two texts' sets of lower-cased words.</summary>
    public static double Jaccard(string a, string b)
    {
        var left = Words(a);
        var right = Words(b);
        if (left.Count == 0 && right.Count == 0)
        {
            return 1;
        }

        var shared = left.Count(right.Contains);
        return shared / (double)(left.Count + right.Count - shared);
    }

    private static HashSet<string> Words(string text) =>
        text.ToLowerInvariant()
            .Split((char[])[' ', '\t', '\n', '\r', '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
}
