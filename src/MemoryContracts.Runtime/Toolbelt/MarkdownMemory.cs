using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>A section of a memory file: an anchored heading and the lines under it, up to the next heading of its level or higher.</summary>
/// <param name="Anchor">The hidden anchor, such as <c>identity v1</c>.</param>
/// <param name="Heading">The heading text without the marks and the anchor.</param>
/// <param name="Level">The heading level.</param>
/// <param name="HeadingLine">The 0-based line of the heading.</param>
/// <param name="BodyEnd">The 0-based line after the body.</param>
internal sealed record MarkdownSection(string Anchor, string Heading, int Level, int HeadingLine, int BodyEnd);

/// <summary>
/// A Markdown memory file: optional front matter between <c>---</c> lines, then sections whose headings carry a
/// hidden anchor (<c>## Identity &lt;!-- anchor: identity v1 --&gt;</c>). Headings are what a CommonMark parser
/// (Markdig) sees, so a heading inside a code fence or an HTML comment is not one. The front matter and the anchored
/// heading lines are the file's protected parts.
/// </summary>
internal sealed partial class MarkdownMemory
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

    /// <summary>
    /// Anchors written in a way the toolbelt does not accept: not ASCII <c>[a-z0-9-]</c> and a version
    /// (<c>identity v1</c>), changed by NFKC (look-alike and full-width letters, zero-width characters), two in one
    /// heading, or on an underlined heading. A write that brings one in is refused.
    /// </summary>
    public IReadOnlyList<string> InvalidAnchors { get; private init; } = [];

    /// <summary>Whether a text holds a heading or an anchor comment in the CommonMark sense (section bodies and list items must not).</summary>
    public static bool IntroducesHeading(string text) =>
        AnchorPattern().IsMatch(text) || Markdown.Parse(text, Pipeline).Descendants<HeadingBlock>().Any();

    /// <summary>Whether an anchor is ASCII letters, digits and dashes, a space and a version, and NFKC leaves it as it is.</summary>
    public static bool IsValidAnchor(string anchor) =>
        anchor.Normalize(NormalizationForm.FormKC) == anchor && ValidAnchorPattern().IsMatch(anchor);

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
        var invalid = new List<string>();
        var document = Markdown.Parse(string.Join("\n", lines.Skip(frontMatterEnd)), Pipeline);
        foreach (var block in document.OfType<HeadingBlock>())
        {
            // Only headings the CommonMark parser sees count: a heading in a code fence or an HTML comment is text.
            var index = block.Line + frontMatterEnd;
            var anchors = block.Inline?.Descendants<HtmlInline>().Select(html => AnchorPattern().Match(html.Tag)).Where(match => match.Success).ToArray() ?? [];
            string? anchor = null;
            if (anchors.Length > 0)
            {
                anchor = anchors[0].Groups[1].Value.Trim();
                if (block.IsSetext || anchors.Length > 1 || !IsValidAnchor(anchor))
                {
                    invalid.Add(anchor);
                    anchor = null;
                }
            }

            var title = block.IsSetext ? lines[index] : HeadingPattern().Match(lines[index]) is { Success: true } atx ? atx.Groups[2].Value : lines[index];
            headings.Add((index, block.Level, AnchorPattern().Replace(title, string.Empty).Trim(), anchor));
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

        return new MarkdownMemory(lines, frontMatterEnd, sections) { InvalidAnchors = invalid };
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

    [GeneratedRegex(@"<!--\s*anchor:\s*(.*?)\s*-->", RegexOptions.Singleline)]
    private static partial Regex AnchorPattern();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)* v[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidAnchorPattern();

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();
}
