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
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<ReportFormat> ReportFormat() => new("--format", "-f")
    {
        Description = "How to print diagnostics: text (one 'file(line,col): error MCxxxx: message' line each), json, or sarif (SARIF 2.1.0).",
        DefaultValueFactory = _ => Reporting.ReportFormat.Text,
    };

    public static Option<bool> WarningsAsErrors() => new("--warnaserror")
    {
        Description = "Treat warnings (such as MC4003) as errors.",
    };

    public static Option<string[]> NoWarn() => new("--nowarn")
    {
        Description = "Warning codes to suppress, such as MC4003. Repeatable or comma-separated.",
    };

    public static Option<SchemaEngine> Engine() => new("--engine")
    {
        Description = "Schema validator: compiled (fast, default) or reference (NJsonSchema, to cross-check).",
        DefaultValueFactory = _ => SchemaEngine.Compiled,
    };

    public static Option<DirectoryInfo?> Schemas() => new("--schemas")
    {
        Description = "Folder of extra *.schema.json contract schemas (for example a new contract version) to use beside the built-in ones.",
    };
}
