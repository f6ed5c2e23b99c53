namespace MemoryContracts.Packing;

/// <summary>Counts the tokens of a text for a budget: the seam between packing, activation and a model's tokenizer.</summary>
public interface ITokenCounter
{
    /// <summary>The counter's name as receipts record it, such as <c>estimate</c> or <c>o200k_base</c>.</summary>
    string Name { get; }

    /// <summary>The tokens of a text.</summary>
    int CountTokens(string text);
}

/// <summary>
/// Estimates tokens as one per four characters, rounded up: approximate, deterministic and model-independent, so
/// that packages built at build time are byte-identical everywhere. It undercounts text that is not English prose
/// (docs/agents.md measures how far); a host that knows its model passes a tokenizer's <see cref="ITokenCounter"/>.
/// </summary>
public static class TokenEstimator
{
    /// <summary>The estimate as an <see cref="ITokenCounter"/> (named <c>estimate</c>).</summary>
    public static ITokenCounter Default { get; } = new CharactersOverFour();

    /// <summary>Estimates the tokens of a title and a text joined by a newline.</summary>
    public static int Estimate(string title, string? text) => Default.CountTokens(ItemText(title, text));

    /// <summary>What an item's tokens are counted over: its title, and its text on the next line.</summary>
    public static string ItemText(string title, string? text) => string.IsNullOrEmpty(text) ? title : title + "\n" + text;

    private sealed class CharactersOverFour : ITokenCounter
    {
        public string Name => "estimate";

        public int CountTokens(string text) => (text.Length + 3) / 4;
    }
}
