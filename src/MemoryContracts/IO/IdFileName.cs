using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MemoryContracts.IO;

/// <summary>
/// Turns an id into a file or folder name that cannot leave its folder and cannot collide with another id's name:
/// lower-case letters, digits, <c>-</c> and <c>_</c> stay as they are; every other byte of the UTF-8 spelling
/// (upper case, <c>.</c>, <c>/</c>, <c>\</c>, <c>~</c>, <c>:</c>, ...) becomes <c>~xx</c>, so the mapping is
/// one-to-one and the same on case-insensitive file systems. Windows device names get their last letter escaped;
/// names over 120 characters keep a readable start and end in a SHA-256 of the id. The workspace names its files
/// this way, and so do context packages.
/// </summary>
internal static class IdFileName
{
    private const int MaximumLength = 120;
    private static readonly HashSet<string> DeviceNames = new(StringComparer.Ordinal)
    {
        "con", "prn", "aux", "nul",
        "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    /// <summary>The name for an id.</summary>
    /// <exception cref="ArgumentException">The id is null or empty.</exception>
    public static string For(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException("an id is not empty", nameof(id));
        }

        var name = new StringBuilder(id.Length);
        foreach (var value in Encoding.UTF8.GetBytes(id))
        {
            if (value is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_')
            {
                name.Append((char)value);
            }
            else
            {
                name.Append('~').Append(value.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        var text = name.ToString();
        if (DeviceNames.Contains(text))
        {
            text = text.Substring(0, text.Length - 1) + "~" + ((byte)text[text.Length - 1]).ToString("x2", CultureInfo.InvariantCulture);
        }

        if (text.Length > MaximumLength)
        {
            using var sha = SHA256.Create();
            var hash = new StringBuilder(64);
            foreach (var value in sha.ComputeHash(Encoding.UTF8.GetBytes(id)))
            {
                hash.Append(value.ToString("x2", CultureInfo.InvariantCulture));
            }

            text = text.Substring(0, 40) + "~~" + hash;
        }

        return text;
    }
}
