using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Toolbelt;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// JSON for agents and tools: snake_case names, nulls left out, readable non-ASCII. The context registry and the
/// toolbelt speak it, in and out, through source-generated metadata (<see cref="SnakeCaseJsonContext"/>): no
/// reflection, so it trims and compiles ahead of time.
/// </summary>
internal static class SnakeCaseJson
{
    /// <summary>The metadata for compact JSON (registry files, MCP results).</summary>
    public static SnakeCaseJsonContext Compact { get; } = new(NewOptions(indented: false));

    /// <summary>The metadata for indented JSON (what the command line prints).</summary>
    public static SnakeCaseJsonContext Indented { get; } = new(NewOptions(indented: true));

    /// <summary>New options with this format's rules, for a source-generated context of another assembly.</summary>
    public static JsonSerializerOptions NewOptions(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };

    /// <summary>A value as JSON with a final newline (indented when the metadata comes from <see cref="Indented"/>).</summary>
    public static string Write<T>(T value, JsonTypeInfo<T> metadata) => JsonSerializer.Serialize(value, metadata) + "\n";

    /// <summary>Reads a value; malformed JSON throws <see cref="JsonException"/>.</summary>
    public static T Read<T>(string json, JsonTypeInfo<T> metadata) => JsonSerializer.Deserialize(json, metadata) ?? throw new JsonException("the JSON is null");

    /// <summary>Reads a value from UTF-8; malformed JSON throws <see cref="JsonException"/>.</summary>
    public static T Read<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> metadata) => JsonSerializer.Deserialize(json, metadata) ?? throw new JsonException("the JSON is null");
}

/// <summary>The types that travel as snake_case JSON: registry files and results, toolbelt requests and results.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContextRecipe))]
[JsonSerializable(typeof(LifecycleEntry))]
[JsonSerializable(typeof(RegistryEntry))]
[JsonSerializable(typeof(IReadOnlyList<RegistryEntry>))]
[JsonSerializable(typeof(ActivationEnvelope))]
[JsonSerializable(typeof(RefreshReport))]
[JsonSerializable(typeof(PackageExplanation))]
[JsonSerializable(typeof(ToolRequest))]
[JsonSerializable(typeof(ToolResult))]
internal sealed partial class SnakeCaseJsonContext : JsonSerializerContext;
