using System.Text;
using MemoryContracts.Packing;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Selections compile into deterministic packages with a documented budget and drop order.</summary>
public sealed class PackageTests
{
    [Theory]
    [InlineData(PackageFormat.Json)]
    [InlineData(PackageFormat.Yaml)]
    public void The_same_input_gives_byte_identical_packages(PackageFormat format)
    {
        var absolute = Repository.Examples("decision-graph-selection.yaml");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, absolute);
        var first = Compile(absolute, format);
        var second = Compile(relative, format);
        Assert.Equal(Encoding.UTF8.GetBytes(first), Encoding.UTF8.GetBytes(second));
        Assert.DoesNotContain(Repository.Root, first, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_covers_the_content()
    {
        var result = new ContractValidator().Validate(Repository.Examples("knowledge-neighborhood-selection.yaml"));
        var package = result.Package!.Package;
        var changed = package with { Title = package.Title + " (edited)" };
        Assert.Matches("^sha256:[0-9a-f]{64}$", ContextPackageWriter.ComputeDigest(package));
        Assert.NotEqual(ContextPackageWriter.ComputeDigest(package), ContextPackageWriter.ComputeDigest(changed));
        Assert.Contains("\"digest\": \"" + ContextPackageWriter.ComputeDigest(package) + "\"", ContextPackageWriter.Write(package, PackageFormat.Json), StringComparison.Ordinal);
    }

    [Fact]
    public void Over_budget_items_are_dropped_from_the_end_events_first()
    {
        var result = new ContractValidator().Validate(Path.Combine(Repository.DiagnosticFixtures, "MC4003.yaml"));
        var compilation = result.Package!;
        Assert.Equal(["n1", "n2"], compilation.Package.Items.Select(item => item.Id));
        Assert.Equal(
            ["ev2:max_items", "ev1:max_items", "n4:max_tokens", "n3:max_tokens"],
            compilation.Package.Dropped.Select(item => item.Id + ":" + item.Reason));
        Assert.Equal(new PackageBudget(4, 60, "profile"), compilation.Package.Budget);
        Assert.True(compilation.Package.TokenEstimate <= 60);
        Assert.Equal(6, compilation.Overflow!.SelectedItems);
    }

    [Fact]
    public void Edges_between_kept_nodes_are_implied_and_selected_edges_are_kept()
    {
        var result = new ContractValidator().Validate(Repository.Examples("decision-graph-selection.yaml"));
        var edges = result.Package!.Package.Edges.Select(edge => edge.Id + ":" + edge.Selection).ToArray();
        Assert.Equal("build-validation-beats-runtime-only:selected", edges[0]);
        Assert.Contains("boundary-depends-on-schemas:implied", edges);
        Assert.Contains("build-validation-depends-on-positions:implied", edges);
        Assert.DoesNotContain("build-validation-led-to-gate:implied", edges);
    }

    [Fact]
    public void Events_become_synthetic_items_after_the_nodes()
    {
        var result = new ContractValidator().Validate(Repository.Examples("conversation-path-selection.yaml"));
        var items = result.Package!.Package.Items;
        Assert.Equal(["node", "node", "node", "node", "event", "event", "event"], items.Select(item => item.ItemType));
        var activation = items[4];
        Assert.Equal("activated", activation.Kind);
        Assert.Equal("2026-11-21T10:04:00Z", activation.Event!.At);
        Assert.Equal(["activation-contract-package"], activation.Event.Nodes);
    }

    [Theory]
    [InlineData("One sentence. Another one.", "One sentence.")]
    [InlineData("  Spaces\n and\tnewlines  fold. ", "Spaces and newlines fold.")]
    [InlineData(null, "The title")]
    [InlineData("No sentence end", "No sentence end")]
    public void Extractive_summaries_take_the_first_sentence(string? text, string summary) =>
        Assert.Equal(summary, ExtractiveSummarizer.Summarize(text, "The title"));

    [Fact]
    public void Long_summaries_are_cut_at_a_word()
    {
        var text = string.Join(" ", Enumerable.Repeat("word", 80));
        var summary = ExtractiveSummarizer.Summarize(text, "t");
        Assert.True(summary.Length <= ExtractiveSummarizer.MaxLength);
        Assert.EndsWith("word\u2026", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abcd", null, 1)]
    [InlineData("abcd", "", 1)]
    [InlineData("abcd", "e", 2)]
    [InlineData("", "", 0)]
    public void Token_estimates_are_a_quarter_of_the_characters_rounded_up(string title, string? text, int tokens) =>
        Assert.Equal(tokens, TokenEstimator.Estimate(title, text));

    private static string Compile(string selection, PackageFormat format) =>
        ContextPackageWriter.Write(new ContractValidator().Validate(selection).Package!.Package, format);
}
