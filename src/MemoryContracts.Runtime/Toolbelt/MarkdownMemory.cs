using System.Text.RegularExpressions;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>A section of a memory file: an anchored heading and the lines under it, up to the next heading of its level or higher.</summary>
/// <param name="Anchor">The hidden anchor, such as <c>identity v1</c>.</param>
/// <param name="Heading">The heading text without the marks and the anchor.</param>
/// <param name="Level">The heading level.</param>
/// <param name="HeadingLine">The 0-based line of the heading.</param>
/// <param name="BodyEnd">The 0-based line after the body.</param>
public sealed record MarkdownSection(string Anchor, string Heading, int Level, int HeadingLine, int BodyEnd);

/// <summary>
/// A Markdown memory file: optional front matter between <c>---</c> lines, then sections whose headings carry a
/// hidden anchor (<c>## Identity &lt;!-- anchor: identity v1 --&gt;</c>). The front matter and the anchored heading
/// lines are the file's protected parts.
/// </summary>
public sealed partial class MarkdownMemory
{
    private MarkdownMemory(string[] lines, int frontMatterEnd, IReadOnlyList<MarkdownSection> sections)
    {
        Lines = lines;
        FrontMatterEnd = frontMatterEnd;
        Sections = sections;
    }

    /// <summary>The lines, without line ends.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The line after the closing <c>---</c> of the front matter; 0 when there is none.</summary>
    public int FrontMatterEnd { get; }

    /// <summary>The front matter, delimiters included, or empty.</summary>
    public string FrontMatter => string.Join("\n", Lines.Take(FrontMatterEnd));

    /// <summary>The anchored sections, in order.</summary>
    public IReadOnlyList<MarkdownSection> Sections { get; }

    /// <summary>The protected heading lines, in order.</summary>
    public IEnumerable<string> AnchorLines => Sections.Select(section => Lines[section.HeadingLine]);

    /// <summary>The value of a front matter key, such as <c>type</c>.</summary>
    public string? FrontMatterValue(string key) =>
        Lines.Take(FrontMatterEnd).Select(line => line.Split(':', 2)).FirstOrDefault(pair => pair.Length == 2 && pair[0].Trim() == key)?[1].Trim();

    /// <summary>Parses a file's text.</summary>
    public static MarkdownMemory Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        var frontMatterEnd = 0;
        if (lines.Length > 0 && lines[0] == "---")
        {
            var close = Array.IndexOf(lines, "---", 1);
            frontMatterEnd = close < 0 ? 0 : close + 1;
        }

        var headings = new List<(int Line, int Level, string Heading, string? Anchor)>();
        for (var index = frontMatterEnd; index < lines.Length; index++)
        {
            if (HeadingPattern().Match(lines[index]) is { Success: true } heading)
            {
                var anchor = AnchorPattern().Match(lines[index]);
                headings.Add((index, heading.Groups[1].Length, AnchorPattern().Replace(heading.Groups[2].Value, string.Empty).Trim(), anchor.Success ? anchor.Groups[1].Value.Trim() : null));
            }
        }

        var sections = new List<MarkdownSection>();
        for (var index = 0; index < headings.Count; index++)
        {
            var (line, level, title, anchor) = headings[index];
            if (anchor is null)
            {
                continue;
            }

            var end = headings.Skip(index + 1).FirstOrDefault(next => next.Level <= level).Line;
            sections.Add(new MarkdownSection(anchor, title, level, line, end == 0 ? lines.Length : end));
        }

        return new MarkdownMemory(lines, frontMatterEnd, sections);
    }

    /// <summary>The section with this anchor, or null.</summary>
    public MarkdownSection? Find(string anchor) => Sections.FirstOrDefault(section => section.Anchor == anchor);

    /// <summary>The body of a section (the lines under its heading), as text.</summary>
    public string Body(MarkdownSection section) => string.Join("\n", Lines.Skip(section.HeadingLine + 1).Take(section.BodyEnd - section.HeadingLine - 1));

    /// <summary>The file with a section's body replaced; the heading line stays as it is, and so does a blank line before the next heading.</summary>
    public string WithBody(MarkdownSection section, string body)
    {
        var replacement = body.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var gap = section.BodyEnd < Lines.Count && section.BodyEnd > section.HeadingLine + 1 && Lines[section.BodyEnd - 1].Length == 0;
        if (gap && replacement[^1].Length != 0)
        {
            replacement = [.. replacement, string.Empty];
        }

        var lines = Lines.Take(section.HeadingLine + 1).Concat(replacement).Concat(Lines.Skip(section.BodyEnd));
        return string.Join("\n", lines) + "\n";
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"<!--\s*anchor:\s*(.*?)\s*-->")]
    private static partial Regex AnchorPattern();
}
