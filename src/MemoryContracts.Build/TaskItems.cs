using Microsoft.Build.Utilities;

namespace MemoryContracts.Build;

/// <summary>
/// Task items made from literal text. MSBuild reads an item spec or metadata value handed to <see cref="TaskItem"/>
/// as escaped, so a path holding <c>%41</c> would come back as <c>A</c>, and one holding <c>;</c> or <c>*</c> could
/// be split or globbed later; every special character is written as MSBuild's <c>%XX</c> escape first.
/// </summary>
internal static class TaskItems
{
    private static readonly char[] Special = "%*?@$();'".ToCharArray();

    /// <summary>An item whose spec and metadata are exactly the given strings.</summary>
    public static TaskItem Literal(string itemSpec, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var item = new TaskItem(Escape(itemSpec));
        foreach (var pair in metadata ?? new Dictionary<string, string>())
        {
            item.SetMetadata(pair.Key, Escape(pair.Value));
        }

        return item;
    }

    /// <summary>The text with each of MSBuild's special characters as <c>%XX</c>.</summary>
    public static string Escape(string text)
    {
        if (text.IndexOfAny(Special) < 0)
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var character in text)
        {
            if (Array.IndexOf(Special, character) >= 0)
            {
                escaped.Append('%').Append(((int)character).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(character);
            }
        }

        return escaped.ToString();
    }
}
