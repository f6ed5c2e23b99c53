namespace MemoryContracts.Schemas;

/// <summary>Finds the closest known name to a misspelled one, for "did you mean" hints.</summary>
internal static class Suggestions
{
    /// <summary>Returns the candidate with the smallest edit distance, if it is at most a third of the value's length.</summary>
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

    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) >= limit)
        {
            return limit;
        }

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
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
