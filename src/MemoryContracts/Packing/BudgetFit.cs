namespace MemoryContracts.Packing;

/// <summary>
/// The one budget rule, for compiling a package, activating it and injecting it into an agent run: items come in
/// priority order, and the longest prefix that keeps within both <c>max_items</c> and <c>max_tokens</c> is kept.
/// Everything after it is left out, even an item small enough to fit: a lower-priority item never displaces a
/// higher one, and the same items give the same result wherever the budget is applied.
/// </summary>
internal readonly struct BudgetFit
{
    private BudgetFit(int kept, int withinItems)
    {
        Kept = kept;
        WithinItems = withinItems;
    }

    /// <summary>How many items, from the first, are kept.</summary>
    public int Kept { get; }

    /// <summary>How many items, from the first, <c>max_items</c> allows; items from here on are left out for it, the ones before for <c>max_tokens</c>.</summary>
    public int WithinItems { get; }

    /// <summary>Fits items with these token counts, in priority order, into a budget; a null limit does not bind.</summary>
    public static BudgetFit Of(IReadOnlyList<int> tokens, int? maxItems, int? maxTokens)
    {
        var withinItems = maxItems is { } items ? Math.Min(Math.Max(items, 0), tokens.Count) : tokens.Count;
        var kept = 0;
        long total = 0;
        while (kept < withinItems && (maxTokens is not { } limit || total + tokens[kept] <= limit))
        {
            total += tokens[kept];
            kept++;
        }

        return new BudgetFit(kept, withinItems);
    }

    /// <summary>The limit that leaves out the item at <paramref name="index"/> (at or after <see cref="Kept"/>): <c>max_items</c> or <c>max_tokens</c>.</summary>
    public string ReasonAt(int index) => index >= WithinItems ? "max_items" : "max_tokens";
}
