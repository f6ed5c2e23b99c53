using MemoryContracts.Packing;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Issue 14: one budget rule for compiling, activating and injecting: the longest prefix that fits.</summary>
public sealed class BudgetFitTests
{
    [Theory]
    [InlineData(new[] { 10, 10, 10 }, null, null, 3, "")]
    [InlineData(new[] { 10, 10, 10 }, 2, null, 2, "max_items")]
    [InlineData(new[] { 10, 10, 10 }, null, 25, 2, "max_tokens")]
    [InlineData(new[] { 10, 10, 10 }, null, 30, 3, "")]
    [InlineData(new[] { 50, 1, 1 }, null, 10, 0, "max_tokens max_tokens max_tokens")]
    [InlineData(new[] { 5, 50, 1, 1 }, 3, 10, 1, "max_tokens max_tokens max_items")]
    [InlineData(new[] { 5, 5 }, 0, null, 0, "max_items max_items")]
    [InlineData(new int[0], 1, 1, 0, "")]
    public void The_longest_prefix_within_both_limits_is_kept_and_a_small_item_after_a_big_one_is_not(int[] tokens, int? maxItems, int? maxTokens, int kept, string reasons)
    {
        var fit = BudgetFit.Of(tokens, maxItems, maxTokens);

        Assert.Equal(kept, fit.Kept);
        Assert.Equal(reasons, string.Join(" ", Enumerable.Range(fit.Kept, tokens.Length - fit.Kept).Select(fit.ReasonAt)));
    }
}
