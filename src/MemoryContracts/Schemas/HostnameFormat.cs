using System.Globalization;
using System.Text.RegularExpressions;

namespace MemoryContracts.Schemas;

/// <summary>
/// Host names: <c>hostname</c> (RFC 1123 labels; a label with <c>--</c> in positions 3 and 4 only as a valid IDNA
/// A-label, RFC 5891 section 4.2.3.1) and <c>idn-hostname</c> (RFC 5890 U-labels through IDNA, with the RFC 5892
/// exceptions and contextual rules a mapping library does not apply).
/// </summary>
internal static class HostnameFormat
{
    private const int MaximumLength = 253;

    private static readonly Regex Label = new(@"\A[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\z", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly IdnMapping Idna = new() { UseStd3AsciiRules = true };

    /// <summary>RFC 3490 section 3.1: the full stops that separate labels.</summary>
    private static readonly char[] Separators = ['.', '\u3002', '\uFF0E', '\uFF61'];

    /// <summary>RFC 5892 section 2.6: code points that are DISALLOWED whatever their properties.</summary>
    private static readonly HashSet<char> Disallowed = ['\u0640', '\u07FA', '\u302E', '\u302F', '\u3031', '\u3032', '\u3033', '\u3034', '\u3035', '\u303B'];

    /// <summary>RFC 5892 section 2.6 PVALID exceptions, and the CONTEXTO/CONTEXTJ code points the context rules decide.</summary>
    private static readonly HashSet<char> Exceptional = ['\u00DF', '\u03C2', '\u06FD', '\u06FE', '\u0F0B', '\u3007', '\u00B7', '\u0375', '\u05F3', '\u05F4', '\u30FB', '\u200C', '\u200D', '-'];

    public static bool IsHostname(string value) =>
        value.Length is > 0 and <= MaximumLength && value.Split('.').All(IsAsciiLabel);

    public static bool IsIdnHostname(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        var labels = value.Split(Separators);
        return labels.All(label => IsAscii(label) ? IsAsciiLabel(label) : IsULabel(label))
            && BidiRule.Holds(labels.Select(Decoded).ToArray())
            && string.Join(".", labels.Select(label => IsAscii(label) ? label : Idna.GetAscii(label))).Length <= MaximumLength;
    }

    /// <summary>A label as Unicode: an A-label decoded, any other label as written.</summary>
    private static string Decoded(string label) =>
        label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) ? Idna.GetUnicode(label) : label;

    private static bool IsAsciiLabel(string label)
    {
        if (!Label.IsMatch(label))
        {
            return false;
        }

        if (!HasReservedHyphens(label))
        {
            return true;
        }

        // Reserved for IDNA: an A-label must decode to a valid U-label that encodes back to itself.
        if (!label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var unicode = Idna.GetUnicode(label);
            return string.Equals(Idna.GetAscii(unicode), label, StringComparison.OrdinalIgnoreCase) && IsULabel(unicode) && BidiRule.Holds([unicode]);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsULabel(string label)
    {
        if (label.Length == 0 || IsMark(label[0]) || !IsPermitted(label) || HasReservedHyphens(label))
        {
            return false;
        }

        try
        {
            if (Idna.GetAscii(label).Length > 63)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return false;
        }

        return MeetsContextRules(label);
    }

    /// <summary>
    /// RFC 5892 section 2: the categories IDNA2008 takes as PVALID (lower-case and other letters, modifier letters,
    /// marks, decimal digits), its exceptions, and nothing it disallows.
    /// </summary>
    private static bool IsPermitted(string label)
    {
        for (var index = 0; index < label.Length; index += char.IsSurrogatePair(label, index) ? 2 : 1)
        {
            var c = label[index];
            if (Disallowed.Contains(c))
            {
                return false;
            }

            if (Exceptional.Contains(c))
            {
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(label, index) is not (UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 5892 appendix A: the CONTEXTO and CONTEXTJ rules.</summary>
    private static bool MeetsContextRules(string label)
    {
        for (var index = 0; index < label.Length; index++)
        {
            var before = index > 0 ? label[index - 1] : '\0';
            var after = index + 1 < label.Length ? label[index + 1] : '\0';
            var allowed = label[index] switch
            {
                '\u00B7' => before == 'l' && after == 'l',
                '\u0375' => IsGreek(after),
                '\u05F3' or '\u05F4' => IsHebrew(before),
                '\u30FB' => label.Any(c => c is (>= '\u3040' and <= '\u309F') or (>= '\u30A0' and <= '\u30FF' and not '\u30FB') or (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF')),
                '\u200D' => IsVirama(before),
                '\u200C' => IsVirama(before) || JoinsAround(label, index),
                _ => true,
            };
            if (!allowed)
            {
                return false;
            }
        }

        var arabicIndic = label.Any(c => c is >= '\u0660' and <= '\u0669');
        var extendedArabicIndic = label.Any(c => c is >= '\u06F0' and <= '\u06F9');
        return !(arabicIndic && extendedArabicIndic);
    }

    /// <summary>
    /// ZERO WIDTH NON-JOINER between joining letters (RFC 5892 A.1's regular expression over Joining_Type, with the
    /// scripts that join, Arabic, Syriac, N'Ko and Mongolian, standing for L/D/R and their marks for T).
    /// </summary>
    private static bool JoinsAround(string label, int index)
    {
        var before = label.Take(index).Reverse().SkipWhile(IsMark).FirstOrDefault();
        var after = label.Skip(index + 1).SkipWhile(IsMark).FirstOrDefault();
        return IsJoining(before) && IsJoining(after);
    }

    private static bool IsJoining(char c) => c is (>= '\u0620' and <= '\u06FF') or (>= '\u0710' and <= '\u074F') or (>= '\u07CA' and <= '\u07EA') or (>= '\u1820' and <= '\u1878') && !IsMark(c);

    private static bool IsAscii(string label) => label.All(c => c < 0x80);

    /// <summary>RFC 5891 section 4.2.3.1: <c>--</c> in the third and fourth positions, reserved for IDNA.</summary>
    private static bool HasReservedHyphens(string label) => label.Length >= 4 && label[2] == '-' && label[3] == '-';

    private static bool IsMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsGreek(char c) => c is (>= '\u0370' and <= '\u03FF') or (>= '\u1F00' and <= '\u1FFF');

    private static bool IsHebrew(char c) => c is >= '\u0590' and <= '\u05FF';

    /// <summary>Canonical combining class 9 (virama): the signs that end a consonant cluster in the Indic scripts and their kin.</summary>
    private static bool IsVirama(char c) => c is '\u094D' or '\u09CD' or '\u0A4D' or '\u0ACD' or '\u0B4D' or '\u0BCD' or '\u0C4D' or '\u0CCD' or '\u0D3B' or '\u0D3C' or '\u0D4D' or '\u0DCA' or '\u0E3A' or '\u0EBA' or '\u0F84' or '\u1039' or '\u103A' or '\u1714' or '\u1715' or '\u1734' or '\u17D2' or '\u1A60' or '\u1B44' or '\u1BAA' or '\u1BAB' or '\u1BF2' or '\u1BF3' or '\u2D7F' or '\uA806' or '\uA82C' or '\uA8C4' or '\uA953' or '\uA9C0' or '\uAAF6' or '\uABED';
}
