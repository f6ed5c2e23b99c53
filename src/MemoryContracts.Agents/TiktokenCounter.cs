using MemoryContracts.Packing;
using Microsoft.ML.Tokenizers;

namespace MemoryContracts.Agents;

/// <summary>
/// Counts tokens as OpenAI-family models do, with Microsoft.ML.Tokenizers and its bundled vocabularies: o200k_base
/// (GPT-4o and later) or cl100k_base (GPT-4, GPT-3.5). Use it where a budget must hold in the model's real tokens;
/// the default estimate (one per four characters) undercounts code, ids and non-English text (docs/agents.md).
/// </summary>
public sealed class TiktokenCounter : ITokenCounter
{
    private static readonly Lazy<TiktokenCounter> O200k = new(() => new TiktokenCounter("o200k_base"));
    private static readonly Lazy<TiktokenCounter> Cl100k = new(() => new TiktokenCounter("cl100k_base"));
    private readonly TiktokenTokenizer _tokenizer;

    private TiktokenCounter(string encoding)
    {
        Name = encoding;
        _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
    }

    /// <summary>The o200k_base encoding (GPT-4o, GPT-4.1, o-series).</summary>
    public static TiktokenCounter O200kBase => O200k.Value;

    /// <summary>The cl100k_base encoding (GPT-4, GPT-3.5).</summary>
    public static TiktokenCounter Cl100kBase => Cl100k.Value;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int CountTokens(string text) => _tokenizer.CountTokens(text);
}
