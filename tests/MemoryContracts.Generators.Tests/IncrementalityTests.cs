using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>Step tracking: unrelated edits reuse every step, and editing one fixture regenerates only its accessor.</summary>
public sealed class IncrementalityTests
{
    [Fact]
    public void Editing_an_unrelated_source_file_leaves_every_step_cached_or_unchanged()
    {
        var harness = Harness();
        var compilation = harness.CreateCompilation();
        var driver = harness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText("namespace Consumer; public static class Unrelated { public static int Value => 42; }", GeneratorHarness.Options, path: "Source0.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];

        string[] named = [ContractsGenerator.Steps.Schemas, ContractsGenerator.Steps.Fixtures, ContractsGenerator.Steps.Ownership, ContractsGenerator.Steps.Contracts, ContractsGenerator.Steps.FixtureNames];
        var steps = result.TrackedSteps.Where(step => named.Contains(step.Key)).SelectMany(step => step.Value).SelectMany(run => run.Outputs).Select(output => output.Reason)
            .Concat(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs).Select(output => output.Reason))
            .ToArray();
        Assert.NotEmpty(steps);
        Assert.All(steps, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
    }

    [Fact]
    public void Editing_one_fixture_regenerates_only_that_fixture()
    {
        var harness = Harness();
        var compilation = harness.CreateCompilation();
        var driver = harness.CreateDriver().RunGenerators(compilation);

        harness.ReplaceFile(driver, "memory/conversation.yaml", Repository.Example("conversation-path.yaml").Replace("title: Tried editing", "title: Tried to edit"), out var updated);
        var result = updated.RunGenerators(compilation).GetRunResult().Results[0];

        var fixtures = result.TrackedSteps[ContractsGenerator.Steps.Fixtures].SelectMany(run => run.Outputs).Select(output => output.Reason).ToArray();
        Assert.Equal(1, fixtures.Count(reason => reason == IncrementalStepRunReason.Modified));
        Assert.Equal(fixtures.Length - 1, fixtures.Count(reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs).ToArray();
        Assert.Equal(1, outputs.Count(output => output.Reason == IncrementalStepRunReason.Modified));
        Assert.All(result.TrackedSteps[ContractsGenerator.Steps.Contracts].SelectMany(run => run.Outputs), output => Assert.NotEqual(IncrementalStepRunReason.Modified, output.Reason));
        Assert.Contains("Tried to edit", result.GeneratedSources.Single(source => source.HintName == "MemoryFixtures.Conversation.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_no_change_rerun_parses_nothing()
    {
        var harness = Harness();
        var compilation = harness.CreateCompilation();
        var driver = harness.CreateDriver().RunGenerators(compilation);
        var result = driver.RunGenerators(compilation).GetRunResult().Results[0];

        foreach (var step in new[] { ContractsGenerator.Steps.Fixtures, ContractsGenerator.Steps.Contracts, ContractsGenerator.Steps.FixtureNames })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(run => run.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        }
    }

    private static GeneratorHarness Harness() => new GeneratorHarness()
        .AddSource("namespace Consumer; public static class Unrelated { public static int Value => 1; }")
        .AddFixture("memory/decisions.yaml", Repository.Example("decision-graph.yaml"))
        .AddFixture("memory/conversation.yaml", Repository.Example("conversation-path.yaml"))
        .AddFixture("memory/knowledge.yaml", Repository.Example("knowledge-neighborhood.yaml"));
}
