using System.Text.Json;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Which properties the graph contract (schemas/markitect.memory.graph.v1.schema.json) declares that a fixture never
/// uses: a fixture meant to hold every field is checked against the schema, so a field added to the contract later
/// must be added to the fixture before the round-trip tests can pass.
/// </summary>
internal static class SchemaCoverage
{
    public static IReadOnlyList<string> Missing(string fixture)
    {
        using var schema = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestSupport.Root, "schemas", "markitect.memory.graph.v1.schema.json")));
        using var instance = JsonDocument.Parse(File.ReadAllBytes(fixture));
        var definitions = schema.RootElement.GetProperty("definitions");
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        Walk(schema.RootElement, "graph", instance.RootElement, definitions, declared, used);
        return declared.Where(name => !used.Contains(name)).ToArray();
    }

    private static void Walk(JsonElement schema, string name, JsonElement? instance, JsonElement definitions, ISet<string> declared, ISet<string> used)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = reference.GetString()!["#/definitions/".Length..];
            Walk(definitions.GetProperty(target), target, instance, definitions, declared, used);
            return;
        }

        if (schema.TryGetProperty("items", out var items))
        {
            var elements = instance is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(element => (JsonElement?)element).ToArray() : [null];
            foreach (var element in elements)
            {
                Walk(items, name, element, definitions, declared, used);
            }

            return;
        }

        if (!schema.TryGetProperty("properties", out var properties))
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var key = $"{name}.{property.Name}";
            declared.Add(key);
            JsonElement? value = instance is { ValueKind: JsonValueKind.Object } owner && owner.TryGetProperty(property.Name, out var held) ? held : null;
            if (value is not null)
            {
                used.Add(key);
            }

            Walk(property.Value, key, value, definitions, declared, used);
        }
    }
}
