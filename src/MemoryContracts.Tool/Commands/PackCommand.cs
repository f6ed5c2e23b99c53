using System.CommandLine;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Packing;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>graph pack</c>: compile one selection into a context package on standard output or into a file.</summary>
internal static class PackCommand
{
    public static Command Create(CommandContext context)
    {
        var selection = new Argument<string>("selection") { Description = "The markitect.memory.selection.v1 file to compile." };
        var format = new Choice<PackageFormat>("--format", "Package syntax.", PackageFormat.Json, ["-f"]);
        var output = new Option<string?>("--output", "-o") { HelpName = "file", Description = "Write the package to this file instead of standard output." };
        var warningsAsErrors = CommandOptions.WarningsAsErrors();
        var noWarn = CommandOptions.NoWarn();
        var schemas = CommandOptions.Schemas();
        var root = CommandOptions.Root();
        var command = new Command("pack", "Compile a selection into a markitect.context.package.v1 package. Diagnostics go to standard error.")
        {
            selection, format.Option, output, warningsAsErrors, noWarn, schemas, root,
        };
        command.SetAction(parse => Run(parse.GetValue(selection)!, format.Read(parse), parse.GetValue(output), parse.GetValue(warningsAsErrors), parse.GetValue(noWarn) ?? [], parse.GetValue(schemas), parse.GetValue(root), context));
        return command;
    }

    private static int Run(string selection, PackageFormat format, string? output, bool warningsAsErrors, string[] noWarn, DirectoryInfo? schemas, DirectoryInfo? root, CommandContext context)
    {
        var arguments = new ValidationArguments([selection], [], ReportFormat.Text, warningsAsErrors, noWarn, SchemaEngineChoice.Compiled, schemas, root);
        var diagnosticsOnly = new CommandContext(context.Error, context.Error);
        var (report, results, options, failure) = ValidateCommand.Validate(arguments, "selection", diagnosticsOnly);
        if (report is null)
        {
            return failure;
        }

        var package = results![0].Package?.Package;
        if (report.ErrorCount > 0 || package is null)
        {
            ReportWriter.Write(report, ReportFormat.Text, context.Error, context.Error);
            return report.ExitCode == ExitCodes.Success ? ExitCodes.ContractErrors : report.ExitCode;
        }

        var content = ContextPackageWriter.Write(package, format);
        if (output is null)
        {
            context.Output.Write(content);
        }
        else
        {
            try
            {
                AtomicFile.WriteAllText(output, content);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                report.Add(DiagnosticCatalog.PackageNotWritten.Create(SourceLocation.File(selection), package.Id, output, exception.Message));
            }
        }

        if (report.Diagnostics.Count > 0)
        {
            ReportWriter.Write(report, ReportFormat.Text, context.Error, context.Error);
        }

        return report.ExitCode;
    }
}
