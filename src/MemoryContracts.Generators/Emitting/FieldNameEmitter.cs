using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators.Emitting;

/// <summary>
/// Writes a class of property-name constants for each object a schema marks with <c>x-fields</c>, with the same
/// names as UTF-8 for readers that compare bytes. Written into the contract core only, whose readers and writers of
/// the graph shape take every property name from these classes, so the schema is the one place a name is spelled.
/// </summary>
internal static class FieldNameEmitter
{
    public static string Emit(SchemaModel schema, FieldSetModel fields)
    {
        var writer = VocabularyEmitter.Header();
        writer.Open("namespace " + VocabularyPlan.Namespace);
        var owner = fields.Definition == "(root)" ? "the document" : $"'{fields.Definition}'";
        writer.Summary($"The property names of {owner} in {schema.SchemaVersion}, as fixtures and stored JSON spell them.");
        writer.Line(VocabularyPlan.GeneratedCodeAttribute);
        writer.Open($"internal static class {fields.Name}");
        foreach (var property in fields.Properties)
        {
            writer.Line($"public const string {Identifiers.ToPascalCase(property)} = {SourceWriter.Literal(property)};");
        }

        writer.Line();
        writer.Summary("The same names as UTF-8, for readers that compare bytes.");
        writer.Open("public static class Utf8");
        foreach (var property in fields.Properties)
        {
            writer.Line($"public static global::System.ReadOnlySpan<byte> {Identifiers.ToPascalCase(property)} => {SourceWriter.Literal(property)}u8;");
        }

        writer.Close().Close().Close();
        return writer.ToString();
    }
}
