using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 18, docs tested as code: every shell block of README.md and docs/ (diagnostics pages included) runs, page by
/// page, in a fresh folder holding a copy of the repository's examples, with <c>dotnet memory</c> (and the README's
/// <c>memory</c>) running the tool built with the tests. A block may not fail as a usage error, an unknown command or
/// an internal error, and a block whose output the page does not show must succeed; where the page shows what it prints (a <c>console</c> block's lines, or a <c>text</c> block right
/// after it or under "## Output"), the output must be that, with <c>...</c> standing for anything. A block that cannot
/// run here says so on the line before it (<c>&lt;!-- docs-test: skip: why --&gt;</c>); those are counted.
/// </summary>
public sealed partial class DocsAsCodeTests(ITestOutputHelper output)
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var page in DocumentedPages().Where(page => ShellBlocks(page).Count > 0))
        {
            data.Add(page);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_shell_block_of_the_page_runs_and_prints_what_the_page_shows(string page)
    {
        var blocks = ShellBlocks(page);
        var runnable = blocks.Where(block => block.Skip is null).ToArray();
        foreach (var skipped in blocks.Where(block => block.Skip is not null))
        {
            output.WriteLine($"{page}:{skipped.Line}: skipped: {skipped.Skip}");
        }

        if (runnable.Length == 0)
        {
            return;
        }

        var folder = TestSupport.TempFolder("docs");
        FolderCopy.Copy(Path.Combine(TestSupport.Root, "examples"), Path.Combine(folder, "examples"));
        var script = new StringBuilder();
        script.AppendLine($"MC_TOOL='{TestSupport.ToolPath}'");
        script.AppendLine("dotnet() { if [ \"${1:-}\" = memory ]; then shift; command dotnet \"$MC_TOOL\" \"$@\"; else command dotnet \"$@\"; fi; }");
        script.AppendLine("memory() { command dotnet \"$MC_TOOL\" \"$@\"; }");
        for (var index = 0; index < runnable.Length; index++)
        {
            script.Append("{\n").Append(runnable[index].Script).Append($"\n}} > '{folder}/.block-{index}.out' 2>&1\necho $? > '{folder}/.block-{index}.rc'\n");
        }

        var start = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script.ToString());
        start.Environment["HOME"] = folder;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        await process.WaitForExitAsync();

        var problems = new List<string>();
        for (var index = 0; index < runnable.Length; index++)
        {
            var block = runnable[index];
            var outFile = Path.Combine(folder, $".block-{index}.out");
            if (!File.Exists(outFile))
            {
                problems.Add($"{page}:{block.Line}: did not run ({stderr.Trim()})");
                continue;
            }

            // The temporary folder's own path is machine-specific: it reads as "..." (as the pages elide it).
            var printed = File.ReadAllText(outFile).Replace(folder, "...", StringComparison.Ordinal);
            var exit = int.Parse(File.ReadAllText(Path.Combine(folder, $".block-{index}.rc")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (exit == 2 || (exit != 0 && block.Expected is null) || printed.Contains("MC9001", StringComparison.Ordinal) || printed.Contains("command not found", StringComparison.Ordinal) || printed.Contains("dotnet-memory: error:", StringComparison.Ordinal))
            {
                problems.Add($"{page}:{block.Line}: the block fails (exit {exit}):\n{printed}");
            }
            else if (block.Expected is { } expected && !Matches(expected, printed))
            {
                problems.Add($"{page}:{block.Line}: the page shows\n{expected}\nbut the block prints\n{printed}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Every_skipped_block_says_why_and_few_are_skipped()
    {
        var blocks = DocumentedPages().SelectMany(page => ShellBlocks(page).Select(block => (Page: page, Block: block))).ToArray();
        var skipped = blocks.Where(pair => pair.Block.Skip is not null).ToArray();
        foreach (var (page, block) in skipped)
        {
            output.WriteLine($"{page}:{block.Line}: {block.Skip}");
        }

        output.WriteLine($"{blocks.Length} shell blocks, {blocks.Length - skipped.Length} run, {skipped.Length} skipped");
        Assert.All(skipped, pair => Assert.True(pair.Block.Skip!.Length >= 10, $"{pair.Page}:{pair.Block.Line}: a skip needs a reason"));
        Assert.True(blocks.Length - skipped.Length >= 30, $"only {blocks.Length - skipped.Length} of {blocks.Length} shell blocks run");
    }

    [Fact]
    public void Every_diagnostics_page_has_an_example_a_test_runs()
    {
        // A page shows a shell example (run above) or one complete fixture with what the tool prints (DocumentationTests);
        // MC2011 is the generator's, and GeneratorDiagnosticPageTests runs its example through the generator.
        var pages = Directory.GetFiles(Path.Combine(TestSupport.Root, "docs", "diagnostics"), "MC*.md").Where(page => Path.GetFileName(page) != "MC2011.md").ToArray();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            var text = File.ReadAllText(page);
            Assert.True(
                text.Contains("```sh\n", StringComparison.Ordinal) || CompleteFixture().IsMatch(text),
                $"{Path.GetFileName(page)} has no example that a test runs: give it a shell example with its output");
        }
    }

    private static IEnumerable<string> DocumentedPages() =>
        new[] { "README.md" }
            .Concat(Directory.GetFiles(Path.Combine(TestSupport.Root, "docs"), "*.md").Order(StringComparer.Ordinal).Select(path => Path.GetRelativePath(TestSupport.Root, path)))
            .Concat(Directory.GetFiles(Path.Combine(TestSupport.Root, "docs", "diagnostics"), "*.md").Order(StringComparer.Ordinal).Select(path => Path.GetRelativePath(TestSupport.Root, path)))
            .Select(path => path.Replace('\\', '/'))
            .Where(path => path != "docs/build-integration.md"); // its "From a project of your own" runs in MemoryContracts.Build.Tests (it packs).

    /// <summary>The shell blocks of a page, each with the script to run, what it should print (if the page says) and why it is skipped (if it is).</summary>
    private static IReadOnlyList<ShellBlock> ShellBlocks(string page)
    {
        var text = File.ReadAllText(Path.Combine(TestSupport.Root, page)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var fences = Fence().Matches(text).ToArray();
        var blocks = new List<ShellBlock>();
        for (var index = 0; index < fences.Length; index++)
        {
            var fence = fences[index];
            var language = fence.Groups["lang"].Value;
            if (language is not ("sh" or "bash" or "console"))
            {
                continue;
            }

            var body = BodyOf(fence);
            var before = text[..fence.Index].TrimEnd();
            var skip = SkipMarker().Match(before[(before.LastIndexOf('\n') + 1)..]) is { Success: true } marker ? marker.Groups["why"].Value.Trim() : null;
            var line = text[..fence.Index].Count(character => character == '\n') + 1;
            string script;
            string? expected = null;
            if (language == "console")
            {
                var lines = body.Split('\n');
                script = string.Join('\n', lines.Where(candidate => candidate.StartsWith("$ ", StringComparison.Ordinal)).Select(candidate => candidate[2..]));
                expected = string.Join('\n', lines.Where(candidate => !candidate.StartsWith("$ ", StringComparison.Ordinal)));
            }
            else
            {
                script = body;
                if (index + 1 < fences.Length && fences[index + 1].Groups["lang"].Value == "text")
                {
                    var between = text[(fence.Index + fence.Length)..fences[index + 1].Index];
                    if (between.Trim().Length == 0 || between.Trim() == "## Output")
                    {
                        expected = BodyOf(fences[index + 1]);
                    }
                }
            }

            blocks.Add(new ShellBlock(line, script, expected, skip));
        }

        return blocks;
    }

    /// <summary>A fenced block's text without the indentation of its fence (a block inside a list item is indented).</summary>
    private static string BodyOf(Match fence)
    {
        var indent = fence.Groups["indent"].Value.Length;
        return string.Join('\n', fence.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(line => line.Length >= indent ? line[indent..] : line.TrimStart()));
    }

    /// <summary>Whether printed output is what the page shows: line by line, <c>...</c> standing for anything (a line of its own: any number of lines).</summary>
    private static bool Matches(string expected, string printed)
    {
        var pattern = new StringBuilder("^");
        foreach (var line in expected.TrimEnd('\n').Split('\n'))
        {
            pattern.Append(line.Trim() == "..." ? "(?:.*\\n)*?" : string.Join(".*", line.Split("...").Select(Regex.Escape)) + "\\n");
        }

        return Regex.IsMatch(printed.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n", pattern.Append('$').ToString());
    }

    [GeneratedRegex(@"^(?<indent> *)```(?<lang>[a-z]*)\n(?<body>.*?)^\k<indent>```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex("`[\\w.-]+\\.(?:yaml|json)`:\n\n```(?:yaml|json)\n(?:schema_version:|\\{)")]
    private static partial Regex CompleteFixture();

    [GeneratedRegex(@"<!-- docs-test: skip: (?<why>.*?) -->")]
    private static partial Regex SkipMarker();

    private sealed record ShellBlock(int Line, string Script, string? Expected, string? Skip);
}
