using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MemoryContracts.Tool.Commands;

/// <summary>
/// Finds what a command line got wrong before anything runs: a word that looks like an option but is none of the
/// command's (System.CommandLine would take it for a file name), and an unknown subcommand, each with the closest
/// name the user may have meant.
/// </summary>
internal static class UsageCheck
{
    /// <summary>The first unknown option on the command line, as a message with a suggestion, or null.</summary>
    public static string? UnknownOption(ParseResult parse)
    {
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            if (token.Type == TokenType.Argument && LooksLikeOption(token.Value))
            {
                return $"unknown option '{token.Value}' for '{CommandPath(parse.CommandResult)}'{DidYouMean(token.Value, OptionNames(parse.CommandResult))}";
            }
        }

        return null;
    }

    /// <summary>A parse error made more helpful: an unrecognized word gets the closest subcommand or option.</summary>
    public static string Explain(ParseError error, ParseResult parse)
    {
        var unmatched = parse.UnmatchedTokens.FirstOrDefault(token => error.Message.Contains($"'{token}'", StringComparison.Ordinal));
        if (unmatched is null)
        {
            return error.Message;
        }

        var candidates = LooksLikeOption(unmatched)
            ? OptionNames(parse.CommandResult)
            : parse.CommandResult.Command.Subcommands.Select(command => command.Name);
        return error.Message.TrimEnd('.') + DidYouMean(unmatched, candidates);
    }

    private static bool LooksLikeOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static IEnumerable<string> OptionNames(CommandResult leaf)
    {
        for (SymbolResult? result = leaf; result is not null; result = result.Parent)
        {
            if (result is CommandResult command)
            {
                foreach (var option in command.Command.Options.Where(option => command == leaf || option.Recursive))
                {
                    yield return option.Name;
                    foreach (var alias in option.Aliases)
                    {
                        yield return alias;
                    }
                }
            }
        }
    }

    /// <summary>The command as typed, such as <c>dotnet memory store plan</c>.</summary>
    public static string CommandPath(CommandResult leaf)
    {
        var names = new List<string>();
        for (SymbolResult? result = leaf; result is not null; result = result.Parent)
        {
            if (result is CommandResult command && command.Command is not RootCommand)
            {
                names.Insert(0, command.Command.Name);
            }
        }

        return string.Join(' ', ["dotnet memory", .. names]);
    }

    /// <summary>"; did you mean 'x'?" for the closest candidate (a prefix, or at most a third of the word's letters different), else nothing.</summary>
    private static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        var best = candidates
            .Distinct(StringComparer.Ordinal)
            .Select(candidate => (Candidate: candidate, Distance: candidate.StartsWith(word, StringComparison.Ordinal) && word.TrimStart('-').Length >= 2 ? 0 : Distance(word, candidate)))
            .Where(pair => pair.Distance <= Math.Max(1, word.TrimStart('-').Length / 3))
            .OrderBy(pair => pair.Distance).ThenBy(pair => pair.Candidate, StringComparer.Ordinal)
            .Select(pair => pair.Candidate)
            .FirstOrDefault();
        return best is null ? string.Empty : $"; did you mean '{best}'?";
    }

    /// <summary>The optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
