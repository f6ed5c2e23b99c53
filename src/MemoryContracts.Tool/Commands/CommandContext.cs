using System.CommandLine;
using MemoryContracts.Diagnostics;
using MemoryContracts.Schemas;
using MemoryContracts.Tool.Reporting;
using MemoryContracts.Validation;

namespace MemoryContracts.Tool.Commands;

/// <summary>The writers a command prints to, and the shared validation setup.</summary>
internal sealed class CommandContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// Builds validation options from <c>--engine</c>, <c>--schemas</c> and <c>--root</c> (the current folder when not
    /// given: every file a fixture names must stay inside it). Problems in the schemas come back as diagnostics; the
    /// options are null only when no contract is usable, else they hold the usable ones.
    /// </summary>
    public (ValidationOptions? Options, IReadOnlyList<ContractDiagnostic> Diagnostics) CreateOptions(SchemaEngineChoice engine, DirectoryInfo? schemas, DirectoryInfo? root = null)
    {
        var rootFolder = root?.FullName ?? Environment.CurrentDirectory;
        if (schemas is null)
        {
            return (new ValidationOptions { SchemaEngine = SchemaEngines.For(engine, SchemaCatalog.Default), Root = rootFolder }, []);
        }

        if (!schemas.Exists)
        {
            return (null, [DiagnosticCatalog.FileNotReadable.Create(SourceLocation.File(schemas.ToString()), $"schema folder '{schemas}' does not exist")]);
        }

        var loaded = SchemaCatalog.Load(schemas.ToString());
        return loaded.Catalog is null ? (null, loaded.Diagnostics) : (new ValidationOptions { SchemaEngine = SchemaEngines.For(engine, loaded.Catalog), Catalog = loaded.Catalog, Root = rootFolder }, loaded.Diagnostics);
    }

    /// <summary>
    /// A diagnostic whose file lies under the current folder, with that file's path relative to it (as validate prints
    /// the paths it is given), so every command prints paths the same way; others are left as they are.
    /// </summary>
    public static ContractDiagnostic RelativeToCurrentFolder(ContractDiagnostic diagnostic)
    {
        var path = diagnostic.Location.Path;
        return Path.IsPathRooted(path) && RelativePaths.Inside(Environment.CurrentDirectory, path) is { } relative
            ? new ContractDiagnostic(diagnostic.Descriptor, diagnostic.Severity, diagnostic.Message, diagnostic.Location with { Path = relative })
            : diagnostic;
    }

    /// <summary>
    /// Runs a store or registry command: refusals print their diagnostics (exit 1), usage mistakes a plain error
    /// line (exit 2), I/O failures a plain error line (exit 3), anything unforeseen MC9001 without a stack trace (exit 1).
    /// </summary>
    public int Guard(Action work) => Guard(() =>
    {
        work();
        return ExitCodes.Success;
    });

    /// <summary>Runs a command that chooses its own exit code, with the same handling of refusals and failures as <see cref="Guard(Action)"/>.</summary>
    public int Guard(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Runtime.MemoryStoreException exception)
        {
            foreach (var diagnostic in exception.Diagnostics)
            {
                Output.WriteLine(RelativeToCurrentFolder(diagnostic).ToString());
            }

            return ExitCodes.ContractErrors;
        }
        catch (UsageException exception)
        {
            Error.WriteLine("dotnet-memory: error: " + exception.Message);
            return ExitCodes.Usage;
        }
        catch (IOException exception)
        {
            Error.WriteLine($"dotnet-memory: error: {exception.Message}");
            return ExitCodes.IoError;
        }
        catch (Exception exception) when (Runtime.Postgres.PostgresSetup.Diagnose(exception) is { } problem)
        {
            Output.WriteLine(RelativeToCurrentFolder(problem).ToString());
            return ExitCodes.ContractErrors;
        }
        catch (Exception exception)
        {
            // Never a stack trace: anything unforeseen is MC9001 with what went wrong, and nothing already stored is touched.
            Output.WriteLine(DiagnosticCatalog.InternalError.Create(SourceLocation.Origin("dotnet-memory"), $"{exception.GetType().Name}: {exception.Message}").ToString());
            return ExitCodes.ContractErrors;
        }
    }

    /// <summary>Prints diagnostics that stopped a command before it could validate anything.</summary>
    public int Fail(IReadOnlyList<ContractDiagnostic> diagnostics, ReportFormat format = ReportFormat.Text)
    {
        var report = new ValidationReport(diagnostics, [], DiagnosticPolicy.Default);
        ReportWriter.Write(report, format, Output, Error);
        return report.ExitCode;
    }
}

/// <summary>A command line that parses but asks for something impossible (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The options of the validating commands, read from a parse result.</summary>
internal sealed record ValidationArguments(string[] Inputs, string[] Exclude, ReportFormat Format, bool WarningsAsErrors, string[] NoWarn, SchemaEngineChoice Engine, DirectoryInfo? Schemas, DirectoryInfo? Root = null)
{
    public DiagnosticPolicy Policy => new(WarningsAsErrors, NoWarn);
}
