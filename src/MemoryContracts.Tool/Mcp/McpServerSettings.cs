using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Retrieval;

namespace MemoryContracts.Tool.Mcp;

/// <summary>What <c>dotnet memory mcp</c> was started with; nothing a client sends can change it.</summary>
/// <param name="MemoryRoot">The folder the toolbelt works in.</param>
/// <param name="AllowedPaths">Folders under the root the toolbelt may touch (the whole root when empty); client roots only narrow them.</param>
/// <param name="Workspace">The workspace whose ledger and audit log record every call.</param>
/// <param name="Registry">The context registry.</param>
/// <param name="Actor">Who acts, recorded on every event and audit record; null to name the client (<c>mcp:</c> and its name).</param>
/// <param name="Clearances">The policy labels this server's agent may see.</param>
/// <param name="TrustZone">The widest trust zone it may receive (null: public).</param>
internal sealed record McpServerSettings(
    string MemoryRoot,
    IReadOnlyList<string> AllowedPaths,
    WorkspaceAccess Workspace,
    ContextRegistry Registry,
    string? Actor,
    IReadOnlyList<string> Clearances,
    string? TrustZone)
{
    /// <summary>The retrieval subject for an actor: this server's clearances and zone, never the client's claim.</summary>
    public RetrievalSubject Subject(string actor) => new(actor, Clearances, TrustZone);
}
