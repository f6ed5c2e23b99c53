using System.Globalization;

namespace MemoryContracts.Schemas;

/// <summary>The <c>date-time</c> format: an RFC 3339 timestamp with a time zone.</summary>
internal static class DateTimeFormat
{
    /// <summary>Whether the text is an RFC 3339 date-time such as <c>2026-05-01T10:00:00Z</c>.</summary>
    public static bool IsValid(string text)
    {
        // yyyy-mm-ddThh:mm:ss[.frac](Z|+hh:mm|-hh:mm); 'T' may be 't' or a space, 'Z' may be 'z'.
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':' ||
            (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day) ||
            !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60)
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

        return i == text.Length - 6 && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':' &&
            Digits(text, i + 1, 2, out var offsetHours) && Digits(text, i + 4, 2, out var offsetMinutes) && offsetHours <= 23 && offsetMinutes <= 59;
    }

    private static bool Digits(string text, int start, int count, out int value) =>
        int.TryParse(text.Substring(start, count), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
