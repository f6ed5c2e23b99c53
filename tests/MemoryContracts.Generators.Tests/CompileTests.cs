extern alias core;

using Microsoft.CodeAnalysis;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>The generated code compiles cleanly with nullable and warnings as errors, and so does code that uses it.</summary>
public sealed class CompileTests
{
    private const string Consumer = """
        using MemoryContracts;

        namespace Consumer;

        internal static class Uses
        {
            public static string Decision() => NodeKind.Decision.ToWireName();

            public static bool Parses(string wire) => EventKinds.TryParse(wire, out var kind) && kind == EventKind.PolicyDecision;

            public static int Kinds() => NodeKinds.All.Count + EdgeKinds.All.Count + EventKinds.All.Count;

            public static string Version() => SchemaVersions.GraphV1;

            public static string Boundary() => MemoryFixtures.Decisions.Nodes.KeepCompilerBoundary;

            public static int Decisions() => MemoryFixtures.Decisions.Nodes.ByKind.Decision.Count;

            public static string Edge() => MemoryFixtures.Decisions.Edges.BoundaryDependsOnSchemas;

            public static MemoryKind Reasoning() => MemoryKind.Reasoning;

            public static EdgeKind Supersedes() => EdgeKinds.Parse("supersedes");
        }
        """;

    [Fact]
    public void Generated_code_and_a_consumer_compile_without_warnings()
    {
        var harness = new GeneratorHarness().AddSource(Consumer);
        harness.AddFixture("memory/decisions.yaml", Repository.Example("decision-graph.yaml"));
        var (_, output, generatorDiagnostics) = harness.Run();
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Renaming_a_node_breaks_the_code_that_used_the_old_name()
    {
        var harness = new GeneratorHarness().AddSource(Consumer);
        harness.AddFixture("memory/decisions.yaml", Repository.Example("decision-graph.yaml").Replace("keep-compiler-boundary", "keep-the-compiler-boundary"));
        var (_, output, _) = harness.Run();
        var error = Assert.Single(output.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        Assert.Equal("CS0117", error.Id);
        Assert.Contains("KeepCompilerBoundary", error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_wire_names_round_trip_for_every_term()
    {
        var harness = new GeneratorHarness().AddSource("""
            using MemoryContracts;
            namespace Consumer;
            public static class RoundTrip
            {
                public static bool All()
                {
                    foreach (var kind in MemoryContracts.NodeKinds.All)
                    {
                        if (!MemoryContracts.NodeKinds.TryParse(kind.ToWireName(), out var back) || back != kind) return false;
                    }
                    return !MemoryContracts.NodeKinds.TryParse("decison", out _);
                }
            }
            """);
        var (_, output, _) = harness.Run();
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var assembly = System.Reflection.Assembly.Load(stream.ToArray());
        Assert.True((bool)assembly.GetType("Consumer.RoundTrip")!.GetMethod("All")!.Invoke(null, null)!);
    }

    [Fact]
    public void A_project_that_references_the_contract_core_uses_its_types_instead_of_generating_them()
    {
        var harness = new GeneratorHarness().AddSource(Consumer);
        harness.ExtraReferences.Add(MetadataReference.CreateFromFile(typeof(core::MemoryContracts.NodeKind).Assembly.Location));
        harness.AddFixture("memory/decisions.yaml", Repository.Example("decision-graph.yaml"));
        var (run, output, _) = harness.Run();
        Assert.DoesNotContain(run.Results[0].GeneratedSources, source => source.HintName == "NodeKind.g.cs");
        Assert.Empty(output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning));
    }
}
