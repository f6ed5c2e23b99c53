using System.Security.Cryptography;
using System.Text;

namespace MemoryContracts.Runtime;

/// <summary>
/// The canonical form of text that the ledger hashes and signs: LF line endings, trailing whitespace trimmed from
/// every line, exactly one final newline. Two texts that differ only in those respects hash the same.
/// </summary>
public static class CanonicalText
{
    /// <summary>The canonical form of a text.</summary>
    public static string Of(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var canonical = new StringBuilder(text.Length + 1);
        foreach (var line in lines)
        {
            canonical.Append(line.TrimEnd(' ', '\t')).Append('\n');
        }

        return canonical.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>The SHA-256 of the canonical form, as <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string Hash(string text) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Of(text)))).ToLowerInvariant();
}
