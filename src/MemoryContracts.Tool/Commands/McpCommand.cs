using System.CommandLine;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Tool.Mcp;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>mcp</c>: serve the toolbelt, memory and context packages to agents over the Model Context Protocol (docs/agents.md).</summary>
internal static class McpCommand
{
    public static Command Create(CommandContext context)
    {
        var root = new Option<DirectoryInfo>("--root") { Description = "The memory folder the file and Markdown tools work in.", Required = true, HelpName = "folder" };
        var workspace = new Option<DirectoryInfo?>("--workspace", "-w") { Description = "The workspace whose ledger and audit log record every call (or --postgres).", HelpName = "folder" };
        var postgres = new Option<string?>("--postgres") { Description = "Record in PostgreSQL instead (integrity keys from MEMORYCONTRACTS_HMAC_KEYS).", HelpName = "connection-string" };
        var owner = new Option<string>("--owner") { Description = "With --postgres: whose rows.", DefaultValueFactory = _ => Environment.UserName };
        var allow = new Option<string[]>("--allow") { Description = "A folder under the root the tools may touch (repeatable, or comma-separated; the whole root when none). Client roots only narrow it.", AllowMultipleArgumentsPerToken = true };
        var registry = new Option<DirectoryInfo>("--registry") { Description = "The context registry folder.", DefaultValueFactory = _ => new DirectoryInfo(ContextRegistry.DefaultFolder), HelpName = "folder" };
        var actor = new Option<string?>("--actor") { Description = "Who acts, on every event and audit record (default: mcp: and the client's name)." };
        var clearances = new Option<string[]>("--clearance") { Description = "A policy label the agent may see through memory_retrieve and memory_explain. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var zone = new Option<string?>("--trust-zone") { Description = "The widest trust zone the agent may receive (default: public)." };
        var command = new Command("mcp", "Serve the toolbelt, memory retrieval, appends, lifecycle plans and context packages as MCP tools over stdio, with every guardrail enforced and every call audited.")
        {
            root, workspace, postgres, owner, allow, registry, actor, clearances, zone,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            McpServerSettings settings;
            try
            {
                var access = parse.GetValue(postgres) is { } connection
                    ? WorkspaceAccess.Shared(PostgresWorkspace.Open(StoreCommand.PostgresOptions(connection, parse.GetValue(owner)!)))
                    : WorkspaceAccess.Leased((parse.GetValue(workspace) ?? throw new UsageException("give the ledger: --workspace <folder>, or --postgres <connection-string>")).FullName);
                var memoryRoot = parse.GetValue(root)!.FullName;
                Directory.CreateDirectory(memoryRoot);
                settings = new McpServerSettings(
                    memoryRoot,
                    (parse.GetValue(allow) ?? []).SelectMany(folder => folder.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
                    access,
                    new ContextRegistry(parse.GetValue(registry)!.FullName, new ContextRegistryOptions { FixtureRoot = Environment.CurrentDirectory, IntegrityKey = ContextCommand.RegistryKey() }),
                    parse.GetValue(actor),
                    parse.GetValue(clearances) ?? [],
                    parse.GetValue(zone));
            }
            catch (Exception exception) when (exception is MemoryStoreException or UsageException or IOException || PostgresSetup.Diagnose(exception) is not null)
            {
                // Standard output is the protocol channel: a server that cannot start says why on standard error.
                var problems = exception switch
                {
                    MemoryStoreException refusal => refusal.Diagnostics.Select(diagnostic => diagnostic.ToString()),
                    _ when PostgresSetup.Diagnose(exception) is { } problem => [problem.ToString()],
                    _ => ["dotnet-memory: error: " + exception.Message],
                };
                foreach (var problem in problems)
                {
                    context.Error.WriteLine(problem);
                }

                return exception is UsageException ? ExitCodes.Usage : exception is IOException ? ExitCodes.IoError : ExitCodes.ContractErrors;
            }

            using (settings.Workspace)
            {
                await new MemoryMcpServer(settings, McpToolCatalog.Shipped).RunStdioAsync(cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
