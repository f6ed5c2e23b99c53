using System.Text.RegularExpressions;
using MemoryContracts.Diagnostics;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 7: every diagnostic line about a file has a position, so VS Code's <c>$msCompile</c> problem
/// matcher (its pattern, copied here) and MSBuild's canonical parser read all of them; a problem in no file (an
/// option, an environment variable, a database row, an MCP tool) names its origin alone.
/// </summary>
public sealed class DiagnosticLineTests
{
    /// <summary>VS Code's built-in <c>$msCompile</c> pattern: file, a parenthesised position, severity, code, message.</summary>
    private static readonly Regex MsCompile = new(@"^([^\s].*)\((\d+|\d+,\d+|\d+,\d+,\d+,\d+)\)\s*:\s+(error|warning|info)\s+(\w{1,2}\d+)\s*:\s*(.*)$");

    private static readonly Regex DiagnosticLine = new(@"^(?:# )?\S+: (?:error|warning) MC\d{4}: ", RegexOptions.Multiline);

    [Fact]
    public void A_whole_file_problem_is_placed_at_the_start_of_the_file_and_one_in_no_file_names_its_origin()
    {
        var file = DiagnosticCatalog.ImportRefused.Create(SourceLocation.File("memory/broken.yaml"), "memory/broken.yaml", "it has 2 contract error(s)");
        var origin = DiagnosticCatalog.PostgresSetup.Create(SourceLocation.Origin("--postgres"), "the connection string is not one Npgsql reads", "write it as Host=...");

        Assert.Equal("memory/broken.yaml(1,1): error MC5015: 'memory/broken.yaml' was not imported: it has 2 contract error(s); nothing was written", file.ToString());
        var match = MsCompile.Match(file.ToString());
        Assert.Equal(("memory/broken.yaml", "1,1", "error", "MC5015"), (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value));
        Assert.StartsWith("--postgres: error MC5030: ", origin.ToString(), StringComparison.Ordinal);
        Assert.DoesNotMatch(MsCompile, origin.ToString());
    }

    [Fact]
    public void Every_diagnostic_line_the_documentation_shows_is_read_by_the_msCompile_matcher_unless_it_is_in_no_file()
    {
        // The pages' shell blocks are run and their output compared by the docs-as-code tests, so these are real lines.
        string[] origins = ["--", "postgres:", "mcp:", "dotnet-memory:", "toolbelt:", "MEMORYCONTRACTS_HMAC_KEYS:"];
        var pages = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Repository.Root, "README.md"));
        var lines = pages.SelectMany(page => DiagnosticLine.Matches(File.ReadAllText(page)).Select(match => (page, Line: File.ReadAllText(page).Substring(match.Index).Split('\n')[0]))).ToArray();

        Assert.True(lines.Length > 50, $"only {lines.Length} diagnostic lines found in the docs");
        foreach (var (page, line) in lines.Where(item => !origins.Any(origin => item.Line.StartsWith(origin, StringComparison.Ordinal))))
        {
            Assert.Matches(MsCompile, line);
        }
    }
}
