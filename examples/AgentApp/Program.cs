using System.Text.Json;
using AgentApp;
using MemoryContracts.Agents;
using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Lifecycle;
using Microsoft.Agents.AI;
using ModelContextProtocol.Client;

// Usage: dotnet run --project examples/AgentApp -- <work folder> [--tool <dotnet-memory.dll>]
// Packs a context package, imports a knowledge graph, then runs an Agent Framework agent twice: once to answer from
// memory (context injected within a token budget, with a receipt), once asked to forget (a plan proposed, waiting for
// a reviewer). In between it edits a memory file through 'dotnet memory mcp', as any MCP client would.
var folder = Path.GetFullPath(args.Length > 0 ? args[0] : "agent-app");
var tool = args.SkipWhile(argument => argument != "--tool").Skip(1).FirstOrDefault();
var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");
Directory.CreateDirectory(folder);
foreach (var file in Directory.GetFiles(fixtures))
{
    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
}

var project = new MemoryNamespace("project", "memorycontracts");
var registry = new ContextRegistry(Path.Combine(folder, ".memory", "context"), new ContextRegistryOptions { FixtureRoot = folder });
registry.Pack(ContextRegistry.RecipeFor(Path.Combine(folder, "decision-graph-selection.yaml")), "setup");
using var workspace = MemoryWorkspace.Create(Path.Combine(folder, ".memory", "ledger"));
workspace.Import(Path.Combine(folder, "kb.yaml"), "setup");
workspace.Import(Path.Combine(folder, "kb-profile.yaml"), "setup");

var memory = new MemoryContextProvider(registry, workspace, new MemoryContextOptions
{
    Packages = [new PackageReference(project, "contract-boundary-decisions")],
    MaxTokens = 300,
    TokenCounter = TiktokenCounter.O200kBase,
    ProposeAfterRun = run => run.RequestMessages.Any(message => message.Text.Contains("forget", StringComparison.OrdinalIgnoreCase))
        ? new LifecycleProposal("kb", "kb-profile", new LifecycleRequest { Forget = ["fact-secret"], Reason = "the user asked", Retention = false })
        : null,
});
var agent = new ChatClientAgent(new LocalModel(), new ChatClientAgentOptions { Name = "planner", AIContextProviders = [memory] });

// 1. Context injection and its receipt.
var answer = await agent.RunAsync("What did we decide about validation?");
var receipt = memory.LastReceipt!;
Console.WriteLine($"agent: {answer.Text}");
Console.WriteLine($"receipt {receipt.EventId}: {receipt.Items.Count} item(s), {receipt.Tokens} {receipt.TokenCounter} tokens: {string.Join(", ", receipt.Items)}");
foreach (var (id, reason) in receipt.Withheld)
{
    Console.WriteLine($"withheld {id}: {reason}");
}

// 2. A toolbelt call through MCP: the same server an editor or another agent would use.
var mcpFolder = Path.Combine(folder, "memory");
Directory.CreateDirectory(mcpFolder);
var transport = new StdioClientTransport(new StdioClientTransportOptions
{
    Name = "memorycontracts",
    Command = "dotnet",
    Arguments = [.. tool is null ? ["memory"] : new[] { tool }, "mcp", "--root", mcpFolder, "--workspace", Path.Combine(folder, ".memory", "toolbelt-ledger"), "--actor", "planner"],
});
await using (var client = await McpClient.CreateAsync(transport))
{
    var written = await client.CallToolAsync("fs_write", new Dictionary<string, object?>
    {
        ["path"] = "notes/validation.md",
        ["content"] = $"# Validation\n\n- {answer.Text}\n",
        ["rationale"] = "what the agent answered",
        ["evidence"] = new[] { receipt.EventId },
    });
    var saved = written.StructuredContent!.Value.GetProperty("event");
    Console.WriteLine($"mcp fs_write notes/validation.md: {saved.GetProperty("status").GetString()} as event {saved.GetProperty("id").GetString()}");
    var refused = await client.CallToolAsync("fs_read", new Dictionary<string, object?> { ["path"] = "../kb.yaml" });
    Console.WriteLine($"mcp fs_read ../kb.yaml: refused: {JsonSerializer.Serialize(refused.StructuredContent!.Value.GetProperty("error")[0].GetProperty("code"))}");
}

// 3. Asked to forget: a plan is proposed and waits for a reviewer; nothing is forgotten.
answer = await agent.RunAsync("Please forget the secret fact.");
var plan = memory.LastProposal!;
Console.WriteLine($"agent: {answer.Text}");
Console.WriteLine($"proposed plan {plan.Id}: {string.Join(", ", plan.Actions.Select(action => $"{action.Action} {action.Node}"))}; needs approval: {plan.RequiresReview}");
Console.WriteLine($"fact-secret still in memory: {workspace.Nodes("kb").Any(node => node.Id == "fact-secret")}");
