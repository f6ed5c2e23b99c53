using System.CommandLine;
using MemoryContracts.Schemas;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary>Builds the options several commands share; each command gets its own instances.</summary>
internal static class CommandOptions
{
    public static Argument<string[]> Inputs(string description) => new("inputs")
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<string[]> Exclude() => new("--exclude", "-x")
    {
        Description = "Glob of files to leave out, such as 'examples/**/invalid-*'. Repeatable.",
        HelpName = "glob",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Choice<ReportFormat> ReportFormat() =>
        new("--format", "How to print diagnostics: text (one 'file(line,col): error MCxxxx: message' line each), json, or sarif (SARIF 2.1.0).", Reporting.ReportFormat.Text, ["-f"]);

    public static Option<bool> WarningsAsErrors() => new("--warnaserror")
    {
        Description = "Treat warnings (such as MC4003) as errors.",
    };

    public static Option<string[]> NoWarn() => new("--nowarn")
    {
        Description = "Warning codes to suppress, such as MC4003. Repeatable or comma-separated.",
        HelpName = "codes",
    };

    public static Choice<SchemaEngineChoice> Engine() => SchemaEngines.ReferenceIncluded
        ? new("--engine", "Schema validator: compiled (fast) or reference (NJsonSchema, to cross-check).", SchemaEngineChoice.Compiled)
        : new("--engine", "Schema validator: compiled. (The reference engine, NJsonSchema, needs reflection: it is in the framework-dependent build of this tool, not in this native one.)", SchemaEngineChoice.Compiled, null, SchemaEngineChoice.Compiled);

    public static Option<DirectoryInfo?> Root() => new("--root")
    {
        Description = "The folder every file a fixture names (a selection's graph and profile, a manifest's sources and policy) must stay inside, after links are resolved (MC4010). The current folder by default.",
        HelpName = "folder",
    };

    public static Option<DirectoryInfo?> Schemas() => new("--schemas")
    {
        Description = "Folder of extra *.schema.json contract schemas (for example a new contract version) to use beside the built-in ones.",
        HelpName = "folder",
    };
}

/// <summary>The options every validating command shares, declared once: added to a command, read back as <see cref="ValidationArguments"/>.</summary>
internal sealed class ValidationOptionSet
{
    private readonly Argument<string[]> _inputs;
    private readonly Option<string[]> _exclude = CommandOptions.Exclude();
    private readonly Choice<ReportFormat> _format = CommandOptions.ReportFormat();
    private readonly Option<bool> _warningsAsErrors = CommandOptions.WarningsAsErrors();
    private readonly Option<string[]> _noWarn = CommandOptions.NoWarn();
    private readonly Choice<SchemaEngineChoice> _engine = CommandOptions.Engine();
    private readonly Option<DirectoryInfo?> _schemas = CommandOptions.Schemas();
    private readonly Option<DirectoryInfo?> _root = CommandOptions.Root();

    public ValidationOptionSet(string inputsDescription) => _inputs = CommandOptions.Inputs(inputsDescription);

    /// <summary>Adds the argument and options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Add(_inputs);
        command.Add(_exclude);
        command.Add(_format.Option);
        command.Add(_warningsAsErrors);
        command.Add(_noWarn);
        command.Add(_engine.Option);
        command.Add(_schemas);
        command.Add(_root);
    }

    /// <summary>Reads the values the user gave.</summary>
    public ValidationArguments Read(ParseResult parse) => new(
        parse.GetValue(_inputs)!,
        parse.GetValue(_exclude) ?? [],
        _format.Read(parse),
        parse.GetValue(_warningsAsErrors),
        parse.GetValue(_noWarn) ?? [],
        _engine.Read(parse),
        parse.GetValue(_schemas),
        parse.GetValue(_root));
}
