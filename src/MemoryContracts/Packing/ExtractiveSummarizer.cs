using System.Text;

namespace MemoryContracts.Packing;

/// <summary>Deterministic extractive summaries: the first sentence, whitespace folded, cut at a word boundary.</summary>
public static class ExtractiveSummarizer
{
    /// <summary>The longest summary, in characters.</summary>
    public const int MaxLength = 200;

    /// <summary>Summarizes a text, or returns the fallback when the text is empty.</summary>
    public static string Summarize(string? text, string fallback)
    {
        var folded = Fold(string.IsNullOrWhiteSpace(text) ? fallback : text!);
        var sentenceEnd = FirstSentenceEnd(folded);
        var sentence = sentenceEnd > 0 ? folded.Substring(0, sentenceEnd) : folded;
        return Truncate(sentence, MaxLength);
    }

    /// <summary>Cuts a text to at most <paramref name="maxLength"/> characters at a word boundary, ending with an ellipsis.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxLength - 1);
        return text.Substring(0, cut > maxLength / 2 ? cut : maxLength - 1).TrimEnd() + "\u2026";
    }

    private static int FirstSentenceEnd(string text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if ((text[i] == '.' || text[i] == '!' || text[i] == '?') && text[i + 1] == ' ')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
