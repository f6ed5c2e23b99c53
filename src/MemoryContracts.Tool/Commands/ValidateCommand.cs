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
        var options = new ValidationOptionSet("Fixture files, folders or globs (quote globs so the shell leaves them alone).");
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetAction(parse => Run(
            options.Read(parse),
            family,
            context));
        return command;
    }

    /// <summary>Validates the inputs and prints the report; returns the exit code.</summary>
    public static int Run(ValidationArguments arguments, string? family, CommandContext context)
    {
        var run = Validate(arguments, family, context);
        if (run.Report is null)
        {
            return run.FailureExitCode;
        }

        ReportWriter.Write(run.Report, arguments.Format, context.Output, context.Error);
        return run.Report.ExitCode;
    }

    /// <summary>Validates the inputs; no report when the options themselves failed (already reported, with the exit code to use).</summary>
    public static ValidationRun Validate(ValidationArguments arguments, string? family, CommandContext context)
    {
        var (options, problems) = context.CreateOptions(arguments.Engine, arguments.Schemas, arguments.Root);
        if (options is null)
        {
            return new ValidationRun(null, null, null, context.Fail(problems, arguments.Format));
        }

        // Problems in schemas given with --schemas are reported with the fixtures: only their own contracts are left out.
        var (files, inputDiagnostics) = InputResolver.Resolve(arguments.Inputs, arguments.Exclude);
        var results = CatalogValidation.Validate(files, options, Environment.ProcessorCount);
        var named = results.Take(files.Count).ToList();
        var report = new ValidationReport(problems.Concat(inputDiagnostics), results, arguments.Policy);
        if (family is not null)
        {
            foreach (var result in named.Where(result => result.Contract is not null && result.Contract.Family != family))
            {
                var at = result.Document!.Root.TryGetProperty("schema_version", out var version) ? version.Location : SourceLocation.File(result.Path);
                report.Add(DiagnosticCatalog.UnexpectedContract.Create(at, family, result.Contract!.SchemaVersion));
            }
        }

        return new ValidationRun(report, results, options, ExitCodes.Success);
    }
}

/// <summary>The report and results of a validating command, or the exit code when it could not start.</summary>
internal sealed record ValidationRun(ValidationReport? Report, IReadOnlyList<FixtureResult>? Results, ValidationOptions? Options, int FailureExitCode);
