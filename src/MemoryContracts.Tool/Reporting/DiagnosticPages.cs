using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace MemoryContracts.Tool.Reporting;

/// <summary>
/// The diagnostics pages (docs/diagnostics/MCxxxx.md, embedded in the tool): what a code means and how to fix it,
/// for SARIF rules' <c>fullDescription</c> and <c>help</c>.
/// </summary>
internal static partial class DiagnosticPages
{
    private static readonly ConcurrentDictionary<string, Page?> Pages = new(StringComparer.Ordinal);

    /// <summary>The page of a code: its description (the paragraph after the severity) and its fix section, or null.</summary>
    public static Page? Of(string code) => Pages.GetOrAdd(code, Load);

    private static Page? Load(string code)
    {
        using var stream = typeof(DiagnosticPages).Assembly.GetManifestResourceStream($"diagnostics/{code}.md");
        if (stream is null)
        {
            return null;
        }

        var text = new StreamReader(stream).ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var description = Description().Match(text);
        var fix = Fix().Match(text);
        return description.Success
            ? new Page(description.Groups["text"].Value.Replace('\n', ' ').Trim(), fix.Success ? fix.Groups["text"].Value.Trim() : null)
            : null;
    }

    [GeneratedRegex(@"Severity: \*\*\w+\*\*\.\n\n(?<text>.+?)\n\n", RegexOptions.Singleline)]
    private static partial Regex Description();

    [GeneratedRegex(@"## Fix\n\n(?<text>.+?)(?:\n## |\z)", RegexOptions.Singleline)]
    private static partial Regex Fix();

    /// <summary>What a page says.</summary>
    /// <param name="Description">The paragraph that explains the code, in Markdown.</param>
    /// <param name="Fix">The fix section, in Markdown, or null.</param>
    internal sealed record Page(string Description, string? Fix);
}
