using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// JSON for agents and tools: snake_case names, nulls left out, readable non-ASCII. The context registry and the
/// toolbelt speak it, in and out.
/// </summary>
internal static class SnakeCaseJson
{
    /// <summary>The options (compact).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The same options, indented.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    /// <summary>A value as indented JSON with a final newline.</summary>
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Indented) + "\n";

    /// <summary>Reads a value; malformed JSON throws <see cref="JsonException"/>.</summary>
    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the JSON is null");
}
