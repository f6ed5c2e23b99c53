using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using McpTool = ModelContextProtocol.Protocol.Tool;
using ModelContextProtocol.Server;

namespace MemoryContracts.Tool.Mcp;

/// <summary>
/// <c>dotnet memory mcp</c>: the toolbelt, memory and context packages as MCP tools over stdio, with the guardrails
/// enforced here rather than advised: arguments checked against the declared schemas, paths confined to the allowed
/// folders (narrowed, never widened, by the client's roots), anchors and front matter protected, every call audited
/// (granted, or denied with its MC code), every write one ledger event. Refusals are tool errors carrying the code.
/// </summary>
internal sealed class MemoryMcpServer
{
    private readonly McpServerSettings _settings;
    private readonly McpToolCatalog _catalog;
    private readonly McpToolHandlers _handlers;
    private readonly SemaphoreSlim _oneCallAtATime = new(1, 1);
    private (IReadOnlyList<string>? Allowed, bool Known) _narrowedByRoots;

    public MemoryMcpServer(McpServerSettings settings, McpToolCatalog catalog)
    {
        _settings = settings;
        _catalog = catalog;
        _handlers = new McpToolHandlers(settings);
        var unserved = catalog.Tools.Select(tool => tool.Name).Except(_handlers.ByName.Keys).Concat(_handlers.ByName.Keys.Except(catalog.Tools.Select(tool => tool.Name))).ToArray();
        if (unserved.Length > 0)
        {
            throw new InvalidOperationException($"the tool catalog and the handlers disagree on: {string.Join(", ", unserved)}");
        }
    }

    /// <summary>The server's options: its identity, its tools, and the notification that clears cached client roots.</summary>
    public McpServerOptions Options() => new()
    {
        ServerInfo = new Implementation
        {
            Name = "memorycontracts",
            Title = "MemoryContracts",
            Version = typeof(MemoryMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        },
        ServerInstructions = "Memory files, a memory graph and context packages under contract. Writes are validated, audited and recorded as events; " +
            "nothing can be deleted here, and lifecycle plans (forgetting, refreshing) are only proposed: a person applies them.",
        Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = false } },
        Handlers = new McpServerHandlers
        {
            ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [.. _catalog.Tools] }),
            CallToolHandler = CallAsync,
            NotificationHandlers =
            [
                new(ClientRoots.ListChanged, (_, _) =>
                {
                    _narrowedByRoots = default;
                    return ValueTask.CompletedTask;
                }),
            ],
        },
    };

    /// <summary>Serves over standard input and output until the client closes them.</summary>
    public async Task RunStdioAsync(CancellationToken cancellationToken)
    {
        await using var transport = new StdioServerTransport("memorycontracts");
        await using var server = McpServer.Create(transport, Options());
        await server.RunAsync(cancellationToken);
    }

    private async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var parameters = request.Params ?? throw new McpProtocolException("tools/call needs params", McpErrorCode.InvalidParams);
        var tool = _catalog.Find(parameters.Name);
        var actor = _settings.Actor ?? "mcp:" + Text.DisplayText.Escape(request.Server.ClientInfo?.Name ?? "client");
        var callId = "mcp-" + Text.DisplayText.Escape(request.JsonRpcRequest?.Id.ToString() ?? Guid.NewGuid().ToString("N"));
        var allowed = tool is null ? null : await AllowedAsync(request.Server, cancellationToken);
        await _oneCallAtATime.WaitAsync(cancellationToken);
        try
        {
            return tool is not null
                ? await _settings.Workspace.UseAsync(workspace => RunAsync(tool, parameters.Arguments, workspace, actor, callId, allowed, cancellationToken), cancellationToken)
                : throw await _settings.Workspace.UseAsync(workspace => UnknownToolAsync(workspace, parameters.Name, actor, callId), cancellationToken);
        }
        catch (MemoryStoreException refusal)
        {
            // The workspace could not be opened (locked past the timeout, another layout): nothing ran, nothing to audit in it.
            return Failure(refusal.Diagnostics);
        }
        finally
        {
            _oneCallAtATime.Release();
        }
    }

    private async ValueTask<CallToolResult> RunAsync(McpTool tool, IDictionary<string, JsonElement>? arguments, MemoryWorkspace workspace, string actor, string callId, IReadOnlyList<string>? allowed, CancellationToken cancellationToken)
    {
        McpCall? call = null;
        try
        {
            call = new McpCall(tool.Name, ToolArguments.Check(tool, arguments), workspace, actor, callId, allowed ?? []);
            if (allowed is { Count: 0 } && (tool.Name.StartsWith("fs_", StringComparison.Ordinal) || tool.Name.StartsWith("md_", StringComparison.Ordinal)))
            {
                throw new MemoryStoreException(DiagnosticCatalog.OperationBlocked.Create(SourceLocation.Origin("mcp:" + tool.Name), "the client's roots leave no part of the memory root; its files are out of reach"));
            }

            var result = await _handlers.ByName[tool.Name](call, cancellationToken);
            await workspace.RecordAuditAsync("mcp." + tool.Name, actor, AuditDecision.Granted, call.Text("graph"), call.Affected(), callId, CancellationToken.None);
            return Success(result);
        }
        catch (Exception exception) when (exception is MemoryStoreException or JsonException)
        {
            var diagnostics = exception is MemoryStoreException refusal
                ? refusal.Diagnostics
                : [DiagnosticCatalog.SchemaViolation.Create(SourceLocation.Origin("mcp:" + tool.Name), "the arguments do not fit the tool: " + exception.Message)];
            await workspace.RecordAuditAsync("mcp." + tool.Name, actor, AuditDecision.Denied, call?.Text("graph"), call?.Affected() ?? [], $"{callId}: {diagnostics[0]}", CancellationToken.None);
            return Failure(diagnostics);
        }
    }

    /// <summary>A call of a tool that does not exist (a delete, an apply) is audited as denied, then a protocol error.</summary>
    private static async ValueTask<McpProtocolException> UnknownToolAsync(MemoryWorkspace workspace, string name, string actor, string callId)
    {
        var message = $"unknown tool '{Text.DisplayText.Escape(name)}'; tools/list names the tools, and none deletes memory or applies a plan";
        await workspace.RecordAuditAsync("mcp." + Text.DisplayText.Escape(name), actor, AuditDecision.Denied, null, [], $"{callId}: {message}", CancellationToken.None);
        return new McpProtocolException(message, McpErrorCode.InvalidParams);
    }

    /// <summary>
    /// The toolbelt folders for this call: the command line's, narrowed by the client's roots when it declares them
    /// (asked once, again after <c>notifications/roots/list_changed</c>); null when the command line's stand as they are.
    /// </summary>
    private async ValueTask<IReadOnlyList<string>?> AllowedAsync(McpServer server, CancellationToken cancellationToken)
    {
        if (_narrowedByRoots is { Known: true, Allowed: var cached })
        {
            return cached;
        }

        var allowed = await ClientRoots.RequestAsync(server, cancellationToken) is { } roots
            ? ClientRoots.Narrow(_settings.MemoryRoot, _settings.AllowedPaths, roots) is var narrowed && narrowed.Contains(string.Empty) ? null : narrowed
            : _settings.AllowedPaths.Count == 0 ? null : _settings.AllowedPaths;
        _narrowedByRoots = (allowed, true);
        return allowed;
    }

    private static CallToolResult Success(JsonElement result) => new()
    {
        Content = [new TextContentBlock { Text = result.GetRawText() }],
        StructuredContent = result,
    };

    private static CallToolResult Failure(IReadOnlyList<ContractDiagnostic> diagnostics)
    {
        var errors = new JsonArray(diagnostics.Select(diagnostic => (JsonNode)new JsonObject { ["code"] = diagnostic.Code, ["message"] = diagnostic.Message }).ToArray());
        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = string.Join("\n", diagnostics.Select(diagnostic => $"{diagnostic.Code}: {diagnostic.Message}")) }],
            StructuredContent = JsonSerializer.SerializeToElement(new JsonObject { ["error"] = errors }, McpJsonContext.Default.JsonNode),
        };
    }
}
