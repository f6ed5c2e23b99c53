using System.Text.Json;
using Microsoft.CodeAnalysis;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>
/// The property names of the graph shape come from the schema (<c>x-fields</c>): the generator writes them into the
/// contract core, whose loader, validator and element JSON read and write by them, so the schema is the one place a
/// field name is spelled.
/// </summary>
public sealed class FieldNameTests
{
    private static readonly string GraphSchema = Path.Combine(Repository.Root, "schemas", "markitect.memory.graph.v1.schema.json");

    [Theory]
    [InlineData("markitect.memory.graph.v1", "NodeFields", "definitions/node", "'definitions/node'")]
    [InlineData("markitect.memory.graph.v1", "EdgeFields", "definitions/edge", "'definitions/edge'")]
    [InlineData("markitect.memory.graph.v1", "EventFields", "definitions/event", "'definitions/event'")]
    [InlineData("markitect.memory.graph.v1", "LifecycleFields", "definitions/lifecycle", "'definitions/lifecycle'")]
    [InlineData("markitect.memory.graph.v1", "SourceSpanFields", "definitions/source_span", "'definitions/source_span'")]
    [InlineData("markitect.memory.profile.v1", "ProfileFields", "", "the document")]
    [InlineData("markitect.memory.profile.v1", "ProfileActivationFields", "properties/activation", "'properties/activation'")]
    [InlineData("markitect.memory.profile.v1", "RetentionRuleFields", "definitions/retention_rule", "'definitions/retention_rule'")]
    [InlineData("markitect.memory.selection.v1", "SelectionSelectFields", "properties/select", "'properties/select'")]
    [InlineData("markitect.context.manifest.v1", "ManifestSourceFields", "definitions/source", "'definitions/source'")]
    [InlineData("markitect.context.package.v1", "PackageRecipeFields", "properties/recipe", "'properties/recipe'")]
    [InlineData("markitect.context.package.v1", "PackageItemFields", "definitions/item", "'definitions/item'")]
    [InlineData("markitect.context.policy.v1", "ContextPolicyFields", "", "the document")]
    public void Objects_marked_at_any_depth_of_any_contract_schema_get_one_constant_per_property_in_schema_order(string schemaName, string className, string pointer, string owner)
    {
        using var schema = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Repository.Root, "schemas", schemaName + ".schema.json")));
        var marked = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(schema.RootElement, (element, step) => element.GetProperty(step));
        Assert.Equal(className, marked.GetProperty("x-fields").GetString());
        var expected = marked.GetProperty("properties").EnumerateObject().Select(property => property.Name).ToArray();

        // The core's own code uses the constant and its UTF-8 twin, and compiles.
        var (run, output, _) = new GeneratorHarness { AssemblyName = "MemoryContracts" }
            .AddSource($"namespace MemoryContracts; internal static class Uses {{ public static int Length => {className}.Utf8.{Pascal(expected[0])}.Length + {className}.{Pascal(expected[0])}.Length; }}")
            .Run();

        Assert.Empty(run.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        var source = run.Results[0].GeneratedSources.Single(generated => generated.HintName == className + ".g.cs").SourceText.ToString();
        Assert.Contains($"The property names of {owner} in {schemaName}", source, StringComparison.Ordinal);
        var constants = source.Split('\n').Where(line => line.TrimStart().StartsWith("public const string ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected.Select(name => $"public const string {Pascal(name)} = \"{name}\";"), constants.Select(line => line.Trim()));
        Assert.Contains($"public static global::System.ReadOnlySpan<byte> {Pascal(expected[^1])} => \"{expected[^1]}\"u8;", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_gets_no_field_name_classes()
    {
        var (run, _, _) = new GeneratorHarness().Run();

        Assert.DoesNotContain(run.Results[0].GeneratedSources, source => source.HintName.EndsWith("Fields.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void X_fields_on_a_schema_without_properties_is_MC9002()
    {
        var v1 = File.ReadAllText(GraphSchema);
        var broken = v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v9")
            .Replace("\"x-vocabulary\": \"NodeKind\",", "\"x-vocabulary\": \"NodeKind\",\n      \"x-fields\": \"KindFields\",", StringComparison.Ordinal);
        Assert.NotEqual(v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v9"), broken);

        var (run, _, _) = new GeneratorHarness { AssemblyName = "MemoryContracts" }.AddSchema("schemas/markitect.memory.graph.v9.schema.json", broken).Run();

        var diagnostic = Assert.Single(run.Diagnostics, diagnostic => diagnostic.Id == "MC9002");
        Assert.Contains("'KindFields' must mark an object schema with 'properties'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void One_field_set_name_on_two_objects_is_MC2011_and_the_newest_schema_keeps_the_class()
    {
        var v1 = File.ReadAllText(GraphSchema);
        var clashing = v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v3")
            .Replace("\"x-fields\": \"EdgeFields\"", "\"x-fields\": \"NodeFields\"", StringComparison.Ordinal);
        Assert.NotEqual(v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v3"), clashing);

        var (run, _, _) = new GeneratorHarness { AssemblyName = "MemoryContracts" }.AddSchema("schemas/markitect.memory.graph.v3.schema.json", clashing).Run();

        var diagnostic = Assert.Single(run.Diagnostics, diagnostic => diagnostic.Id == "MC2011");
        Assert.Contains("field set 'NodeFields' marks", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Single(run.Results[0].GeneratedSources, source => source.HintName == "NodeFields.g.cs");
    }

    private static string Pascal(string name) => string.Concat(name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
