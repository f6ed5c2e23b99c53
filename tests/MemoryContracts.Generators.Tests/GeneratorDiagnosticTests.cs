extern alias core;

using Microsoft.CodeAnalysis;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>Malformed input gives a coded diagnostic on the offending file and position, never a crash or silently missing types.</summary>
public sealed class GeneratorDiagnosticTests
{
    [Fact]
    public void A_malformed_fixture_is_MC1001_at_its_position()
    {
        var diagnostic = Single(new GeneratorHarness().AddFixture("memory/broken.yaml", "schema_version: markitect.memory.graph.v1\nid: broken\nnodes: [\n  {id: a, kind: decision, title: x}\n"));
        Assert.Equal("MC1001", diagnostic.Id);
        Assert.Equal("/project/memory/broken.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(4, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void A_billion_laughs_fixture_is_MC1007_and_does_not_hang()
    {
        var laughs = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"{(char)('b' + i)}: &{(char)('b' + i)} [{string.Join(",", Enumerable.Repeat("*" + (char)('a' + i), 10))}]\n"));
        Assert.Equal("MC1007", Single(new GeneratorHarness().AddFixture("memory/laughs.yaml", laughs)).Id);
    }

    [Fact]
    public void A_deep_fixture_is_MC1008()
    {
        Assert.Equal("MC1008", Single(new GeneratorHarness().AddFixture("memory/deep.yaml", string.Concat(Enumerable.Repeat("- ", 5000)) + "x\n")).Id);
    }

    [Fact]
    public void A_fixture_with_an_unknown_contract_is_MC1002()
    {
        Assert.Equal("MC1002", Single(new GeneratorHarness().AddFixture("memory/typo.yaml", "schema_version: markitect.memory.graf.v1\nid: typo\n")).Id);
    }

    [Fact]
    public void A_malformed_schema_is_MC9002()
    {
        var diagnostic = Single(new GeneratorHarness().AddSchema("schemas/broken.schema.json", "{\"$id\": \"urn:x\", \"properties\": {}}"));
        Assert.Equal("MC9002", diagnostic.Id);
        Assert.Equal("/project/schemas/broken.schema.json", diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public void Ids_that_become_the_same_name_are_reported_not_renamed()
    {
        var harness = new GeneratorHarness().AddFixture("memory/clash.yaml", """
            schema_version: markitect.memory.graph.v1
            id: clash
            nodes:
              - {id: keep-boundary, kind: decision, title: First}
              - {id: keep_boundary, kind: decision, title: Second}
              - {id: 2026-plan, kind: plan, title: Starts with a digit}
            """);
        var (run, _, _) = harness.Run();
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("MC2011", diagnostic.Id);
        Assert.Equal((4, 9), (diagnostic.Location.GetLineSpan().StartLinePosition.Line, diagnostic.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Contains("'keep_boundary' becomes the C# name 'Nodes.KeepBoundary', which node 'keep-boundary' already has", diagnostic.GetMessage(), StringComparison.Ordinal);
        var source = run.Results[0].GeneratedSources.Single(generated => generated.HintName == "MemoryFixtures.Clash.g.cs").SourceText.ToString();
        Assert.Contains("public const string KeepBoundary = \"keep-boundary\";", source, StringComparison.Ordinal);
        Assert.Contains("public const string _2026Plan = \"2026-plan\";", source, StringComparison.Ordinal);
        Assert.DoesNotContain("\"keep_boundary\"", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_fixtures_with_the_same_class_name_are_reported()
    {
        var harness = new GeneratorHarness()
            .AddFixture("a/decisions.yaml", Repository.Example("decision-graph.yaml"))
            .AddFixture("b/decisions.yaml", Repository.Example("decision-graph.yaml"));
        var diagnostic = Assert.Single(harness.Run().Run.Diagnostics);
        Assert.Equal("MC2011", diagnostic.Id);
        Assert.Equal("/project/b/decisions.yaml", diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public void When_the_build_validates_the_generator_reports_only_what_it_alone_finds()
    {
        var harness = new GeneratorHarness()
            .AddFixture("memory/broken.yaml", "schema_version: markitect.memory.graph.v1\nid: broken\nnodes: [\n")
            .AddFixture("memory/clash.yaml", "schema_version: markitect.memory.graph.v1\nid: clash\nnodes:\n  - {id: a-b, kind: claim, title: A}\n  - {id: a_b, kind: claim, title: B}\n");
        harness.BuildProperties["MemoryContractsValidatedByBuild"] = "true";

        var diagnostic = Single(harness);

        Assert.Equal("MC2011", diagnostic.Id);
    }

    [Fact]
    public void The_generator_codes_match_the_contract_catalog()
    {
        foreach (var descriptor in GeneratorDiagnostics.All)
        {
            var catalog = core::MemoryContracts.Diagnostics.DiagnosticCatalog.Find(descriptor.Id);
            Assert.NotNull(catalog);
            Assert.Equal(catalog!.Title, descriptor.Title.ToString());
            Assert.Equal(catalog.HelpLink, descriptor.HelpLinkUri);
        }
    }

    private static Diagnostic Single(GeneratorHarness harness)
    {
        var (run, _, _) = harness.Run();
        return Assert.Single(run.Diagnostics);
    }
}

/// <summary>Issue 18, docs tested as code: the generator's own diagnostics page shows what the generator reports for its example.</summary>
public sealed class GeneratorDiagnosticPageTests
{
    [Fact]
    public void The_MC2011_page_shows_what_the_generator_reports_for_its_example()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "diagnostics", "MC2011.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var example = System.Text.RegularExpressions.Regex.Match(page, "`(?<file>memory/[\\w.-]+\\.yaml)`, a `MemoryFixture`[^\\n]*\\n\\n```yaml\\n(?<body>.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
        var shown = System.Text.RegularExpressions.Regex.Match(page, "## What you see\\n\\n```text\\n(?<line>[^\\n]*)\\n```").Groups["line"].Value;
        Assert.True(example.Success && shown.Length > 0, "the page's example or output moved");

        var (run, _, _) = new GeneratorHarness().AddFixture(example.Groups["file"].Value, example.Groups["body"].Value).Run();
        var diagnostic = Assert.Single(run.Diagnostics);
        var span = diagnostic.Location.GetLineSpan();
        var printed = $"{example.Groups["file"].Value}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        Assert.Equal(shown, printed);
    }
}
