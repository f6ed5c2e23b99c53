using System.Collections.Generic;
using System.Linq;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators.Emitting;

/// <summary>Writes the vocabulary enums, their companion classes and <c>SchemaVersions</c>. Only writes text.</summary>
internal static class VocabularyEmitter
{
    public const string Namespace = "MemoryContracts";

    public static IEnumerable<(string HintName, string Source)> Emit(ContractSet contracts, List<DiagnosticInfo> diagnostics)
    {
        var access = contracts.Public ? "public" : "internal";
        var types = ContractNames.VocabularyTypes(contracts.Schemas);
        var emitted = contracts.Schemas.Where(schema => contracts.EmitBuiltIns || !schema.BuiltIn).ToList();
        foreach (var schema in emitted)
        {
            foreach (var vocabulary in schema.Vocabularies)
            {
                var typeName = types[(schema.SchemaVersion, vocabulary.Name)];
                yield return ($"{typeName}.g.cs", EmitVocabulary(schema, vocabulary, typeName, access, diagnostics));
            }
        }

        if (contracts.Public)
        {
            // One class per field-set name: when several versions of a contract mark the same object, the newest names
            // it; one name on two different objects is a clash, reported, and the first object keeps the class.
            var fieldSets = emitted.SelectMany(schema => schema.FieldSets.Select(fields => (Schema: schema, Fields: fields)))
                .GroupBy(pair => pair.Fields.Name, System.StringComparer.Ordinal);
            foreach (var group in fieldSets)
            {
                var newest = group.OrderByDescending(pair => ContractNames.VersionOf(pair.Schema.SchemaVersion)).ToList();
                var owner = newest[0];
                foreach (var other in newest.Where(pair => pair.Schema.Family != owner.Schema.Family || pair.Fields.Definition != owner.Fields.Definition))
                {
                    diagnostics.Add(DiagnosticInfos.At("MC2011", $"field set '{group.Key}' marks '{other.Fields.Definition}' of {other.Schema.SchemaVersion} and '{owner.Fields.Definition}' of {owner.Schema.SchemaVersion}; the class is generated for '{owner.Fields.Definition}' only", other.Schema.Path, new FilePosition(0, 0, 0, 0, 0, 0)));
                }

                yield return ($"{group.Key}.g.cs", FieldNameEmitter.Emit(owner.Schema, owner.Fields));
            }
        }

        if (emitted.Count > 0)
        {
            var className = contracts.EmitBuiltIns ? "SchemaVersions" : "ProjectSchemaVersions";
            yield return ($"{className}.g.cs", EmitSchemaVersions(emitted, className, access));
        }
    }

    private static string EmitVocabulary(SchemaModel schema, VocabularyModel vocabulary, string typeName, string access, List<DiagnosticInfo> diagnostics)
    {
        var members = new List<(string Member, TermModel Term)>();
        foreach (var term in vocabulary.Terms)
        {
            var member = Identifiers.ToPascalCase(term.Value);
            var clash = members.FirstOrDefault(existing => existing.Member == member);
            if (clash.Term is not null)
            {
                diagnostics.Add(DiagnosticInfos.At("MC2011", $"vocabulary '{vocabulary.Name}' terms '{clash.Term.Value}' and '{term.Value}' both become the C# name '{member}'; '{term.Value}' is left out", schema.Path, new FilePosition(0, 0, 0, 0, 0, 0)));
                continue;
            }

            members.Add((member, term));
        }

        var companion = ContractNames.Plural(typeName);
        var writer = Header();
        writer.Open("namespace " + Namespace);
        writer.Summary($"{vocabulary.Description ?? vocabulary.Name} The '{vocabulary.Definition}' vocabulary of {schema.SchemaVersion}.");
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"MemoryContracts.Generators\", \"1.0\")]");
        writer.Open($"{access} enum {typeName}");
        foreach (var (member, term) in members)
        {
            writer.Summary($"{term.Description ?? term.Value} Wire name: {term.Value}.");
            writer.Line(member + ",");
        }

        writer.Close().Line();
        writer.Summary($"Wire names, parsing and the list of the {typeName} terms.");
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"MemoryContracts.Generators\", \"1.0\")]");
        writer.Open($"{access} static class {companion}");
        writer.Summary("The contract that declares the vocabulary.");
        writer.Line($"public const string SchemaVersion = {SourceWriter.Literal(schema.SchemaVersion)};").Line();
        writer.Summary("Every term, in schema order.");
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<{typeName}> All {{ get; }} = new {typeName}[] {{ {string.Join(", ", members.Select(m => typeName + "." + m.Member))} }};").Line();
        writer.Summary("Every wire name, in schema order.");
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<string> WireNames {{ get; }} = new string[] {{ {string.Join(", ", members.Select(m => SourceWriter.Literal(m.Term.Value)))} }};").Line();
        writer.Summary("Returns the wire name of a term, as fixtures spell it.");
        writer.Open($"public static string ToWireName(this {typeName} value)");
        writer.Open("switch (value)");
        foreach (var (member, term) in members)
        {
            writer.Line($"case {typeName}.{member}: return {SourceWriter.Literal(term.Value)};");
        }

        writer.Line($"default: throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"{typeName} has no such term.\");");
        writer.Close().Close().Line();
        writer.Summary("Reads a wire name; false for a name outside the vocabulary.");
        writer.Open($"public static bool TryParse(string? wireName, out {typeName} value)");
        writer.Open("switch (wireName)");
        foreach (var (member, term) in members)
        {
            writer.Line($"case {SourceWriter.Literal(term.Value)}: value = {typeName}.{member}; return true;");
        }

        writer.Line("default: value = default; return false;");
        writer.Close().Close().Line();
        writer.Summary("Reads a wire name; throws a FormatException for a name outside the vocabulary.");
        writer.Line($"public static {typeName} Parse(string wireName) => TryParse(wireName, out var value) ? value : throw new global::System.FormatException(\"'\" + wireName + \"' is not a {typeName} of {schema.SchemaVersion}.\");");
        writer.Close().Close();
        return writer.ToString();
    }

    private static string EmitSchemaVersions(IEnumerable<SchemaModel> schemas, string className, string access)
    {
        var writer = Header();
        writer.Open("namespace " + Namespace);
        writer.Summary("The contract identifiers that fixtures name in schema_version.");
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"MemoryContracts.Generators\", \"1.0\")]");
        writer.Open($"{access} static class {className}");
        foreach (var schema in schemas.OrderBy(schema => schema.Family, System.StringComparer.Ordinal).ThenBy(schema => ContractNames.VersionOf(schema.SchemaVersion)))
        {
            writer.Summary($"{schema.SchemaVersion} (the {schema.Family} contract).");
            writer.Line($"public const string {ContractNames.SchemaVersionConstant(schema)} = {SourceWriter.Literal(schema.SchemaVersion)};");
        }

        writer.Close().Close();
        return writer.ToString();
    }

    internal static SourceWriter Header() => new SourceWriter().Line("// <auto-generated/>").Line("#nullable enable").Line();
}
