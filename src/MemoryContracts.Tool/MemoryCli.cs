using System.CommandLine;
using System.CommandLine.Help;
using MemoryContracts.Tool.Commands;

namespace MemoryContracts.Tool;

/// <summary>The <c>dotnet memory</c> command line, runnable in process with any writers.</summary>
public static class MemoryCli
{
    /// <summary>Parses and runs a command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var context = new Commands.CommandContext(output, error);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        // Unforeseen exceptions come to the catch below (MC9001), never to System.CommandLine's stack-trace printer.
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parse.Action is not HelpAction && (UsageCheck.UnknownOption(parse) is { } unknown ? [unknown] : parse.Errors.Select(problem => UsageCheck.Explain(problem, parse)).ToArray()) is { Length: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                error.WriteLine("dotnet-memory: error: " + problem);
            }

            error.WriteLine($"Run '{UsageCheck.CommandPath(parse.CommandResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(configuration);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            error.WriteLine($"dotnet-memory: error MC9001: internal error: {exception.GetType().Name}: {exception.Message}; please report this with the command that caused it");
            return ExitCodes.ContractErrors;
        }
    }

    private static RootCommand BuildRoot(Commands.CommandContext context)
    {
        var graph = new Command("graph", "Work with markitect.memory.graph.v1 fixtures and compile selections.")
        {
            ValidateCommand.Create("validate", "Validate graph fixtures (contract, vocabulary, ids, edge endpoints, event references).", "graph", context),
            PackCommand.Create(context),
            RenderCommand.Create(context),
        };
        var blueprint = new Command("blueprint", "Work with markitect.memory.profile.v1 fixtures (memory blueprints).")
        {
            ValidateCommand.Create("validate", "Validate profile fixtures.", "profile", context),
            PlanCommand.Create(context),
        };
        return new RootCommand(
            "dotnet memory: contract-first agent memory. Validates memory fixtures (profiles, graphs, selections, manifests) with exact " +
            "positions, explains profiles, and compiles selections into context packages.\n\n" +
            "Exit codes: 0 valid, 1 contract errors, 2 usage, 3 file not found or not writable.")
        {
            ValidateCommand.Create("validate", "Validate fixtures of any contract; the contract comes from each file's schema_version.", null, context),
            graph,
            blueprint,
            CompileCommand.Create(context),
            SchemasCommand.Create(context),
            StoreCommand.Create(context),
            ContextCommand.Create(context),
            ToolbeltCommand.Fs(context),
            ToolbeltCommand.Md(context),
            McpCommand.Create(context),
        };
    }
}
