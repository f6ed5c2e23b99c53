// The roots capability is deprecated from protocol revision 2026-07-28, but clients on earlier revisions declare it,
// and the server must honour it: these tests declare roots as such a client does.
#pragma warning disable MCP9005
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace MemoryContracts.Runtime.Tests.Mcp;

/// <summary>
/// A real <c>dotnet memory mcp</c> process and the C# SDK's client talking to it over stdio, in a temporary folder
/// with a memory root (<c>memory/</c>), a workspace (<c>ledger/</c>) and a context registry (<c>.memory/context</c>).
/// </summary>
internal sealed class McpSession : IAsyncDisposable
{
    private McpSession(McpClient client, string folder) => (Client, Folder) = (client, folder);

    public McpClient Client { get; }

    public string Folder { get; }

    public string MemoryRoot => Path.Combine(Folder, "memory");

    public string Ledger => Path.Combine(Folder, "ledger");

    /// <summary>Starts a server in <paramref name="folder"/> with the given extra arguments; <paramref name="roots"/>, if given, are the client's roots.</summary>
    /// <remarks>The ledger is <c>ledger/</c> unless the arguments name <c>--postgres</c>; <paramref name="environment"/> is added to the server's.</remarks>
    public static async Task<McpSession> StartAsync(string folder, string[]? arguments = null, IReadOnlyList<string>? roots = null, string clientName = "mcp-tests", IDictionary<string, string?>? environment = null)
    {
        arguments ??= [];
        Directory.CreateDirectory(Path.Combine(folder, "memory"));
        var options = new McpClientOptions { ClientInfo = new Implementation { Name = clientName, Version = "1.0" } };
        if (roots is not null)
        {
            options.Capabilities = new ClientCapabilities { Roots = new RootsCapability { ListChanged = true } };
            options.Handlers = new McpClientHandlers
            {
                RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult { Roots = roots.Select(root => new Root { Uri = new Uri(root).AbsoluteUri }).ToList() }),
            };
        }

        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "memorycontracts",
            Command = "dotnet",
            Arguments = [TestSupport.ToolPath, "mcp", "--root", "memory", .. arguments.Contains("--postgres") ? arguments : ["--workspace", "ledger", .. arguments]],
            WorkingDirectory = folder,
            EnvironmentVariables = environment,
        });
        return new McpSession(await McpClient.CreateAsync(transport, options), folder);
    }

    /// <summary>Calls a tool with arguments written as JSON.</summary>
    public async Task<CallToolResult> CallAsync(string tool, string argumentsJson = "{}")
    {
        var arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(argumentsJson)!;
        return await Client.CallToolAsync(tool, arguments.ToDictionary(pair => pair.Key, pair => (object?)pair.Value));
    }

    /// <summary>Calls a tool that must succeed; its structured content.</summary>
    public async Task<JsonElement> SucceedAsync(string tool, string argumentsJson = "{}")
    {
        var result = await CallAsync(tool, argumentsJson);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        return result.StructuredContent!.Value;
    }

    /// <summary>Calls a tool that must be refused; the MC code of its first error.</summary>
    public async Task<string> RefusedAsync(string tool, string argumentsJson)
    {
        var result = await CallAsync(tool, argumentsJson);
        Assert.True(result.IsError, $"{tool} was not refused: {Text(result)}");
        var code = result.StructuredContent!.Value.GetProperty("error")[0].GetProperty("code").GetString()!;
        Assert.StartsWith(code + ": ", Text(result), StringComparison.Ordinal);
        return code;
    }

    public static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    /// <summary>The audit records of MCP calls in a session folder's workspace, read after its servers stopped.</summary>
    public static IReadOnlyList<AuditRecord> Audit(string folder)
    {
        using var workspace = MemoryWorkspace.Open(Path.Combine(folder, "ledger"), new WorkspaceOptions { ReadOnly = true });
        return workspace.AuditTrail().Where(record => record.Action.StartsWith("mcp.", StringComparison.Ordinal)).ToArray();
    }

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}
