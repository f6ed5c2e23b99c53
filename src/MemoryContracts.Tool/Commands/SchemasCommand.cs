using System.CommandLine;
using MemoryContracts.IO;
using MemoryContracts.Schemas;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>dotnet memory schemas export</c>: the built-in contract schemas as files, for editors and other tools.</summary>
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
        return new Command("schemas", "The contract schemas this version uses.") { export };
    }
}
