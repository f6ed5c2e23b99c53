using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using McpTool = ModelContextProtocol.Protocol.Tool;

namespace MemoryContracts.Tool.Mcp;

/// <summary>
/// The MCP tools as <c>schemas/memorycontracts.mcp.tools.v1.json</c> declares them (names, titles, descriptions,
/// annotations, input schemas), embedded in the tool and served as they are: the file is the one source of the wire
/// shape, and arguments are checked against it before any tool runs (<see cref="ToolArguments"/>).
/// </summary>
internal sealed class McpToolCatalog
{
    private const string ResourceName = "schemas/memorycontracts.mcp.tools.v1.json";

    private McpToolCatalog(IReadOnlyList<McpTool> tools) =>
        (Tools, _byName) = (tools, tools.ToDictionary(tool => tool.Name, StringComparer.Ordinal));

    private readonly Dictionary<string, McpTool> _byName;

    /// <summary>The catalog shipped in this assembly.</summary>
    public static McpToolCatalog Shipped { get; } = Load();

    /// <summary>Every tool, in the file's order.</summary>
    public IReadOnlyList<McpTool> Tools { get; }

    /// <summary>The tool with this name, or null.</summary>
    public McpTool? Find(string name) => _byName.GetValueOrDefault(name);

    private static McpToolCatalog Load()
    {
        using var stream = typeof(McpToolCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the tool is built without its {ResourceName}");
        using var document = JsonDocument.Parse(stream);
        var tools = document.RootElement.GetProperty("tools").EnumerateArray()
            .Select(element => element.Deserialize((JsonTypeInfo<McpTool>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(McpTool)))!)
            .ToArray();
        foreach (var tool in tools)
        {
            ToolArguments.RequireSupported(tool);
        }

        return new McpToolCatalog(tools);
    }
}
