using System.CommandLine;
using MemoryContracts.Diagnostics;
using MemoryContracts.Tool.Inputs;
using MemoryContracts.Tool.Reporting;
using MemoryContracts.Validation;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>validate</c>, <c>graph validate</c> and <c>blueprint validate</c>: check fixtures and report every problem.</summary>
internal static class ValidateCommand
{
    /// <summary>Creates a validating command; with a family, named files of other contracts are reported as MC1014.</summary>
    public static Command Create(string name, string description, string? family, CommandContext context)
    {
        var inputs = CommandOptions.Inputs("Fixture files, folders or globs (quote globs so the shell leaves them alone).");
        var exclude = CommandOptions.Exclude();
        var format = CommandOptions.ReportFormat();
        var warningsAsErrors = CommandOptions.WarningsAsErrors();
        var noWarn = CommandOptions.NoWarn();
        var engine = CommandOptions.Engine();
        var schemas = CommandOptions.Schemas();
        var command = new Command(name, description) { inputs, exclude, format, warningsAsErrors, noWarn, engine, schemas };
        command.SetAction(parse => Run(
            new ValidationArguments(parse.GetValue(inputs)!, parse.GetValue(exclude) ?? [], parse.GetValue(format), parse.GetValue(warningsAsErrors), parse.GetValue(noWarn) ?? [], parse.GetValue(engine), parse.GetValue(schemas)),
            family,
            context));
        return command;
    }

    /// <summary>Validates the inputs and prints the report; returns the exit code.</summary>
    public static int Run(ValidationArguments arguments, string? family, CommandContext context)
    {
        var (report, _) = Validate(arguments, family, context);
        if (report is null)
        {
            return ExitCodes.IoError;
        }

        ReportWriter.Write(report, arguments.Format, context.Output, context.Error);
        return report.ExitCode;
    }

    /// <summary>Validates the inputs; null when the options themselves failed (already reported).</summary>
    public static (ValidationReport? Report, ContractValidator? Validator) Validate(ValidationArguments arguments, string? family, CommandContext context)
    {
        var (options, problems) = context.CreateOptions(arguments.Engine, arguments.Schemas);
        if (options is null)
        {
            context.Fail(problems, arguments.Format);
            return (null, null);
        }

        var (files, inputDiagnostics) = InputResolver.Resolve(arguments.Inputs, arguments.Exclude);
        var validator = new ContractValidator(options);
        var named = files.Select(validator.Validate).ToList();
        var report = new ValidationReport(inputDiagnostics, validator.Results, arguments.Policy);
        if (family is not null)
        {
            foreach (var result in named.Where(result => result.Contract is not null && result.Contract.Family != family))
            {
                var at = result.Document!.Root.TryGetProperty("schema_version", out var version) ? version.Location : SourceLocation.File(result.Path);
                report.Add(DiagnosticCatalog.UnexpectedContract.Create(at, family, result.Contract!.SchemaVersion));
            }
        }

        return (report, validator);
    }
}
