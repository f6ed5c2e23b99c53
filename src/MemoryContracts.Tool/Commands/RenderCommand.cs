using System.CommandLine;
using MemoryContracts.Output;
using MemoryContracts.Validation;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>graph render</c>: draw a graph fixture as Mermaid or Graphviz DOT.</summary>
internal static class RenderCommand
{
    public static Command Create(CommandContext context)
    {
        var graph = new Argument<string>("graph") { Description = "The markitect.memory.graph.v1 file to draw." };
        var format = new Choice<GraphPictureFormat>("--format", "mermaid (for Markdown) or dot (for Graphviz).", GraphPictureFormat.Mermaid, ["-f"]);
        var output = new Option<FileInfo?>("--output", "-o") { HelpName = "file", Description = "Write to this file instead of standard output." };
        var command = new Command("render", "Draw a graph: nodes coloured by kind, edges labelled with their kind.") { graph, format.Option, output };
        command.SetAction(parse => context.Guard(() =>
        {
            var result = new ContractValidator().Validate(parse.GetValue(graph)!);
            if (result.Graph is not { } model)
            {
                throw new Runtime.MemoryStoreException(result.Diagnostics.Where(diagnostic => diagnostic.IsError)
                    .DefaultIfEmpty(Diagnostics.DiagnosticCatalog.UnexpectedContract.Create(Diagnostics.SourceLocation.File(result.Path), SchemaVersions.GraphV1, result.Contract?.SchemaVersion)).ToArray());
            }

            var picture = GraphRenderer.Render(model, format.Read(parse));
            if (parse.GetValue(output) is { } file)
            {
                IO.AtomicFile.WriteAllText(file.FullName, picture);
            }
            else
            {
                context.Output.Write(picture);
            }
        }));
        return command;
    }
}
