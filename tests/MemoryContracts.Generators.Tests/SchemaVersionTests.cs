using Microsoft.CodeAnalysis;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>A new schema version added to the project's schema items brings its vocabulary, side by side with v1.</summary>
public sealed class SchemaVersionTests
{
    [Fact]
    public void A_graph_v2_schema_adds_NodeKindV2_next_to_NodeKind()
    {
        var v1 = File.ReadAllText(Path.Combine(Repository.Root, "schemas", "markitect.memory.graph.v1.schema.json"));
        var v2 = v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v2") // the $id, the file name in it, and the const
            .Replace("\"memory\"\n      ],", "\"memory\", \"hypothesis\"\n      ],")
            .Replace("\"A memory that fits no narrower kind.\"", "\"A memory that fits no narrower kind.\", \"A claim under test.\"");
        var harness = new GeneratorHarness()
            .AddSchema("schemas/markitect.memory.graph.v2.schema.json", v2)
            .AddSource("""
                using MemoryContracts;
                namespace Consumer;
                internal static class UsesBoth
                {
                    public static string Old() => MemoryContracts.NodeKind.Decision.ToWireName() + MemoryContracts.SchemaVersions.GraphV1;
                    public static string New() => MemoryContracts.NodeKindV2.Hypothesis.ToWireName() + MemoryContracts.SchemaVersions.GraphV2;
                    public static int Count() => MemoryContracts.NodeKindsV2.All.Count - MemoryContracts.NodeKinds.All.Count;
                }
                """);
        harness.AddFixture("memory/next.yaml", "schema_version: markitect.memory.graph.v2\nid: next\nnodes:\n  - {id: h, kind: hypothesis, title: Tests catch regressions}\n");

        var (run, output, _) = harness.Run();

        Assert.Empty(run.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning));
        Assert.Contains(run.Results[0].GeneratedSources, source => source.HintName == "NodeKindV2.g.cs");
        Assert.Contains("ByKind", run.Results[0].GeneratedSources.Single(source => source.HintName == "MemoryFixtures.Next.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }
}
