using System.Globalization;
using System.Text;

namespace MemoryContracts.Text;

/// <summary>
/// Text made safe to print on one line: control characters (a newline could forge a whole output line), bidirectional
/// controls (U+202E could make a line read backwards), other invisible format characters and unpaired surrogates are
/// written as <c>\uXXXX</c>. Everything else, non-ASCII letters included, stays as it is.
/// </summary>
internal static class DisplayText
{
    /// <summary>The text with every unsafe character escaped; the same string when there is none.</summary>
    public static string Escape(string text)
    {
        var first = IndexOfUnsafe(text, 0);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var index = first; index < text.Length; index++)
        {
            var c = text[index];
            if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                builder.Append(c).Append(text[++index]);
            }
            else if (IsUnsafe(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static int IndexOfUnsafe(string text, int start)
    {
        for (var index = start; index < text.Length; index++)
        {
            var c = text[index];
            if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                index++;
            }
            else if (IsUnsafe(c))
            {
                return index;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
