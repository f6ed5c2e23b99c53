using System.Text.RegularExpressions;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>The diagnostic pages show what the tool really prints for their examples.</summary>
public sealed class DocumentationTests
{
    private static readonly Regex Example = new("`(?<file>[\\w.-]+\\.(?:yaml|json))`:\\n\\n```(?:yaml|json)\\n(?<body>.*?)```", RegexOptions.Singleline);
    private static readonly Regex Output = new("## What you see\\n\\n```text\\n(?<lines>.*?)\\n```", RegexOptions.Singleline);

    public static TheoryData<string> PagesWithCompleteExamples()
    {
        var data = new TheoryData<string>();
        foreach (var page in Directory.GetFiles(Path.Combine(Repository.Root, "docs", "diagnostics"), "MC*.md").OrderBy(path => path, StringComparer.Ordinal))
        {
            var match = Example.Match(File.ReadAllText(page).Replace("\r\n", "\n"));
            if (match.Success && (match.Groups["body"].Value.StartsWith("schema_version:", StringComparison.Ordinal) || match.Groups["body"].Value.StartsWith("{", StringComparison.Ordinal)))
            {
                data.Add(Path.GetFileName(page));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesWithCompleteExamples))]
    public void The_page_shows_the_real_output_of_its_example(string pageName)
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "diagnostics", pageName)).Replace("\r\n", "\n");
        var example = Example.Match(page);
        var folder = TempFolders.Create("docs");
        var file = Path.Combine(folder, example.Groups["file"].Value);
        File.WriteAllText(file, example.Groups["body"].Value);

        var validator = new ContractValidator();
        validator.Validate(file);
        var actual = validator.Results.SelectMany(result => result.Diagnostics)
            .Select(diagnostic => DiagnosticFixtureTests.Canonical(diagnostic).Replace(folder + Path.DirectorySeparatorChar, string.Empty));

        Assert.Equal(Output.Match(page).Groups["lines"].Value.Split('\n'), actual);
    }
}
