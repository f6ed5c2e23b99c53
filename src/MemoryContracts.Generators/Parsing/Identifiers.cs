using System.Globalization;
using System.Text;

namespace MemoryContracts.Generators.Parsing;

/// <summary>Turns ids and wire names into C# identifiers, deterministically.</summary>
internal static class Identifiers
{
    /// <summary>
    /// PascalCase from the runs of letters and digits: <c>keep-compiler-boundary</c> becomes <c>KeepCompilerBoundary</c>,
    /// <c>policy_decision</c> becomes <c>PolicyDecision</c>; a leading digit gets an underscore (<c>2026-plan</c> is <c>_2026Plan</c>).
    /// </summary>
    public static string ToPascalCase(string text)
    {
        var builder = new StringBuilder(text.Length);
        var startOfWord = true;
        foreach (var c in text)
        {
            if (!IsIdentifierPart(c))
            {
                startOfWord = true;
                continue;
            }

            builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
            startOfWord = false;
        }

        if (builder.Length == 0 || !IsIdentifierStart(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => c < 128 ? c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') : CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
            or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber or UnicodeCategory.DecimalDigitNumber => true,
        _ => false,
    };
}
