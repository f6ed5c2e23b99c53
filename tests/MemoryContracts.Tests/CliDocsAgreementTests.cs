using System.Text.RegularExpressions;
using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Issue 18, finding 9: docs/cli.md's option table and every contract command's <c>--help</c> agree, both ways.</summary>
public sealed partial class CliDocsAgreementTests
{
    [Fact]
    public void The_option_table_in_cli_md_is_what_help_prints()
    {
        var rows = DocumentedOptions().ToArray();
        var commands = rows.SelectMany(row => row.Commands).Distinct().ToArray();
        Assert.Equal(7, commands.Length);
        foreach (var command in commands)
        {
            var help = HelpOptions(command);
            var documented = rows.Where(row => row.Commands.Contains(command)).ToArray();
            foreach (var row in documented)
            {
                Assert.True(help.TryGetValue(row.Name, out var printed), $"docs/cli.md lists {row.Name} for '{command}', which its --help does not");
                Assert.True(printed.Aliases.SetEquals(row.Aliases), $"{row.Name} of '{command}': docs give aliases [{string.Join(", ", row.Aliases)}], --help [{string.Join(", ", printed.Aliases)}]");
                Assert.True(row.Value == printed.Value, $"{row.Name} of '{command}': docs give value '{row.Value}', --help '{printed.Value}'");
            }

            foreach (var name in help.Keys.Where(name => name != "--help"))
            {
                Assert.True(documented.Any(row => row.Name == name), $"'{command} --help' prints {name}, which docs/cli.md does not list for it");
            }
        }
    }

    private static IEnumerable<(string Name, HashSet<string> Aliases, string? Value, string[] Commands)> DocumentedOptions()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "docs", "cli.md"));
        var table = text[text.IndexOf("## Options", StringComparison.Ordinal)..text.IndexOf("## Output", StringComparison.Ordinal)];
        foreach (var line in table.Split('\n').Where(line => line.StartsWith("| `-", StringComparison.Ordinal)))
        {
            var cells = Regex.Split(line.Trim('|', ' '), @"(?<!\\)\|").Select(cell => cell.Trim().Replace("\\|", "|", StringComparison.Ordinal)).ToArray();
            var spellings = Regex.Matches(cells[0], "`([^`]+)`").Select(match => match.Groups[1].Value).ToArray();
            var first = spellings[0].Split(' ', 2);
            yield return (first[0], spellings.Skip(1).ToHashSet(), first.Length > 1 ? first[1] : null, cells[1].Split(", ").ToArray());
        }
    }

    private static Dictionary<string, (HashSet<string> Aliases, string? Value)> HelpOptions(string command)
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, MemoryCli.Run([.. command.Split(' '), "--help"], output, TextWriter.Null));
        var help = output.ToString();
        var options = new Dictionary<string, (HashSet<string>, string?)>(StringComparer.Ordinal);
        foreach (Match match in HelpLine().Matches(help[help.IndexOf("Options:", StringComparison.Ordinal)..]))
        {
            var names = match.Groups["names"].Value.Split(", ");
            var name = names.Single(spelling => spelling.StartsWith("--", StringComparison.Ordinal));
            options[name] = (names.Where(spelling => spelling != name && spelling is not "-?" and not "-h").ToHashSet(), match.Groups["value"].Success ? match.Groups["value"].Value : null);
        }

        return options;
    }

    [GeneratedRegex(@"^\s+(?<names>-[^\s,]+(?:, -[^\s,]+)*)(?: <(?<value>[^>]+)>)?", RegexOptions.Multiline)]
    private static partial Regex HelpLine();
}
