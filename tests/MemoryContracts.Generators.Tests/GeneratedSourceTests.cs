using Microsoft.CodeAnalysis;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>Approval tests: the generated source for the v1 schemas and the example fixtures, byte for byte.</summary>
public sealed class GeneratedSourceTests
{
    private static readonly string[] Fixtures =
    [
        "decision-graph.yaml", "conversation-path.yaml", "knowledge-neighborhood.yaml", "decision-graph-selection.yaml", "memory-profile.local.yaml",
    ];

    public static TheoryData<string> HintNames()
    {
        var data = new TheoryData<string>();
        foreach (var source in Generate().Results[0].GeneratedSources.OrderBy(source => source.HintName, StringComparer.Ordinal))
        {
            data.Add(source.HintName);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HintNames))]
    public void Generated_source_matches_the_approved_file(string hintName)
    {
        var source = Generate().Results[0].GeneratedSources.Single(generated => generated.HintName == hintName);
        Approvals.Verify(source.SourceText.ToString(), Path.Combine(Repository.Approvals, Path.ChangeExtension(hintName, ".verified.cs")));
    }

    [Fact]
    public void The_v1_vocabularies_and_every_fixture_are_generated_without_diagnostics()
    {
        var run = Generate();
        Assert.Empty(run.Diagnostics);
        var names = run.Results[0].GeneratedSources.Select(source => source.HintName).ToHashSet();
        foreach (var expected in new[] { "NodeKind.g.cs", "EdgeKind.g.cs", "EventKind.g.cs", "MemoryKind.g.cs", "SchemaVersions.g.cs", "MemoryFixtures.DecisionGraph.g.cs", "MemoryFixtures.DecisionGraphSelection.g.cs", "MemoryFixtures.MemoryProfileLocal.g.cs" })
        {
            Assert.Contains(expected, names);
        }
    }

    /// <summary>
    /// With MemoryContractsAccessors=Assembly the build writes MemoryFixtures into a referenced assembly, so the
    /// generator must not declare it too (the project's own empty class would hide the referenced one, CS0436).
    /// </summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData("Source", true)]
    [InlineData("Assembly", false)]
    [InlineData("assembly", false)]
    public void MemoryFixtures_is_declared_unless_the_accessors_come_from_an_assembly(string? accessors, bool declared)
    {
        var harness = new GeneratorHarness();
        if (accessors is not null)
        {
            harness.BuildProperties["MemoryContractsAccessors"] = accessors;
        }

        var (run, output, diagnostics) = harness.Run();
        Assert.Empty(diagnostics);
        var names = run.Results[0].GeneratedSources.Select(source => source.HintName).ToHashSet();
        Assert.Contains("NodeKind.g.cs", names);
        Assert.Equal(declared, names.Contains("MemoryFixtures.g.cs"));
        Assert.Equal(declared, output.GetTypeByMetadataName("Consumer.MemoryFixtures") is not null);
    }

    /// <summary>
    /// With MemoryContractsVocabulariesInAssembly (the build sets it with MemoryContractsAccessors=Assembly) the build
    /// writes the vocabularies into the referenced assembly, so the generator declares none (a second NodeKind would
    /// clash with the referenced one, CS0436); any other value leaves them to the generator.
    /// </summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData("false", true)]
    [InlineData("true", false)]
    public void The_vocabularies_are_declared_unless_the_build_writes_them(string? inAssembly, bool declared)
    {
        var harness = new GeneratorHarness();
        harness.BuildProperties["MemoryContractsAccessors"] = "Assembly";
        if (inAssembly is not null)
        {
            harness.BuildProperties["MemoryContractsVocabulariesInAssembly"] = inAssembly;
        }

        var (run, output, diagnostics) = harness.Run();
        Assert.Empty(diagnostics);
        var names = run.Results[0].GeneratedSources.Select(source => source.HintName).ToHashSet();
        Assert.Equal(declared, names.Contains("NodeKind.g.cs"));
        Assert.Equal(declared, names.Contains("SchemaVersions.g.cs"));
        Assert.Equal(declared, output.GetTypeByMetadataName("MemoryContracts.NodeKinds") is not null);
        Assert.Equal(declared ? 19 : 0, names.Count);
    }

    private static GeneratorDriverRunResult Generate()
    {
        var harness = new GeneratorHarness();
        foreach (var fixture in Fixtures)
        {
            harness.AddFixture("memory/" + fixture, Repository.Example(fixture));
        }

        return harness.Run().Run;
    }
}
