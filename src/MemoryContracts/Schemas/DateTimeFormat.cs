namespace MemoryContracts.Schemas;

/// <summary>The RFC 3339 formats <c>date-time</c>, <c>date</c> and <c>time</c>.</summary>
internal static class DateTimeFormat
{
    /// <summary>Whether the text is an RFC 3339 date-time such as <c>2026-05-01T10:00:00Z</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) =>
        // full-date 'T' full-time; 'T' may be 't' or a space.
        text.Length >= 20 && (text[10] == 'T' || text[10] == 't' || text[10] == ' ') &&
        IsValidDate(text.Slice(0, 10)) && IsValidTime(text.Slice(11));

    /// <summary>Whether the text is an RFC 3339 full-date such as <c>2026-05-01</c>.</summary>
    public static bool IsValidDate(ReadOnlySpan<char> text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        var year = Digits(text, 0, 4);
        var month = Digits(text, 5, 2);
        var day = Digits(text, 8, 2);
        return year >= 0 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(1, year), month);
    }

    /// <summary>
    /// Whether the text is an RFC 3339 full-time such as <c>10:00:00Z</c> or <c>10:00:00.5+02:00</c>. A leap second
    /// (<c>:60</c>) is valid only at 23:59 UTC, once the offset is taken away.
    /// </summary>
    public static bool IsValidTime(ReadOnlySpan<char> text)
    {
        // hh:mm:ss[.frac](Z|+hh:mm|-hh:mm); 'Z' may be 'z'.
        if (text.Length < 9 || text[2] != ':' || text[5] != ':')
        {
            return false;
        }

        var hour = Digits(text, 0, 2);
        var minute = Digits(text, 3, 2);
        var second = Digits(text, 6, 2);
        if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 60)
        {
            return false;
        }

        var i = 8;
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

        int offset;
        if (i == text.Length - 1 && (text[i] == 'Z' || text[i] == 'z'))
        {
            offset = 0;
        }
        else if (i == text.Length - 6 && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':')
        {
            var offsetHours = Digits(text, i + 1, 2);
            var offsetMinutes = Digits(text, i + 4, 2);
            if (offsetHours is < 0 or > 23 || offsetMinutes is < 0 or > 59)
            {
                return false;
            }

            offset = (text[i] == '+' ? 1 : -1) * ((offsetHours * 60) + offsetMinutes);
        }
        else
        {
            return false;
        }

        const int MinutesPerDay = 24 * 60;
        return second < 60 || ((((hour * 60) + minute - offset) % MinutesPerDay) + MinutesPerDay) % MinutesPerDay == MinutesPerDay - 1;
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
