using System.Collections.Generic;
using System.Linq;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators.Emitting;

/// <summary>Writes the vocabulary enums, their companion classes and <c>SchemaVersions</c>. Only writes text.</summary>
internal static class VocabularyEmitter
{
    public static IEnumerable<(string HintName, string Source)> Emit(ContractSet contracts, List<DiagnosticInfo> diagnostics)
    {
        var access = contracts.Public ? "public" : "internal";
        foreach (var vocabulary in VocabularyPlan.For(contracts, diagnostics))
        {
            yield return ($"{vocabulary.TypeName}.g.cs", EmitVocabulary(vocabulary, access));
        }

        if (contracts.Public)
        {
            // One class per field-set name: when several versions of a contract mark the same object, the newest names
            // it; one name on two different objects is a clash, reported, and the first object keeps the class.
            var fieldSets = VocabularyPlan.Declared(contracts).SelectMany(schema => schema.FieldSets.Select(fields => (Schema: schema, Fields: fields)))
                .GroupBy(pair => pair.Fields.Name, System.StringComparer.Ordinal);
            foreach (var group in fieldSets)
            {
                var newest = group.OrderByDescending(pair => ContractNames.VersionOf(pair.Schema.SchemaVersion)).ToList();
                var owner = newest[0];
                foreach (var other in newest.Where(pair => pair.Schema.Family != owner.Schema.Family || pair.Fields.Definition != owner.Fields.Definition))
                {
                    diagnostics.Add(DiagnosticInfos.At("MC2011", $"field set '{group.Key}' marks '{other.Fields.Definition}' of {other.Schema.SchemaVersion} and '{owner.Fields.Definition}' of {owner.Schema.SchemaVersion}; the class is generated for '{owner.Fields.Definition}' only", other.Schema.Path, FilePosition.FileStart));
                }

                yield return ($"{group.Key}.g.cs", FieldNameEmitter.Emit(owner.Schema, owner.Fields));
            }
        }

        if (SchemaVersionsPlan.For(contracts) is { } schemaVersions)
        {
            yield return ($"{schemaVersions.ClassName}.g.cs", EmitSchemaVersions(schemaVersions, access));
        }
    }

    private static string EmitVocabulary(VocabularyPlan vocabulary, string access)
    {
        var typeName = vocabulary.TypeName;
        var writer = Header();
        writer.Open("namespace " + VocabularyPlan.Namespace);
        OpenType(writer, vocabulary.Summary, $"{access} enum {typeName}");
        foreach (var term in vocabulary.Terms)
        {
            writer.Summary(term.Summary);
            writer.Line(term.Member + ",");
        }

        writer.Close().Line();
        OpenType(writer, vocabulary.CompanionSummary, $"{access} static class {vocabulary.CompanionName}");
        writer.Summary(VocabularyPlan.SchemaVersionSummary);
        writer.Line($"public const string SchemaVersion = {SourceWriter.Literal(vocabulary.SchemaVersion)};").Line();
        writer.Summary(VocabularyPlan.AllSummary);
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<{typeName}> All {{ get; }} = new {typeName}[] {{ {string.Join(", ", vocabulary.Terms.Select(term => typeName + "." + term.Member))} }};").Line();
        writer.Summary(VocabularyPlan.WireNamesSummary);
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<string> WireNames {{ get; }} = new string[] {{ {string.Join(", ", vocabulary.Terms.Select(term => SourceWriter.Literal(term.WireName)))} }};").Line();
        writer.Summary(VocabularyPlan.ToWireNameSummary);
        writer.Open($"public static string ToWireName(this {typeName} value)");
        writer.Open("switch (value)");
        foreach (var term in vocabulary.Terms)
        {
            writer.Line($"case {typeName}.{term.Member}: return {SourceWriter.Literal(term.WireName)};");
        }

        writer.Line($"default: throw new global::System.ArgumentOutOfRangeException(nameof(value), value, {SourceWriter.Literal(vocabulary.OutOfRangeMessage)});");
        writer.Close().Close().Line();
        writer.Summary(VocabularyPlan.TryParseSummary);
        writer.Open($"public static bool TryParse(string? wireName, out {typeName} value)");
        writer.Open("switch (wireName)");
        foreach (var term in vocabulary.Terms)
        {
            writer.Line($"case {SourceWriter.Literal(term.WireName)}: value = {typeName}.{term.Member}; return true;");
        }

        writer.Line("default: value = default; return false;");
        writer.Close().Close().Line();
        writer.Summary(VocabularyPlan.ParseSummary);
        writer.Line($"public static {typeName} Parse(string wireName) => TryParse(wireName, out var value) ? value : throw new global::System.FormatException(\"'\" + wireName + {SourceWriter.Literal(vocabulary.NotATermMessage)});");
        writer.Close().Close();
        return writer.ToString();
    }

    private static string EmitSchemaVersions(SchemaVersionsPlan schemaVersions, string access)
    {
        var writer = Header();
        writer.Open("namespace " + VocabularyPlan.Namespace);
        OpenType(writer, SchemaVersionsPlan.Summary, $"{access} static class {schemaVersions.ClassName}");
        foreach (var constant in schemaVersions.Constants)
        {
            writer.Summary(constant.Summary);
            writer.Line($"public const string {constant.Name} = {SourceWriter.Literal(constant.Value)};");
        }

        writer.Close().Close();
        return writer.ToString();
    }

    /// <summary>Opens a generated type: its summary, the <c>GeneratedCode</c> attribute and the declaration.</summary>
    private static SourceWriter OpenType(SourceWriter writer, string summary, string declaration)
    {
        writer.Summary(summary);
        writer.Line(VocabularyPlan.GeneratedCodeAttribute);
        return writer.Open(declaration);
    }

    internal static SourceWriter Header() => new SourceWriter().Line("// <auto-generated/>").Line("#nullable enable").Line();
}
