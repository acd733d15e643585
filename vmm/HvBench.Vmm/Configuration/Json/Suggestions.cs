namespace HvBench.Vmm.Configuration.Json;

/// <summary>Finds the allowed name a misspelt one was probably meant to be, for "did you mean" hints.</summary>
internal static class Suggestions
{
    /// <summary>The candidate equal to <paramref name="given"/> but for case, else the one nearest in edits (at most 2), else null.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = given.Length <= 4 ? 2 : 3;
        foreach (string candidate in candidates)
        {
            if (string.Equals(candidate, given, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }

            int distance = Distance(given, candidate, bestDistance);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance ignoring case, or <paramref name="limit"/> when it is at least that.</summary>
    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) >= limit)
        {
            return limit;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + substitution);
            }

            (previous, current) = (current, previous);
        }

        return Math.Min(previous[b.Length], limit);
    }
}
