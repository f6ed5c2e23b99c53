using System.CommandLine;
using MemoryContracts.IO;
using MemoryContracts.Schemas;
using MemoryContracts.Tool.Inputs;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary>
/// <c>dotnet memory schemas export</c>: the built-in contract schemas as files, for editors and other tools;
/// <c>dotnet memory schema check</c>: any YAML or JSON file against any JSON Schema, with positions.
/// </summary>
internal static class SchemasCommand
{
    public static Command Create(CommandContext context)
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write the *.schema.json files into (created if missing); files of the same name are replaced.", HelpName = "folder", Required = true };
        var export = new Command("export", "Write the built-in contract schemas (exactly as this version validates with them) into a folder, for an editor's yaml-language-server modeline or yaml.schemas setting.") { output };
        export.SetAction(parse => context.Guard(() =>
        {
            var folder = parse.GetValue(output)!.FullName;
            foreach (var (fileName, content) in SchemaCatalog.BuiltInSchemaFiles)
            {
                AtomicFile.WriteAllBytes(Path.Combine(folder, fileName), content);
                context.Output.WriteLine(Path.Combine(parse.GetValue(output)!.ToString(), fileName));
            }
        }));
        var command = new Command("schemas", "The contract schemas this version uses, and positioned validation of any YAML or JSON file against any JSON Schema.") { export, CreateCheck(context) };
        command.Aliases.Add("schema");
        return command;
    }

    private static Command CreateCheck(CommandContext context)
    {
        var schema = new Option<FileInfo>("--schema", "-s") { Description = "The JSON Schema file (draft-07, the keywords the contract validator enforces); its references may name the built-in contract schemas by $id or file name.", HelpName = "file", Required = true };
        var inputs = new Argument<string[]>("files") { Description = "YAML or JSON files, folders or globs (quote globs so the shell leaves them alone).", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check", "Validate any YAML or JSON files against a JSON Schema: one canonical line per problem, with file, line and column.") { schema, inputs };
        check.SetAction(parse => context.Guard(() =>
        {
            var loaded = JsonSchemaFile.Load(parse.GetValue(schema)!.ToString());
            var (files, inputProblems) = InputResolver.Resolve(parse.GetValue(inputs)!, []);
            var diagnostics = loaded.Diagnostics.Concat(inputProblems).ToList();
            if (loaded.Schema is { } compiled)
            {
                diagnostics.AddRange(files.SelectMany(file => compiled.Validate(file)));
            }

            foreach (var diagnostic in diagnostics)
            {
                context.Output.WriteLine(diagnostic.ToString());
            }

            var errors = diagnostics.Count(diagnostic => diagnostic.IsError);
            context.Error.WriteLine($"{(loaded.Schema is null ? 0 : files.Count)} file(s): {errors} error(s), {diagnostics.Count - errors} warning(s).");
            return ValidationReport.ExitCodeOf(diagnostics);
        }));
        return check;
    }
}
