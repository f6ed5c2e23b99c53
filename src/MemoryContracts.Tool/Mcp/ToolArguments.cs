using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using ModelContextProtocol.Protocol;
using McpTool = ModelContextProtocol.Protocol.Tool;

namespace MemoryContracts.Tool.Mcp;

/// <summary>
/// Checks a call's arguments against the tool's declared input schema before the tool runs: no argument it does not
/// declare, every required one present, each of the declared type (and enum, bounds, item type). A client that
/// ignores the schema gets MC1003 naming the argument, and nothing runs. The catalog may use only the keywords
/// checked here (<see cref="RequireSupported"/>), so a schema never promises a check the server does not make.
/// </summary>
internal static class ToolArguments
{
    private static readonly HashSet<string> ObjectKeywords = ["type", "properties", "required", "additionalProperties"];
    private static readonly HashSet<string> PropertyKeywords = ["type", "description", "enum", "items", "minimum", "maximum"];

    /// <summary>Throws when a tool's schema uses a keyword this check does not enforce.</summary>
    public static void RequireSupported(McpTool tool)
    {
        var schema = tool.InputSchema;
        if (schema.EnumerateObject().Select(keyword => keyword.Name).FirstOrDefault(keyword => !ObjectKeywords.Contains(keyword)) is { } unsupported)
        {
            throw new InvalidOperationException($"tool '{tool.Name}': the input schema keyword '{unsupported}' is not enforced by the server");
        }

        if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
        {
            throw new InvalidOperationException($"tool '{tool.Name}': the input schema must set additionalProperties: false");
        }

        foreach (var property in Properties(schema))
        {
            if (property.Value.EnumerateObject().Select(keyword => keyword.Name).FirstOrDefault(keyword => !PropertyKeywords.Contains(keyword)) is { } keyword)
            {
                throw new InvalidOperationException($"tool '{tool.Name}': the keyword '{keyword}' of argument '{property.Name}' is not enforced by the server");
            }
        }
    }

    /// <summary>The arguments as one JSON object, after checking them; MC1003 for the first problem.</summary>
    public static JsonElement Check(McpTool tool, IDictionary<string, JsonElement>? arguments)
    {
        arguments ??= new Dictionary<string, JsonElement>();
        var declared = Properties(tool.InputSchema).ToDictionary(property => property.Name, property => property.Value, StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            if (!declared.TryGetValue(name, out var schema))
            {
                throw Refuse(tool, $"'{name}' is not an argument of {tool.Name}; it takes {string.Join(", ", declared.Keys)}");
            }

            CheckValue(tool, name, value, schema);
        }

        if (tool.InputSchema.TryGetProperty("required", out var required)
            && required.EnumerateArray().Select(name => name.GetString()!).FirstOrDefault(name => !arguments.ContainsKey(name)) is { } missing)
        {
            throw Refuse(tool, $"the argument '{missing}' is required");
        }

        return JsonSerializer.SerializeToElement(arguments, McpJsonContext.Default.IDictionaryStringJsonElement);
    }

    private static void CheckValue(McpTool tool, string name, JsonElement value, JsonElement schema)
    {
        var type = schema.GetProperty("type").GetString();
        var matches = type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => false,
        };
        if (!matches)
        {
            throw Refuse(tool, $"the argument '{name}' must be {(type is "integer" or "array" or "object" ? "an" : "a")} {type}, not {Describe(value)}");
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(option => option.GetString() == value.GetString()))
        {
            throw Refuse(tool, $"the argument '{name}' must be one of {string.Join(", ", allowed.EnumerateArray().Select(option => option.GetString()))}, not '{Text.DisplayText.Escape(value.GetString()!)}'");
        }

        if (type == "integer" && (schema.TryGetProperty("minimum", out var minimum) && value.GetInt32() < minimum.GetInt32() || schema.TryGetProperty("maximum", out var maximum) && value.GetInt32() > maximum.GetInt32()))
        {
            throw Refuse(tool, $"the argument '{name}' is {value.GetInt32()}, outside {schema.GetProperty("minimum").GetInt32()}..{schema.GetProperty("maximum").GetInt32()}");
        }

        if (type == "array" && schema.TryGetProperty("items", out var items) && items.GetProperty("type").GetString() == "string"
            && value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            throw Refuse(tool, $"the argument '{name}' must be an array of strings");
        }
    }

    private static IEnumerable<JsonProperty> Properties(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : [];

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static MemoryStoreException Refuse(McpTool tool, string message) =>
        new(DiagnosticCatalog.SchemaViolation.Create(SourceLocation.Origin("mcp:" + tool.Name), message));
}

/// <summary>Source-generated JSON for the arguments dictionary and the results the server builds.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(IDictionary<string, JsonElement>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class McpJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
