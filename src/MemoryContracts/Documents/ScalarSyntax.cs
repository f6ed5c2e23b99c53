using System.Globalization;

namespace MemoryContracts.Documents;

/// <summary>The YAML 1.2 core schema's rules for plain scalars, and number parsing shared with JSON.</summary>
internal static class ScalarSyntax
{
    /// <summary>Resolves the type of a plain (unquoted, untagged) YAML scalar.</summary>
    public static DocumentValueKind ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return DocumentValueKind.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return DocumentValueKind.Boolean;
        }

        if (IsInteger(text))
        {
            return DocumentValueKind.Integer;
        }

        return IsFloat(text) ? DocumentValueKind.Float : DocumentValueKind.String;
    }

    /// <summary>Parses decimal (optionally signed), <c>0x</c> hexadecimal and <c>0o</c> octal integers.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return long.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            value = 0;
            foreach (var c in text.Substring(2))
            {
                if (c < '0' || c > '7' || value > (long.MaxValue >> 3))
                {
                    return false;
                }

                value = (value << 3) | (long)(c - '0');
            }

            return text.Length > 2;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a float, including YAML's <c>.inf</c> and <c>.nan</c> spellings.</summary>
    public static bool TryParseFloat(string text, out double value)
    {
        var unsigned = text.TrimStart('+', '-');
        if (unsigned is ".inf" or ".Inf" or ".INF")
        {
            value = text.StartsWith("-", StringComparison.Ordinal) ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (text is ".nan" or ".NaN" or ".NAN")
        {
            value = double.NaN;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

    private static bool IsInteger(string text)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return text.Length > 2 && text.Skip(2).All(Uri.IsHexDigit);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            return text.Length > 2 && text.Skip(2).All(c => c >= '0' && c <= '7');
        }

        var digits = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        return text.Length > digits && text.Skip(digits).All(c => c >= '0' && c <= '9');
    }

    private static bool IsFloat(string text)
    {
        var unsigned = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? text.Substring(1) : text;
        if (unsigned is ".inf" or ".Inf" or ".INF" || text is ".nan" or ".NaN" or ".NAN")
        {
            return true;
        }

        // [0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)? or \.[0-9]+([eE][-+]?[0-9]+)?
        var i = 0;
        var mantissaDigits = 0;
        while (i < unsigned.Length && IsAsciiDigit(unsigned[i]))
        {
            i++;
            mantissaDigits++;
        }

        if (i < unsigned.Length && unsigned[i] == '.')
        {
            i++;
            while (i < unsigned.Length && IsAsciiDigit(unsigned[i]))
            {
                i++;
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < unsigned.Length && (unsigned[i] == 'e' || unsigned[i] == 'E'))
        {
            i++;
            if (i < unsigned.Length && (unsigned[i] == '+' || unsigned[i] == '-'))
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < unsigned.Length && IsAsciiDigit(unsigned[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == unsigned.Length;
    }
}
