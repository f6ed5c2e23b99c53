using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Toolbelt;
using MemoryContracts.Tool.Commands;

namespace MemoryContracts.Tool.Mcp;

/// <summary>One tool call, as a handler sees it: checked arguments, the open workspace, and who is calling.</summary>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments, checked against the tool's input schema.</param>
/// <param name="Workspace">The workspace, open for this call.</param>
/// <param name="Actor">Who acts.</param>
/// <param name="ToolCallId">The call's correlation id (from the JSON-RPC request id).</param>
/// <param name="AllowedPaths">The toolbelt folders left after the client's roots narrowed them.</param>
internal sealed record McpCall(string Name, JsonElement Arguments, MemoryWorkspace Workspace, string Actor, string ToolCallId, IReadOnlyList<string> AllowedPaths)
{
    /// <summary>A string argument, or null.</summary>
    public string? Text(string name) => Arguments.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>A string argument the schema requires.</summary>
    public string Required(string name) => Text(name)!;

    /// <summary>A string array argument, empty when left out.</summary>
    public IReadOnlyList<string> Strings(string name) =>
        Arguments.TryGetProperty(name, out var value) ? value.EnumerateArray().Select(item => item.GetString()!).ToArray() : [];

    /// <summary>What the call names, for its audit record: the path, or the graph and node, or the package.</summary>
    public IReadOnlyList<string> Affected() =>
        new[] { Text("path"), Text("node"), Text("episode"), Text("id") }.OfType<string>().Select(MemoryContracts.Text.DisplayText.Escape).ToArray();
}

/// <summary>
/// What each MCP tool does: the toolbelt's file and Markdown operations, memory retrieval, appends and lifecycle
/// plans through the workspace, and context packages through the registry. There is no delete tool and no tool that
/// applies a plan: applying needs a reviewer's approval, given outside this server.
/// </summary>
internal sealed class McpToolHandlers(McpServerSettings settings)
{
    /// <summary>The handlers by tool name; the catalog and this table name the same tools (checked at start-up).</summary>
    public IReadOnlyDictionary<string, Func<McpCall, CancellationToken, ValueTask<JsonElement>>> ByName { get; } = Table(settings);

    private static Dictionary<string, Func<McpCall, CancellationToken, ValueTask<JsonElement>>> Table(McpServerSettings settings) => new(StringComparer.Ordinal)
    {
        ["fs_list"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.ListAsync(request, ct)),
        ["fs_read"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.ReadAsync(request, ct)),
        ["fs_search"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.SearchAsync(request, ct)),
        ["fs_hash"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.HashAsync(request, ct)),
        ["fs_write"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.WriteAsync(request, ct)),
        ["fs_patch"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.PatchAsync(request, ct)),
        ["fs_append"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.AppendAsync(request, ct)),
        ["md_list_sections"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.ListSectionsAsync(request, ct)),
        ["md_patch_section"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.PatchSectionAsync(request, ct)),
        ["md_curate_list"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.CurateListAsync(request, ct)),
        ["md_lint"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.LintAsync(request, ct)),
        ["md_replay"] = (call, ct) => Toolbelt(settings, call, (toolbelt, request) => toolbelt.ReplayAsync(request, ct)),
        ["memory_retrieve"] = (call, ct) => Retrieve(settings, call, NeighborhoodOrEpisode(call), ct),
        ["memory_explain"] = (call, ct) => Retrieve(settings, call, new RetrievalQuery.DecisionPath(call.Required("graph"), call.Required("node")), ct),
        ["memory_append"] = Append,
        ["memory_plan"] = Plan,
        ["context_list"] = async (call, ct) => Node(await settings.Registry.ListAsync(Namespace(call), ct).ConfigureAwait(false), SnakeCaseJson.Compact.IReadOnlyListRegistryEntry),
        ["context_activate"] = async (call, ct) => Node(await settings.Registry.ActivateAsync(Namespace(call) ?? ContextRegistry.DefaultNamespace, call.Required("id"), call.Actor, ct).ConfigureAwait(false), SnakeCaseJson.Compact.ActivationEnvelope),
        ["context_explain"] = async (call, ct) => Node(await settings.Registry.ExplainAsync(Namespace(call) ?? ContextRegistry.DefaultNamespace, call.Required("id"), ct).ConfigureAwait(false), SnakeCaseJson.Compact.PackageExplanation),
    };

    /// <summary>A toolbelt operation, awaited with the call's token.</summary>
    private static async ValueTask<JsonElement> Toolbelt(McpServerSettings settings, McpCall call, Func<MemoryToolbelt, ToolRequest, ValueTask<ToolResult>> operation)
    {
        var request = SnakeCaseJson.Read(call.Arguments.GetRawText(), SnakeCaseJson.Compact.ToolRequest) with { ToolCallId = call.ToolCallId };
        var toolbelt = new MemoryToolbelt(settings.MemoryRoot, call.Workspace, new ToolbeltOptions { AllowedPaths = call.AllowedPaths });
        return Node(await operation(toolbelt, request).ConfigureAwait(false), SnakeCaseJson.Compact.ToolResult);
    }

    private static RetrievalQuery NeighborhoodOrEpisode(McpCall call)
    {
        var graph = call.Required("graph");
        return (call.Text("node"), call.Text("episode")) switch
        {
            ({ } node, null) => new RetrievalQuery.Neighborhood(graph, node, call.Arguments.TryGetProperty("depth", out var depth) ? depth.GetInt32() : 1),
            (null, { } episode) => new RetrievalQuery.Episode(graph, episode),
            _ => throw Refuse(call, "give either node (a neighborhood) or episode (a conversational path), not both or neither"),
        };
    }

    private static async ValueTask<JsonElement> Retrieve(McpServerSettings settings, McpCall call, RetrievalQuery query, CancellationToken cancellationToken)
    {
        var result = await call.Workspace.RetrieveAsync(query, settings.Subject(call.Actor), cancellationToken).ConfigureAwait(false);
        return Element(new JsonObject
        {
            ["operation"] = result.Operation,
            ["graph"] = result.GraphId,
            ["items"] = new JsonArray(result.Items.Select(item => (JsonNode)new JsonObject { ["node"] = JsonNode.Parse(MemoryJson.WriteNode(item.Node)), ["reason"] = item.Reason }).ToArray()),
            ["edges"] = new JsonArray(result.Edges.Select(edge => JsonNode.Parse(MemoryJson.WriteEdge(edge))).ToArray()),
            ["denied"] = new JsonArray(result.Denied.Select(item => (JsonNode)new JsonObject { ["id"] = item.Id, ["reason"] = item.Reason }).ToArray()),
        });
    }

    private static async ValueTask<JsonElement> Append(McpCall call, CancellationToken cancellationToken)
    {
        var content = new JsonObject { ["event"] = JsonNode.Parse(call.Arguments.GetProperty("event").GetRawText()) };
        if (call.Arguments.TryGetProperty("changes", out var changes))
        {
            content["changes"] = JsonNode.Parse(changes.GetRawText());
        }

        var request = AppendRequest.Parse(Encoding.UTF8.GetBytes(content.ToJsonString()), "mcp:memory_append");
        if (request.Event.Actor is { } claimed && claimed != call.Actor)
        {
            throw Refuse(call, $"the event names the actor '{Text.DisplayText.Escape(claimed)}', but this server acts as '{call.Actor}'; leave actor out");
        }

        var (record, replayed) = await call.Workspace.AppendOnceAsync(call.Required("graph"), request.Event with { Actor = call.Actor }, request.Changes, cancellationToken).ConfigureAwait(false);
        return Element(new JsonObject { ["event"] = record.Event!.Id, ["sequence"] = record.Sequence, ["replayed"] = replayed });
    }

    private static async ValueTask<JsonElement> Plan(McpCall call, CancellationToken cancellationToken)
    {
        // The catalog's enum holds the lineage policies' wire names; the arguments were checked against it.
        var lineage = call.Text("lineage") is { } policy ? Enum.Parse<LineagePolicy>(policy, ignoreCase: true) : LineagePolicy.Review;
        IMemoryWorkspace workspace = call.Workspace;
        var plan = await workspace.Lifecycle.PlanAsync(call.Required("graph"), call.Required("profile"), new LifecycleRequest
        {
            Retention = !call.Arguments.TryGetProperty("retention", out var retention) || retention.GetBoolean(),
            Refresh = call.Strings("refresh"),
            Forget = call.Strings("forget"),
            Lineage = lineage,
            Reason = call.Text("reason"),
            RequestedBy = call.Actor,
        }, cancellationToken).ConfigureAwait(false);
        var node = JsonNode.Parse(LifecyclePlanJson.Write(plan))!;
        node["needs_approval"] = plan.RequiresReview;
        node["next_step"] = "A person reviews this plan and applies it with 'dotnet memory store apply' (with a reviewer's signed approval where needed); no MCP tool applies plans.";
        return Element(node);
    }

    private static MemoryNamespace? Namespace(McpCall call) =>
        call.Text("namespace") is not { } text ? null
        : ContextCommand.TryParseNamespace(text, out var parsed) ? parsed
        : throw Refuse(call, ContextCommand.NamespaceProblem(Text.DisplayText.Escape(text)));

    private static JsonElement Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> metadata) => JsonSerializer.SerializeToElement(value, metadata);

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node, McpJsonContext.Default.JsonNode);

    private static MemoryStoreException Refuse(McpCall call, string message) =>
        new(DiagnosticCatalog.SchemaViolation.Create(SourceLocation.Origin("mcp:" + call.Name), message));
}
