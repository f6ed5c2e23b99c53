using System.CommandLine;

namespace MemoryContracts.Tool.Commands;

/// <summary>
/// An option whose value is one of an enum's members, spelled as users type them (lower case): help shows the choices
/// and the default in that spelling, and a value that is none of them is a usage error that lists them, never a .NET
/// type name.
/// </summary>
/// <typeparam name="T">The enum.</typeparam>
internal sealed class Choice<T>
    where T : struct, Enum
{
    private readonly T _default;

    /// <summary>Creates the option; <paramref name="allowed"/> limits the choices (all members by default).</summary>
    public Choice(string name, string description, T @default, string[]? aliases = null, params T[] allowed)
    {
        _default = @default;
        var choices = (allowed.Length == 0 ? Enum.GetValues<T>() : allowed).ToDictionary(WireName, value => value, StringComparer.OrdinalIgnoreCase);
        var listed = string.Join(", ", choices.Keys);
        Option = new Option<T?>(name, aliases ?? [])
        {
            Description = $"{description} Default: {WireName(@default)}.",
            HelpName = string.Join('|', choices.Keys),
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                if (choices.TryGetValue(token, out var value))
                {
                    return value;
                }

                result.AddError($"'{token}' is not a value of {name}; use one of: {listed}");
                return null;
            },
        };
    }

    /// <summary>The option to add to a command.</summary>
    public Option<T?> Option { get; }

    /// <summary>The value given, or the default.</summary>
    public T Read(ParseResult parse) => parse.GetValue(Option) ?? _default;

    /// <summary>How users spell a member: its name in lower case.</summary>
    public static string WireName(T value) => value.ToString().ToLowerInvariant();
}
