using System.Text;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>A small unified diff: the changed lines between the common start and the common end of two texts.</summary>
internal static class LineDiff
{
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
        foreach (var line in old.Skip(start).Take(old.Length - start - end))
        {
            text.Append('-').Append(line).Append('\n');
        }

        foreach (var line in now.Skip(start).Take(now.Length - start - end))
        {
            text.Append('+').Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
