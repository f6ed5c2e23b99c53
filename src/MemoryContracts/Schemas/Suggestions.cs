namespace MemoryContracts.Schemas;

/// <summary>Finds the closest known name to a misspelled one, for "did you mean" hints.</summary>
internal static class Suggestions
{
    /// <summary>
    /// Returns the candidate with the smallest edit distance (insertions, deletions, substitutions and swaps of
    /// neighbours each count one), if it is at most a third of the value's length and at least one.
    /// </summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = Math.Max(1, value.Length / 3) + 1;
        foreach (var candidate in candidates)
        {
            var distance = Distance(value, candidate, bestDistance);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Formats a hint such as " (did you mean 'decision'?)", or an empty string.</summary>
    public static string Hint(string? suggestion) => suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";

    private static bool Same(char a, char b) => char.ToLowerInvariant(a) == char.ToLowerInvariant(b);

    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) >= limit)
        {
            return limit;
        }

        // Optimal string alignment distance, three rows.
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }

            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }

        return previous[b.Length];
    }
}
