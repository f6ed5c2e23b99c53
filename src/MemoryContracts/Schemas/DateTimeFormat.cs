namespace MemoryContracts.Schemas;

/// <summary>The <c>date-time</c> format: an RFC 3339 timestamp with a time zone.</summary>
internal static class DateTimeFormat
{
    /// <summary>Whether the text is an RFC 3339 date-time such as <c>2026-05-01T10:00:00Z</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        // yyyy-mm-ddThh:mm:ss[.frac](Z|+hh:mm|-hh:mm); 'T' may be 't' or a space, 'Z' may be 'z'.
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':' ||
            (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        {
            return false;
        }

        var year = Digits(text, 0, 4);
        var month = Digits(text, 5, 2);
        var day = Digits(text, 8, 2);
        var hour = Digits(text, 11, 2);
        var minute = Digits(text, 14, 2);
        var second = Digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) ||
            hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
        {
            return false;
        }

        var i = 19;
        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9')
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i == text.Length - 1 && (text[i] == 'Z' || text[i] == 'z'))
        {
            return true;
        }

        if (i != text.Length - 6 || (text[i] != '+' && text[i] != '-') || text[i + 3] != ':')
        {
            return false;
        }

        var offsetHours = Digits(text, i + 1, 2);
        var offsetMinutes = Digits(text, i + 4, 2);
        return offsetHours >= 0 && offsetHours <= 23 && offsetMinutes >= 0 && offsetMinutes <= 59;
    }

    /// <summary>Reads a run of ASCII digits as a number, or returns -1.</summary>
    private static int Digits(ReadOnlySpan<char> text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }
}
