using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime.Context;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

public sealed class ContextRegistryTests
{
    private const string DeniedText = "Teams build many times an hour";
    private static readonly MemoryNamespace Project = new("project", "memorycontracts");
    private readonly string _catalog = TestSupport.CopyCatalog("context");
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-11-21T12:00:00Z"));
    private readonly ContextRegistry _registry;

    public ContextRegistryTests()
    {
        _registry = new ContextRegistry(Path.Combine(_catalog, ".memory", "context"), new ContextRegistryOptions { Clock = _clock });
    }

    [Fact]
    public void A_manifest_packs_under_its_namespace_and_stable_id_and_denied_content_leaks_nowhere()
    {
        var entry = _registry.Pack(ContextRegistry.RecipeFor(Path.Combine(_catalog, "workplan-context.manifest.yaml")), "tester");
        Assert.Equal((Project, "workplan-context", 12), (entry.Namespace, entry.Id, entry.Items));
        var package = _registry.Load(Project, "workplan-context");
        Assert.DoesNotContain(package.Items, item => item.Id == "build-cost-risk");
        Assert.Equal("manifest", package.Recipe.Kind);
        Assert.Equal("workplan-context.manifest.yaml", package.Recipe.Manifest);

        var explanation = _registry.Explain(Project, "workplan-context");
        Assert.Equal("policy 'project-context-policy' denies label 'performance'", Assert.Single(explanation.Withheld).Reason);
        var envelope = _registry.Activate(Project, "workplan-context", "agent");
        var everything = string.Concat(Directory.GetFiles(_registry.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText))
            + ContextRegistry.ToJson(envelope) + ContextRegistry.ToJson(explanation)
            + Run("context", "explain", "workplan-context", "-n", "project:memorycontracts", "--registry", _registry.Root, "--root", _catalog)
            + Run("context", "explain", "workplan-context", "-n", "project:memorycontracts", "--registry", _registry.Root, "--root", _catalog, "-f", "mermaid");
        Assert.DoesNotContain("error MC", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(DeniedText, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Validation could slow down every build", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_lifecycle_verb_is_recorded_and_changes_the_state()
    {
        var recipe = ContextRegistry.RecipeFor(Path.Combine(_catalog, "decision-graph-selection.yaml"));
        Assert.Equal("inactive", _registry.Pack(recipe, "tester").State);
        _clock.Now = _clock.Now.AddMinutes(1);
        var envelope = _registry.Activate(Project, "contract-boundary-decisions", "agent-7");
        Assert.Equal(("contract-boundary-decisions", "agent-7", "2026-11-21T12:01:00.000Z"), (envelope.Package, envelope.Actor, envelope.ActivatedAt));
        Assert.Equal("active", Assert.Single(_registry.List(Project)).State);
        _registry.Deactivate(Project, "contract-boundary-decisions", "agent-7");
        Assert.Equal("inactive", Assert.Single(_registry.List()).State);
        _registry.Refresh(Project, "contract-boundary-decisions", "tester");
        Assert.Equal(["packed", "activated", "deactivated", "refreshed"], _registry.History(Project, "contract-boundary-decisions").Select(entry => entry.Action));
        Assert.Equal("unchanged", _registry.History(Project, "contract-boundary-decisions")[^1].Note);
        Assert.Equal("MC5014", Assert.Throws<MemoryStoreException>(() => _registry.Activate(Project, "missing", "agent")).Code);
    }

    [Fact]
    public void Two_namespaces_hold_the_same_package_id_without_collision()
    {
        var selection = Path.Combine(_catalog, "knowledge-neighborhood-selection.yaml");
        var first = new MemoryNamespace("thread", "t-1");
        var second = new MemoryNamespace("thread", "T-1");
        _registry.Pack(ContextRegistry.RecipeFor(selection) with { Namespace = first }, "tester");
        _registry.Pack(ContextRegistry.RecipeFor(selection) with { Namespace = second }, "tester");
        _registry.Activate(first, IdOf(selection), "agent");
        Assert.Equal(["inactive", "active"], _registry.List().Where(entry => entry.Namespace.Kind == "thread").Select(entry => entry.State));
        Assert.Equal(2, _registry.List().Count(entry => entry.Id == IdOf(selection)));
        Assert.Equal(first, _registry.Load(first, IdOf(selection)).Namespace);
        Assert.Equal(second, _registry.Load(second, IdOf(selection)).Namespace);
    }

    [Fact]
    public void Refresh_rebuilds_from_the_recipe_and_reports_what_changed()
    {
        var recipe = ContextRegistry.RecipeFor(Path.Combine(_catalog, "decision-graph-selection.yaml"));
        var before = File.ReadAllText(Path.Combine(_catalog, "decision-graph.yaml"));
        _registry.Pack(recipe, "tester");
        File.WriteAllText(Path.Combine(_catalog, "decision-graph.yaml"), before.Replace("title: Validate every fixture during dotnet build", "title: Validate every fixture in every build", StringComparison.Ordinal));
        var selection = File.ReadAllText(recipe.Path);
        File.WriteAllText(recipe.Path, selection.Replace("    - build-cost-risk\n", "    - pr-gate-outcome\n", StringComparison.Ordinal));
        var report = _registry.Refresh(Project, "contract-boundary-decisions", "tester");
        Assert.Equal(["pr-gate-outcome"], report.Added);
        Assert.Equal(["build-cost-risk"], report.Removed);
        Assert.Equal(["validate-in-build"], report.Changed);
        Assert.Equal("Validate every fixture in every build", _registry.Load(Project, "contract-boundary-decisions").Items[0].Title);
        Assert.Equal("1 added, 1 removed, 1 changed", _registry.History(Project, "contract-boundary-decisions")[^1].Note);
    }

    [Fact]
    public void Packing_is_stable_across_runs_and_ids_are_stable_names()
    {
        var recipe = ContextRegistry.RecipeFor(Path.Combine(_catalog, "decision-graph-selection.yaml"));
        _registry.Pack(recipe, "tester");
        var first = File.ReadAllBytes(Directory.GetFiles(_registry.Root, "package.json", SearchOption.AllDirectories).Single());
        var other = new ContextRegistry(Path.Combine(_catalog, "other-registry"));
        other.Pack(recipe, "someone else");
        Assert.Equal(first, File.ReadAllBytes(Directory.GetFiles(other.Root, "package.json", SearchOption.AllDirectories).Single()));
        Assert.Equal(Path.Combine(_registry.Root, "project", "memorycontracts", "contract-boundary-decisions", "package.json"), Directory.GetFiles(_registry.Root, "package.json", SearchOption.AllDirectories).Single());
    }

    [Fact]
    public void A_query_packs_by_kind_id_pattern_label_and_text()
    {
        var graph = Path.Combine(_catalog, "decision-graph.yaml");
        var query = new NodeQuery { Kinds = ["decision", "constraint"], Ids = ["*-*"], Labels = ["design"], Text = "build VALIDATES" };
        var entry = _registry.Pack(new ContextRecipe("query", graph, "build-decisions") { Query = query, Budget = new ActivationLimits(5, null) }, "tester");
        var package = _registry.Load(ContextRegistry.DefaultNamespace, "build-decisions");
        Assert.Equal(["validate-in-build"], package.Items.Select(item => item.Id));
        Assert.Equal(("query", "build VALIDATES", "query"), (package.Recipe.Kind, package.Recipe.Query!.Text, package.Budget.Source));
        Assert.Equal("decision-graph.yaml matched kinds=decision,constraint ids=*-* labels=design text=\"build VALIDATES\"", _registry.Explain(ContextRegistry.DefaultNamespace, "build-decisions").Items[0].Why);
        Assert.Equal(1, entry.Items);
        Assert.False(new NodeQuery { Ids = ["validate-*-only"] }.Matches(new GraphNode("validate-in-build", "decision", "t")));
        Assert.True(new NodeQuery { Ids = ["validate-*-only"] }.Matches(new GraphNode("validate-at-runtime-only", "alternative", "t")));
    }

    [Fact]
    public void Activation_rechecks_the_policy_and_the_budget_and_rebuilds_the_summary()
    {
        var policy = Path.Combine(_catalog, "context-policy.yaml");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("deny_labels: [secret, performance]", "deny_labels: [secret]", StringComparison.Ordinal));
        _registry.Pack(ContextRegistry.RecipeFor(Path.Combine(_catalog, "decision-graph-selection.yaml"), policy: policy), "tester");
        Assert.Contains(_registry.Load(Project, "contract-boundary-decisions").Items, item => item.Id == "build-cost-risk");

        File.WriteAllText(policy, File.ReadAllText(policy).Replace("deny_labels: [secret]", "deny_labels: [performance]", StringComparison.Ordinal));
        var envelope = _registry.Activate(Project, "contract-boundary-decisions", "agent");
        Assert.Equal("policy 'project-context-policy' denies label 'performance'", envelope.Withheld.Single(item => item.Id == "build-cost-risk").Reason);
        var json = ContextRegistry.ToJson(envelope);
        Assert.DoesNotContain(DeniedText, json, StringComparison.Ordinal);
        Assert.DoesNotContain("Validation could slow down every build", json, StringComparison.Ordinal);
        Assert.Equal(envelope.Items.Sum(item => item.TokenEstimate), envelope.TokenEstimate);

        File.WriteAllText(policy, File.ReadAllText(policy).Replace("deny_labels: [performance]", "allow_labels: [design, architecture]", StringComparison.Ordinal).Replace("max_trust_zone: team", "max_trust_zone: public", StringComparison.Ordinal));
        var narrow = _registry.Activate(Project, "contract-boundary-decisions", "agent");
        Assert.Contains(narrow.Withheld, item => item.Reason == "policy 'project-context-policy' does not allow label 'performance'");
        Assert.Contains(narrow.Withheld, item => item.Reason == "policy 'project-context-policy' allows trust zones up to public, not project");
    }

    [Fact]
    public void The_assisted_summarizer_is_called_only_when_configured_and_allowed_by_policy()
    {
        var summarizer = new CountingSummarizer();
        var registry = new ContextRegistry(Path.Combine(_catalog, "assisted"), new ContextRegistryOptions { AssistedSummarizer = summarizer });
        var selection = Path.Combine(_catalog, "decision-graph-selection.yaml");
        var policy = Path.Combine(_catalog, "context-policy.yaml");
        registry.Pack(ContextRegistry.RecipeFor(selection, policy: policy), "tester");
        registry.Activate(Project, "contract-boundary-decisions", "agent");
        Assert.Equal(0, summarizer.Calls);
        Assert.Equal(["extractive"], registry.Load(Project, "contract-boundary-decisions").Summary.Select(layer => layer.Kind));

        File.WriteAllText(policy, File.ReadAllText(policy).Replace("assisted_summaries: false", "assisted_summaries: true", StringComparison.Ordinal));
        registry.Pack(ContextRegistry.RecipeFor(selection, policy: policy), "tester");
        var envelope = registry.Activate(Project, "contract-boundary-decisions", "agent");
        Assert.Equal(2, summarizer.Calls);
        Assert.Equal(["extractive", "assisted"], envelope.Summary.Select(layer => layer.Kind));
        Assert.DoesNotContain(summarizer.Seen, id => id == "build-cost-risk");

        new ContextRegistry(Path.Combine(_catalog, "unconfigured")).Pack(ContextRegistry.RecipeFor(selection, policy: policy), "tester");
        Assert.Equal(2, summarizer.Calls);
    }

    [Fact]
    public void The_cli_packs_lists_activates_and_explains_with_json_for_agents()
    {
        var registry = Path.Combine(_catalog, "cli-registry");
        Assert.StartsWith("packed project:memorycontracts/workplan-context: 12 item(s)", Run("context", "pack", Path.Combine(_catalog, "workplan-context.manifest.yaml"), "--registry", registry, "--root", _catalog), StringComparison.Ordinal);
        Assert.Equal("namespace\tid\titems\ttokens\tstate\tlast\n", Run("context", "list", "--registry", registry, "--root", _catalog, "-n", "user:nobody"));
        var json = Run("context", "activate", "workplan-context", "-n", "project:memorycontracts", "--registry", registry, "--root", _catalog, "-f", "json");
        using var envelope = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("markitect.context.activation.v1", envelope.RootElement.GetProperty("format").GetString());
        Assert.Equal(12, envelope.RootElement.GetProperty("items").GetArrayLength());
        Assert.StartsWith("namespace\tid\titems\ttokens\tstate\tlast\nproject:memorycontracts\tworkplan-context\t12\t", Run("context", "list", "--registry", registry, "--root", _catalog), StringComparison.Ordinal);
        Assert.Contains("\tactive\tactivated ", Run("context", "list", "--registry", registry, "--root", _catalog), StringComparison.Ordinal);
        Assert.StartsWith("flowchart LR\n", Run("context", "explain", "workplan-context", "-n", "project:memorycontracts", "--registry", registry, "--root", _catalog, "-f", "mermaid"), StringComparison.Ordinal);
        Assert.StartsWith("packed project:default/decisions-by-text: 2 item(s)", Run("context", "pack", "--graph", Path.Combine(_catalog, "decision-graph.yaml"), "--id", "decisions-by-text", "--kind", "decision", "--registry", registry, "--root", _catalog), StringComparison.Ordinal);
        var error = new StringWriter();
        Assert.Equal(2, Tool.MemoryCli.Run(["context", "list", "--registry", registry, "--root", _catalog, "-n", "galaxy:far"], new StringWriter(), error));
        Assert.StartsWith("dotnet-memory: error: 'galaxy:far' is not kind:id with a kind of project, user, agent, thread, task, custom", error.ToString(), StringComparison.Ordinal);
    }

    private static string IdOf(string selection) => new Validation.ContractValidator().Validate(selection).Selection!.Id;

    [Fact]
    public void A_recipe_edited_to_read_a_file_outside_the_root_is_refused_before_anything_is_read()
    {
        var registry = new ContextRegistry(Path.Combine(_catalog, ".memory", "rooted"), new ContextRegistryOptions { Clock = _clock, FixtureRoot = _catalog });
        registry.Pack(ContextRegistry.RecipeFor(Path.Combine(_catalog, "decision-graph-selection.yaml"), root: _catalog), "tester");
        var outside = TestSupport.TempFolder("context-outside");
        File.Copy(Path.Combine(_catalog, "decision-graph.yaml"), Path.Combine(outside, "decision-graph.yaml"));
        File.WriteAllText(Path.Combine(outside, "decision-graph-selection.yaml"), File.ReadAllText(Path.Combine(_catalog, "decision-graph-selection.yaml")));
        var recipe = Directory.GetFiles(registry.Root, "recipe.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(_catalog, outside, StringComparison.Ordinal));
        var before = File.ReadAllText(Directory.GetFiles(registry.Root, "package.json", SearchOption.AllDirectories).Single());

        var refused = Assert.Throws<MemoryStoreException>(() => registry.Refresh(Project, "contract-boundary-decisions", "mallory"));
        Assert.Equal("MC4010", refused.Code);
        Assert.Contains($"resolves to '{Path.Combine(outside, "decision-graph-selection.yaml")}', outside the root folder '{_catalog}'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Directory.GetFiles(registry.Root, "package.json", SearchOption.AllDirectories).Single()));
        Assert.Contains("error MC4010:", Run("context", "refresh", "contract-boundary-decisions", "-n", "project:memorycontracts", "--registry", registry.Root, "--root", _catalog), StringComparison.Ordinal);
        Assert.Throws<MemoryStoreException>(() => ContextRegistry.RecipeFor(Path.Combine(outside, "decision-graph-selection.yaml"), root: _catalog));
    }

    private static string Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        Tool.MemoryCli.Run(args, output, output);
        return output.ToString();
    }

    private sealed class CountingSummarizer : IAssistedSummarizer
    {
        public int Calls { get; private set; }

        public List<string> Seen { get; } = [];

        public string Summarize(IReadOnlyList<PackageItem> items)
        {
            Calls++;
            Seen.AddRange(items.Select(item => item.Id));
            return $"{items.Count} items, summarized by a model";
        }
    }
}
