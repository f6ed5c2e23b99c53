using System.CommandLine;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Text;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store</c>: a durable local memory workspace (docs/runtime.md).</summary>
internal static partial class StoreCommand
{
    private static readonly Option<DirectoryInfo?> Workspace = new("--workspace", "-w") { Description = "The workspace folder (or use --postgres).", HelpName = "folder" };
    private static readonly Option<string?> Postgres = new("--postgres") { Description = "A PostgreSQL connection string: use the PostgreSQL engine instead of a folder (integrity keys from MEMORYCONTRACTS_HMAC_KEYS).", HelpName = "connection-string" };
    private static readonly Option<string> Owner = new("--owner") { Description = "With --postgres: whose rows to read and write.", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Option<string> Actor = new("--actor") { Description = "Who acts (recorded in the log and the audit log).", DefaultValueFactory = _ => Environment.UserName };

    public static Command Create(CommandContext context)
    {
        var graph = new Option<string>("--graph", "-g") { Description = "The graph id.", Required = true };
        return new Command("store", "A durable local memory workspace: import, log events, replay, paths, review-gated lifecycle, retrieval, repair.")
        {
            Init(context),
            Import(context),
            Lists(context),
            Nodes(context, graph),
            Edges(context, graph),
            Events(context, graph),
            Append(context, graph),
            Replay(context, graph),
            Export(context, graph),
            PathList(context, graph),
            Branch(context, graph),
            Merge(context, graph),
            Abandon(context, graph),
            Plan(context, graph),
            Approve(context),
            KeyGen(context),
            Apply(context),
            Retrieve(context, graph),
            Repair(context),
            AuditTrail(context),
            Migrate(context),
            Verify(context),
            Reconcile(context),
        };
    }

    /// <summary>A listing line with control and bidi characters escaped, so a crafted id cannot forge or reverse output lines.</summary>
    private static string Safe(string line) => string.Join('\t', line.Split('\t').Select(DisplayText.Escape));

    private static void Write(CommandContext context, byte[] content, FileInfo? file)
    {
        if (file is null)
        {
            context.Output.Write(Encoding.UTF8.GetString(content));
        }
        else
        {
            MemoryContracts.IO.AtomicFile.WriteAllBytes(file.FullName, content);
        }
    }

    /// <summary>
    /// Opens the workspace the options name and runs the command on it; <paramref name="readOnly"/> commands open a
    /// folder without creating, moving or writing any file, so they work on a full disk and change nothing.
    /// </summary>
    private static int Open(CommandContext context, ParseResult parse, Action<MemoryWorkspace> work, bool readOnly = false) => Run(context, () =>
    {
        using var workspace = parse.GetValue(Postgres) is { } connection
            ? PostgresWorkspace.Open(PostgresOptions(connection, parse.GetValue(Owner)!))
            : MemoryWorkspace.Open(RequireFolder(parse).FullName, new WorkspaceOptions { ReadOnly = readOnly });
        foreach (var recovered in workspace.Recovered)
        {
            context.Error.WriteLine(CommandContext.RelativeToCurrentFolder(recovered).ToString());
        }

        work(workspace);
    });

    private static DirectoryInfo RequireFolder(ParseResult parse) =>
        parse.GetValue(Workspace) ?? throw new MemoryStoreException(DiagnosticCatalog.WorkspaceLayout.Create(SourceLocation.Origin("dotnet-memory"), "give the workspace: --workspace <folder>, or --postgres <connection-string>"));

    private static int Run(CommandContext context, Action work) => context.Guard(work);
}
