using System.Text;
using MemoryContracts.Reference;
using MemoryContracts.Schemas;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// The compiled validator is the fast path; NJsonSchema is the reference. On every fixture of the repository,
/// and on mutations of the valid ones, both find violations at the same JSON pointers with the same keywords.
/// </summary>
public sealed class SchemaAgreementTests
{
    private static readonly ReferenceSchemaEngine Reference = ReferenceSchemaEngine.Create(SchemaCatalog.Default);

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "examples", "memory"))
            .Concat(Directory.GetFiles(Repository.DiagnosticFixtures).Where(path => !path.EndsWith(".expected", StringComparison.Ordinal)))
            .OrderBy(path => path, StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.Root, path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Both_validators_agree_on_the_fixture(string relativePath) =>
        AssertAgreement(File.ReadAllBytes(Path.Combine(Repository.Root, relativePath)), relativePath);

    [Theory]
    [InlineData("kind: decision", "kind: decisions")]
    [InlineData("kind: decision", "kind: 12")]
    [InlineData("title: Validate every fixture during dotnet build", "titles: x")]
    [InlineData("start_line: 1, end_line: 12", "start_line: 0, end_line: 12")]
    [InlineData("start_line: 1, end_line: 12", "start_line: \"1\", end_line: 12")]
    [InlineData("recorded_at: \"2026-11-21T09:10:00Z\"", "recorded_at: yesterday")]
    [InlineData("labels: [design]", "labels: [\"\"]")]
    [InlineData("labels: [design]", "labels: design")]
    [InlineData("trust_zone: project", "trust_zone: galaxy")]
    [InlineData("state: active", "state: null")]
    [InlineData("id: decision-graph", "id: \"\"")]
    [InlineData("schema_version: markitect.memory.graph.v1\n", "schema_version: markitect.memory.graph.v1\nextra: true\n")]
    public void Both_validators_agree_on_mutated_graphs(string original, string replacement)
    {
        var text = File.ReadAllText(Repository.Examples("decision-graph.yaml"));
        Assert.Contains(original, text, StringComparison.Ordinal);
        var mutated = text.Replace(original, replacement);
        AssertAgreement(Encoding.UTF8.GetBytes(mutated), "mutated-decision-graph.yaml", expectViolations: true);
    }

    /// <summary>
    /// NJsonSchema 11.6.2 checks a date-time's shape only (10.7.2 also parsed it), so an impossible date passes it; the
    /// compiled validator refuses it. Listed in docs/contracts.md; this test fails when a new NJsonSchema closes the gap.
    /// </summary>
    [Theory]
    [InlineData("2026-13-21T09:10:00Z")]
    [InlineData("2026-02-30T09:10:00Z")]
    public void The_reference_engine_accepts_impossible_dates_which_the_compiled_validator_refuses(string date)
    {
        var text = File.ReadAllText(Repository.Examples("decision-graph.yaml")).Replace("recorded_at: \"2026-11-21T09:10:00Z\"", $"recorded_at: \"{date}\"");
        var root = Documents.DocumentLoader.Load("impossible-date.yaml", Encoding.UTF8.GetBytes(text)).Document!.Root;
        var contract = SchemaCatalog.Default.FindBySchemaVersion("markitect.memory.graph.v1")!;
        Assert.Equal(["/nodes/1/provenance/recorded_at Format MC1003"], Keys(SchemaValidator.Validate(root, contract)));
        Assert.Empty(Keys(Reference.Validate(root, contract)));
    }

    [Theory]
    [InlineData("max_items: 8", "max_items: -1")]
    [InlineData("memory_kinds: [reasoning, conversation, knowledge, package]", "memory_kinds: [reasoning, reasoning]")]
    [InlineData("memory_kinds: [reasoning, conversation, knowledge, package]", "memory_kinds: []")]
    [InlineData("reasoning: local-event-log", "reasoning: sqlite")]
    [InlineData("review_required: true", "review_required: 1")]
    [InlineData("after_days: 30", "after_days: 1.5")]
    public void Both_validators_agree_on_mutated_profiles(string original, string replacement)
    {
        var text = File.ReadAllText(Repository.Examples("memory-profile.local.yaml"));
        Assert.Contains(original, text, StringComparison.Ordinal);
        AssertAgreement(Encoding.UTF8.GetBytes(text.Replace(original, replacement)), "mutated-profile.yaml", expectViolations: true);
    }

    [Fact]
    public void Produced_packages_satisfy_the_package_schema_in_both_validators()
    {
        foreach (var selection in new[] { "decision-graph-selection.yaml", "conversation-path-selection.yaml", "knowledge-neighborhood-selection.yaml" })
        {
            var result = new ContractValidator().Validate(Repository.Examples(selection));
            var json = Packing.ContextPackageWriter.Write(result.Package!.Package, Packing.PackageFormat.Json);
            var yaml = Packing.ContextPackageWriter.Write(result.Package!.Package, Packing.PackageFormat.Yaml);
            Assert.Empty(AssertAgreement(Encoding.UTF8.GetBytes(json), selection + ".context.json"));
            Assert.Empty(AssertAgreement(Encoding.UTF8.GetBytes(yaml), selection + ".context.yaml"));
        }
    }

    private static IReadOnlyList<string> AssertAgreement(byte[] content, string name, bool expectViolations = false)
    {
        var loaded = Documents.DocumentLoader.Load(name, content);
        if (loaded.Document is null || !loaded.Document.Root.IsMapping ||
            SchemaCatalog.Default.FindBySchemaVersion(loaded.Document.Root.GetOptionalString("schema_version") ?? string.Empty) is not { } contract)
        {
            Assert.False(expectViolations, "the mutation must keep the document readable and its contract known");
            return [];
        }

        var compiled = Keys(SchemaValidator.Validate(loaded.Document.Root, contract));
        var reference = Keys(Reference.Validate(loaded.Document.Root, contract));
        Assert.Equal(reference, compiled);
        if (expectViolations)
        {
            Assert.NotEmpty(compiled);
        }

        return compiled;
    }

    /// <summary>
    /// The violations as "pointer keyword code". A value of the wrong type is reported once, as a type error; the
    /// reference also reports the keywords that fail because of it (such as enum), so those are left out of both.
    /// </summary>
    private static IReadOnlyList<string> Keys(IReadOnlyList<SchemaViolation> violations)
    {
        var mistyped = violations.Where(violation => violation.Keyword == SchemaKeyword.Type).Select(violation => violation.InstancePointer).ToHashSet(StringComparer.Ordinal);
        return violations
            .Where(violation => violation.Keyword == SchemaKeyword.Type || !mistyped.Contains(violation.InstancePointer))
            .Select(violation => violation.InstancePointer + " " + violation.Keyword + " " + (violation.DiagnosticCode ?? "MC1003"))
            .Distinct()
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToArray();
    }
}
