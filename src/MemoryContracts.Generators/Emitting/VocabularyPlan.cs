using System.Collections.Generic;
using System.Linq;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators.Emitting;

/// <summary>
/// One vocabulary of a contract schema as names, values and documentation: the enum (<c>NodeKind</c>), its terms, and
/// its companion class (<c>NodeKinds</c>: the contract, the lists, wire names and parsing). The generator writes a plan
/// as C# (<c>VocabularyEmitter</c>); with <c>MemoryContractsAccessors=Assembly</c> the build writes the same plan as
/// metadata and IL, so both forms have the same members, values, messages and documentation by construction.
/// </summary>
internal sealed class VocabularyPlan
{
    /// <summary>The namespace of every vocabulary type and of <c>SchemaVersions</c>.</summary>
    public const string Namespace = "MemoryContracts";

    /// <summary>The tool the <c>GeneratedCode</c> attribute of every vocabulary type names.</summary>
    public const string GeneratedCodeTool = "MemoryContracts.Generators";

    /// <summary>The version the <c>GeneratedCode</c> attribute of every vocabulary type names.</summary>
    public const string GeneratedCodeVersion = "1.0";

    /// <summary>The <c>GeneratedCode</c> attribute as C#.</summary>
    public const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"" + GeneratedCodeTool + "\", \"" + GeneratedCodeVersion + "\")]";

    /// <summary>Documentation of the companion's <c>SchemaVersion</c> constant.</summary>
    public const string SchemaVersionSummary = "The contract that declares the vocabulary.";

    /// <summary>Documentation of the companion's <c>All</c> list.</summary>
    public const string AllSummary = "Every term, in schema order.";

    /// <summary>Documentation of the companion's <c>WireNames</c> list.</summary>
    public const string WireNamesSummary = "Every wire name, in schema order.";

    /// <summary>Documentation of <c>ToWireName</c>.</summary>
    public const string ToWireNameSummary = "Returns the wire name of a term, as fixtures spell it.";

    /// <summary>Documentation of <c>TryParse</c>.</summary>
    public const string TryParseSummary = "Reads a wire name; false for a name outside the vocabulary.";

    /// <summary>Documentation of <c>Parse</c>.</summary>
    public const string ParseSummary = "Reads a wire name; throws a FormatException for a name outside the vocabulary.";

    private VocabularyPlan(string typeName, string schemaVersion, string summary, IReadOnlyList<TermPlan> terms)
    {
        TypeName = typeName;
        CompanionName = ContractNames.Plural(typeName);
        SchemaVersion = schemaVersion;
        Summary = summary;
        Terms = terms;
    }

    /// <summary>The enum, in the <c>MemoryContracts</c> namespace.</summary>
    public string TypeName { get; }

    /// <summary>The companion class: <c>NodeKind</c> has <c>NodeKinds</c>.</summary>
    public string CompanionName { get; }

    /// <summary>The contract that declares the vocabulary.</summary>
    public string SchemaVersion { get; }

    /// <summary>The enum's documentation, plain text.</summary>
    public string Summary { get; }

    /// <summary>The companion's documentation, plain text.</summary>
    public string CompanionSummary => $"Wire names, parsing and the list of the {TypeName} terms.";

    /// <summary>The terms in schema order; a term's enum value is its index.</summary>
    public IReadOnlyList<TermPlan> Terms { get; }

    /// <summary>The message of the <c>ArgumentOutOfRangeException</c> <c>ToWireName</c> throws for a value outside the enum.</summary>
    public string OutOfRangeMessage => TypeName + " has no such term.";

    /// <summary>What follows the quoted wire name in the message of the <c>FormatException</c> <c>Parse</c> throws.</summary>
    public string NotATermMessage => $"' is not a {TypeName} of {SchemaVersion}.";

    /// <summary>
    /// The vocabularies of the schemas this compilation declares (the built-in ones only when it owns them), in schema
    /// and declaration order. Two terms that become the same C# name are reported (MC2011) and the second left out.
    /// </summary>
    public static IReadOnlyList<VocabularyPlan> For(ContractSet contracts, List<DiagnosticInfo> diagnostics)
    {
        var types = ContractNames.VocabularyTypes(contracts.Schemas);
        var plans = new List<VocabularyPlan>();
        foreach (var schema in Declared(contracts))
        {
            foreach (var vocabulary in schema.Vocabularies)
            {
                var typeName = types[(schema.SchemaVersion, vocabulary.Name)];
                var terms = new List<TermPlan>();
                foreach (var term in vocabulary.Terms)
                {
                    var member = Identifiers.ToPascalCase(term.Value);
                    if (terms.FirstOrDefault(existing => existing.Member == member) is { } clash)
                    {
                        diagnostics.Add(DiagnosticInfos.At("MC2011", $"vocabulary '{vocabulary.Name}' terms '{clash.WireName}' and '{term.Value}' both become the C# name '{member}'; '{term.Value}' is left out", schema.Path, FilePosition.FileStart));
                        continue;
                    }

                    terms.Add(new TermPlan(member, term.Value, $"{term.Description ?? term.Value} Wire name: {term.Value}."));
                }

                plans.Add(new VocabularyPlan(typeName, schema.SchemaVersion, $"{vocabulary.Description ?? vocabulary.Name} The '{vocabulary.Definition}' vocabulary of {schema.SchemaVersion}.", terms));
            }
        }

        return plans;
    }

    /// <summary>The schemas whose types this compilation declares: its own, and the built-in ones when it owns them.</summary>
    public static IReadOnlyList<SchemaModel> Declared(ContractSet contracts) =>
        contracts.Schemas.Where(schema => contracts.EmitBuiltIns || !schema.BuiltIn).ToList();
}

/// <summary>One term of a <see cref="VocabularyPlan"/>: its enum member, wire name and documentation.</summary>
internal sealed record TermPlan(string Member, string WireName, string Summary);

/// <summary>
/// The class of contract identifiers: <c>SchemaVersions</c> (or <c>ProjectSchemaVersions</c> when the built-in ones
/// live in a referenced MemoryContracts), one constant per declared schema, by family and version.
/// </summary>
internal sealed class SchemaVersionsPlan
{
    /// <summary>Documentation of the class.</summary>
    public const string Summary = "The contract identifiers that fixtures name in schema_version.";

    private SchemaVersionsPlan(string className, IReadOnlyList<SchemaVersionConstant> constants)
    {
        ClassName = className;
        Constants = constants;
    }

    /// <summary>The class, in the <c>MemoryContracts</c> namespace.</summary>
    public string ClassName { get; }

    /// <summary>The constants, by family and version.</summary>
    public IReadOnlyList<SchemaVersionConstant> Constants { get; }

    /// <summary>The plan for the schemas <paramref name="contracts"/> declares; none when it declares no schema.</summary>
    public static SchemaVersionsPlan? For(ContractSet contracts)
    {
        var declared = VocabularyPlan.Declared(contracts);
        if (declared.Count == 0)
        {
            return null;
        }

        var constants = declared.OrderBy(schema => schema.Family, System.StringComparer.Ordinal).ThenBy(schema => ContractNames.VersionOf(schema.SchemaVersion))
            .Select(schema => new SchemaVersionConstant(ContractNames.SchemaVersionConstant(schema), schema.SchemaVersion, $"{schema.SchemaVersion} (the {schema.Family} contract)."))
            .ToList();
        return new SchemaVersionsPlan(contracts.EmitBuiltIns ? "SchemaVersions" : "ProjectSchemaVersions", constants);
    }
}

/// <summary>One constant of a <see cref="SchemaVersionsPlan"/>.</summary>
internal sealed record SchemaVersionConstant(string Name, string Value, string Summary);
