using MemoryContracts.Diagnostics;

namespace MemoryContracts.Documents;

/// <summary>Text no fixture may hold: an unpaired surrogate (not Unicode) or U+0000 (PostgreSQL cannot store it, and many tools cut text at it).</summary>
internal static class TextProblems
{
    /// <summary>Why a decoded string cannot be kept, or null.</summary>
    public static string? Of(string text, DocumentLimits limits)
    {
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            if (c == '\0' && !limits.AllowNul)
            {
                return "the string holds U+0000 (NUL), which fixtures may not hold";
            }

            if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                index++;
            }
            else if (char.IsSurrogate(c))
            {
                return "the string holds an unpaired surrogate, which is not Unicode text";
            }
        }

        return null;
    }
}

/// <summary>A string a reader decoded that no fixture may hold, with where it is.</summary>
internal sealed class UnusableText(SourceLocation location, string message) : Exception(message)
{
    public SourceLocation Location { get; } = location;
}
