using System.Text;
using System.Text.RegularExpressions;

namespace MemoryContracts.Schemas;

/// <summary>
/// JSON Schema regular expressions are ECMA-262's. .NET's dialect is close; this reads a pattern as ECMA-262 does where
/// the two part: it refuses the .NET-only syntax (inline comments and option groups, atomic and balancing groups,
/// conditionals, <c>\a</c>, <c>\e</c>, <c>\A</c>, <c>\Z</c>, <c>\z</c>, <c>\G</c>) and gives .NET the ECMA-262 meaning of
/// <c>$</c> (the end of the string, not before a final newline), <c>.</c> (no line terminator), <c>\d</c> and
/// <c>\w</c> (ASCII only), <c>\s</c> (with U+FEFF), a character outside the BMP (one unit for a quantifier) and an empty class (<c>[]</c> matches nothing, <c>[^]</c> any character).
/// </summary>
internal static class EcmaPattern
{
    /// <summary>The .NET pattern with the ECMA-262 meaning, or null and why not when the pattern is not ECMA-262.</summary>
    public static string? Translate(string pattern, out string? problem)
    {
        var translated = new StringBuilder(pattern.Length);
        for (var index = 0; index < pattern.Length; index++)
        {
            var c = pattern[index];
            if (c == '\\' && index + 1 < pattern.Length)
            {
                var escaped = pattern[index + 1];
                if (escaped is 'a' or 'e' or 'A' or 'Z' or 'z' or 'G')
                {
                    problem = $"'\\{escaped}' is not an ECMA-262 escape";
                    return null;
                }

                translated.Append(escaped switch
                {
                    'd' => "[0-9]",
                    'D' => "[^0-9]",
                    'w' => "[A-Za-z0-9_]",
                    'W' => "[^A-Za-z0-9_]",
                    's' => @"[\s\uFEFF]",
                    'S' => @"[^\s\uFEFF]",
                    'p' or 'P' => Property(pattern, ref index),
                    _ => "\\" + escaped,
                });
                index++;
            }
            else if (c == '[')
            {
                var end = ClassEnd(pattern, index);
                var body = pattern.Substring(index, end - index + 1);
                translated.Append(body switch { "[]" => "(?!)", "[^]" => @"[\s\S]", _ => TranslateClass(body) });
                index = end;
            }
            else if (char.IsHighSurrogate(c) && index + 1 < pattern.Length && char.IsLowSurrogate(pattern[index + 1]))
            {
                // One code point, as ECMA-262 reads it with the u flag: a quantifier after it repeats both halves.
                translated.Append("(?:").Append(c).Append(pattern[index + 1]).Append(')');
                index++;
            }
            else if (c == '$')
            {
                translated.Append(@"\z");
            }
            else if (c == '.')
            {
                translated.Append(@"[^\n\r\u2028\u2029]");
            }
            else if (c == '(' && index + 1 < pattern.Length && pattern[index + 1] == '?' && !IsEcmaGroup(pattern, index + 2))
            {
                problem = $"the group '{pattern.Substring(index, Math.Min(4, pattern.Length - index))}...' is .NET syntax, not ECMA-262";
                return null;
            }
            else
            {
                translated.Append(c);
            }
        }

        problem = null;
        return translated.ToString();
    }

    /// <summary>Whether a pattern is an ECMA-262 regular expression .NET can run.</summary>
    public static bool IsValid(string pattern)
    {
        if (Translate(pattern, out _) is not { } translated)
        {
            return false;
        }

        try
        {
            _ = new Regex(translated, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Unicode general categories by the names ECMA-262 accepts (Unicode's long names and aliases, with or without
    /// <c>General_Category=</c>/<c>gc=</c>), mapped to the short names .NET knows.
    /// </summary>
    private static readonly Dictionary<string, string> Categories = new(StringComparer.Ordinal)
    {
        ["Letter"] = "L", ["Uppercase_Letter"] = "Lu", ["Lowercase_Letter"] = "Ll", ["Titlecase_Letter"] = "Lt", ["Modifier_Letter"] = "Lm", ["Other_Letter"] = "Lo",
        ["Mark"] = "M", ["Combining_Mark"] = "M", ["Nonspacing_Mark"] = "Mn", ["Spacing_Mark"] = "Mc", ["Enclosing_Mark"] = "Me",
        ["Number"] = "N", ["Decimal_Number"] = "Nd", ["digit"] = "Nd", ["Letter_Number"] = "Nl", ["Other_Number"] = "No",
        ["Punctuation"] = "P", ["punct"] = "P", ["Connector_Punctuation"] = "Pc", ["Dash_Punctuation"] = "Pd", ["Open_Punctuation"] = "Ps", ["Close_Punctuation"] = "Pe",
        ["Initial_Punctuation"] = "Pi", ["Final_Punctuation"] = "Pf", ["Other_Punctuation"] = "Po",
        ["Symbol"] = "S", ["Math_Symbol"] = "Sm", ["Currency_Symbol"] = "Sc", ["Modifier_Symbol"] = "Sk", ["Other_Symbol"] = "So",
        ["Separator"] = "Z", ["Space_Separator"] = "Zs", ["Line_Separator"] = "Zl", ["Paragraph_Separator"] = "Zp",
        ["Other"] = "C", ["Control"] = "Cc", ["cntrl"] = "Cc", ["Format"] = "Cf", ["Surrogate"] = "Cs", ["Private_Use"] = "Co", ["Unassigned"] = "Cn",
    };

    /// <summary><c>\p{...}</c> or <c>\P{...}</c> at <paramref name="index"/> (the backslash) with .NET's category name; moves past it.</summary>
    private static string Property(string pattern, ref int index)
    {
        var open = index + 2;
        var close = open < pattern.Length && pattern[open] == '{' ? pattern.IndexOf('}', open) : -1;
        if (close < 0)
        {
            return "\\" + pattern[index + 1];
        }

        var name = pattern.Substring(open + 1, close - open - 1);
        var equals = name.IndexOf('=');
        if (equals >= 0 && name.Substring(0, equals) is "General_Category" or "gc")
        {
            name = name.Substring(equals + 1);
        }

        var text = "\\" + pattern[index + 1] + "{" + (Categories.TryGetValue(name, out var shortName) ? shortName : name) + "}";
        index = close - 1;
        return text;
    }

    /// <summary>A character class with ECMA-262's ASCII <c>\d</c> and <c>\w</c>.</summary>
    private static string TranslateClass(string body)
    {
        var translated = new StringBuilder(body.Length);
        for (var index = 0; index < body.Length; index++)
        {
            if (body[index] == '\\' && index + 1 < body.Length)
            {
                translated.Append(body[index + 1] switch { 'd' => "0-9", 'w' => "A-Za-z0-9_", 's' => @"\s\uFEFF", 'p' or 'P' => Property(body, ref index), var other => "\\" + other });
                index++;
            }
            else
            {
                translated.Append(body[index]);
            }
        }

        return translated.ToString();
    }

    /// <summary>ECMA-262 groups after <c>(?</c>: non-capturing, lookahead, lookbehind and named groups.</summary>
    private static bool IsEcmaGroup(string pattern, int index) =>
        index < pattern.Length && (pattern[index] is ':' or '=' or '!'
            || (pattern[index] == '<' && index + 1 < pattern.Length && (pattern[index + 1] is '=' or '!' || char.IsLetter(pattern[index + 1]) || pattern[index + 1] is '_' or '$')));

    /// <summary>The index of the <c>]</c> that closes the class opened at <paramref name="start"/> (the end of the pattern if none).</summary>
    private static int ClassEnd(string pattern, int start)
    {
        var index = start + 1;
        if (index < pattern.Length && pattern[index] == '^')
        {
            index++;
        }

        for (; index < pattern.Length; index++)
        {
            if (pattern[index] == '\\')
            {
                index++;
            }
            else if (pattern[index] == ']')
            {
                return index;
            }
        }

        return pattern.Length - 1;
    }
}
