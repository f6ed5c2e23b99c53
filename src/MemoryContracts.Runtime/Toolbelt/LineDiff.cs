using System.Text;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>A small unified diff: the changed lines between the common start and the common end of two texts.</summary>
/// <remarks>A result never echoes a whole large content back: at most 200 changed lines and about 16 KiB are shown.</remarks>
internal static class LineDiff
{
    private const int MaximumLines = 200;
    private const int MaximumCharacters = 16_384;

    public static string Of(string path, string before, string after)
    {
        var old = Lines(before);
        var now = Lines(after);
        var start = 0;
        while (start < old.Length && start < now.Length && old[start] == now[start])
        {
            start++;
        }

        var end = 0;
        while (end < old.Length - start && end < now.Length - start && old[old.Length - 1 - end] == now[now.Length - 1 - end])
        {
            end++;
        }

        var text = new StringBuilder($"--- a/{path}\n+++ b/{path}\n");
        if (old.Length == now.Length && start == old.Length)
        {
            return text.ToString();
        }

        text.Append($"@@ -{start + 1},{old.Length - start - end} +{start + 1},{now.Length - start - end} @@\n");
        var shown = 0;
        var changed = old.Skip(start).Take(old.Length - start - end).Select(line => ('-', line))
            .Concat(now.Skip(start).Take(now.Length - start - end).Select(line => ('+', line)))
            .ToArray();
        foreach (var (mark, line) in changed)
        {
            if (shown == MaximumLines || text.Length + line.Length > MaximumCharacters)
            {
                text.Append($"... {changed.Length - shown} more changed line(s) not shown\n");
                break;
            }

            text.Append(mark).Append(line).Append('\n');
            shown++;
        }

        return text.ToString();
    }

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
