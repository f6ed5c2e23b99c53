using System.CommandLine;
using MemoryContracts.Packing;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>compile</c>: validate a fixture catalog and write the package of every valid selection to a folder.</summary>
internal static class CompileCommand
{
    public static Command Create(CommandContext context)
    {
        var options = new ValidationOptionSet("Fixture files, folders or globs: the catalog to check and compile.");
        var output = new Option<string>("--output", "-o") { HelpName = "folder", Description = "Folder for the <selection-id>.context.json packages.", Required = true };
        var packageFormat = new Choice<PackageFormat>("--package-format", "Package syntax.", PackageFormat.Json);
        var command = new Command("compile", "Validate every fixture and compile every selection into <output>/<selection-id>.context.json.");
        options.AddTo(command);
        command.Add(output);
        command.Add(packageFormat.Option);
        command.SetAction(parse => Run(
            options.Read(parse),
            parse.GetValue(output)!,
            packageFormat.Read(parse),
            context));
        return command;
    }

    private static int Run(ValidationArguments arguments, string output, PackageFormat packageFormat, CommandContext context)
    {
        var (report, results, options, failure) = ValidateCommand.Validate(arguments, null, context);
        if (report is null)
        {
            return failure;
        }

        var emitted = PackageEmitter.Emit(results!, output, packageFormat);
        foreach (var diagnostic in emitted.Diagnostics)
        {
            report.Add(diagnostic);
        }

        ReportWriter.Write(report, arguments.Format, context.Output, context.Error);
        context.Error.WriteLine($"Wrote {emitted.Written.Count} context package(s) to {output}.");
        return report.ExitCode;
    }
}
