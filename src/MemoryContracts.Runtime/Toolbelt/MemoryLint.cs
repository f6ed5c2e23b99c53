namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>A lint finding: a rule, where, and whether it is a cap (which needs a rationale to exceed).</summary>
/// <param name="Rule">The rule: <c>file-length</c>, <c>section-length</c>, <c>list-items</c>, <c>front-matter</c>, <c>duplicate-anchor</c>.</param>
/// <param name="Where">The section anchor, or the file.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="IsCap">Whether the finding is a cap that an override rationale may exceed.</param>
public sealed record LintFinding(string Rule, string Where, string Message, bool IsCap);

/// <summary>The limits the lint checks.</summary>
public sealed record LintCaps
{
    /// <summary>The defaults: 20,000 characters a file, 2,000 a section, 30 list items a section.</summary>
    public static LintCaps Default { get; } = new();

    /// <summary>Characters a file may hold.</summary>
    public int FileCharacters { get; init; } = 20_000;

    /// <summary>Characters a section body may hold.</summary>
    public int SectionCharacters { get; init; } = 2_000;

    /// <summary>List items a section may hold.</summary>
    public int ListItems { get; init; } = 30;

    /// <summary>
    /// Characters a file may never exceed, whatever the rationale (256 KiB by default): the caps above are warnings an
    /// override rationale may pass; this is a hard limit, checked on the request before any work is done.
    /// </summary>
    public int HardLimitCharacters { get; init; } = 262_144;
}

/// <summary>Lint rules of memory files; every finding is a warning, caps need a rationale to exceed.</summary>
internal static class MemoryLint
{
    /// <summary>The findings for a file's text.</summary>
    public static IReadOnlyList<LintFinding> Check(string path, string text, LintCaps caps)
    {
        var findings = new List<LintFinding>();
        if (text.Length > caps.FileCharacters)
        {
            findings.Add(new LintFinding("file-length", path, $"the file holds {text.Length} characters, over the cap of {caps.FileCharacters}", true));
        }

        if (!path.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return findings;
        }

        var memory = MarkdownMemory.Parse(text);
        if (memory.FrontMatterEnd == 0 || memory.FrontMatterValue("type") is null)
        {
            findings.Add(new LintFinding("front-matter", path, "a memory file starts with front matter that names its type (profile, part, relationship, ...)", false));
        }

        foreach (var group in memory.Sections.GroupBy(section => section.Anchor).Where(group => group.Count() > 1))
        {
            findings.Add(new LintFinding("duplicate-anchor", group.Key, $"anchor '{group.Key}' is used by {group.Count()} sections", false));
        }

        foreach (var section in memory.Sections)
        {
            var body = memory.Body(section);
            if (body.Length > caps.SectionCharacters)
            {
                findings.Add(new LintFinding("section-length", section.Anchor, $"section '{section.Anchor}' holds {body.Length} characters, over the cap of {caps.SectionCharacters}", true));
            }

            var items = body.Split('\n').Count(line => line.TrimStart().StartsWith("- ", StringComparison.Ordinal) || line.TrimStart().StartsWith("* ", StringComparison.Ordinal));
            if (items > caps.ListItems)
            {
                findings.Add(new LintFinding("list-items", section.Anchor, $"section '{section.Anchor}' lists {items} items, over the cap of {caps.ListItems}", true));
            }
        }

        return findings;
    }
}
