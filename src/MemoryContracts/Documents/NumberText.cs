using System.Globalization;
using System.Numerics;
using System.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// The one interpretation of numbers that validation, the store, packages and exports share: a numeric scalar (YAML
/// 1.2 core schema or JSON) is kept as its JSON spelling with every digit of the source, so a big integer, a long
/// decimal and <c>-0</c> survive the round trip exactly. YAML-only spellings become the JSON spelling of the same
/// value (<c>0x1F</c> is <c>31</c>, <c>0o17</c> is <c>15</c>, <c>+1.5</c> is <c>1.5</c>, <c>.5</c> is <c>0.5</c>).
/// <c>.inf</c> and <c>.nan</c> have no JSON spelling, so no fixture may hold them.
/// </summary>
internal static class NumberText
{
    /// <summary>The JSON spelling of a numeric scalar's text, or null when JSON cannot hold it (infinities, NaN, not a number).</summary>
    public static string? ToJson(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var negative = text[0] == '-';
        var unsigned = text[0] is '-' or '+' ? text.Substring(1) : text;
        if (unsigned.StartsWith("0x", StringComparison.Ordinal) || unsigned.StartsWith("0o", StringComparison.Ordinal))
        {
            return text[0] is '-' or '+' ? null : Radix(unsigned);
        }

        // [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one mantissa digit.
        var index = 0;
        var integer = Digits(unsigned, ref index);
        string? fraction = null;
        if (index < unsigned.Length && unsigned[index] == '.')
        {
            index++;
            fraction = Digits(unsigned, ref index);
        }

        if (integer.Length == 0 && (fraction is null || fraction.Length == 0))
        {
            return null;
        }

        string? exponent = null;
        if (index < unsigned.Length && unsigned[index] is 'e' or 'E')
        {
            var start = index++;
            if (index < unsigned.Length && unsigned[index] is '+' or '-')
            {
                index++;
            }

            if (Digits(unsigned, ref index).Length == 0)
            {
                return null;
            }

            exponent = unsigned.Substring(start);
        }

        if (index != unsigned.Length)
        {
            return null;
        }

        var json = new StringBuilder(text.Length + 2);
        if (negative)
        {
            json.Append('-');
        }

        var trimmed = integer.TrimStart('0');
        json.Append(trimmed.Length == 0 ? "0" : trimmed);
        if (fraction is not null)
        {
            json.Append('.').Append(fraction.Length == 0 ? "0" : fraction);
        }

        return json.Append(exponent).ToString();
    }

    /// <summary>Whether a JSON number spelling is an integer literal (no fraction, no exponent).</summary>
    public static bool IsIntegerLiteral(string json) => json.IndexOfAny(['.', 'e', 'E']) < 0;

    /// <summary>The value of a JSON number spelling as a 32-bit integer, when it is integral and fits (<c>2.0</c> and <c>2e0</c> are 2).</summary>
    public static bool TryGetInt32(string json, out int value)
    {
        value = 0;
        if (IsIntegerLiteral(json))
        {
            return int.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        if (!decimal.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || decimal.Truncate(number) != number || number < int.MinValue || number > int.MaxValue)
        {
            return false;
        }

        value = (int)number;
        return true;
    }

    private static string Digits(string text, ref int index)
    {
        var start = index;
        while (index < text.Length && text[index] >= '0' && text[index] <= '9')
        {
            index++;
        }

        return text.Substring(start, index - start);
    }

    private static string? Radix(string text)
    {
        var hex = text[1] == 'x';
        var digits = text.Substring(2);
        if (digits.Length == 0)
        {
            return null;
        }

        var value = BigInteger.Zero;
        foreach (var c in digits)
        {
            var digit = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0 || (!hex && digit > 7))
            {
                return null;
            }

            value = (value * (hex ? 16 : 8)) + digit;
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }
}
