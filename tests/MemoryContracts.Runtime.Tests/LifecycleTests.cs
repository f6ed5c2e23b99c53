using System.Text;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Lifecycle;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

public sealed class LifecycleTests : IDisposable
{
    private static readonly Approval Carol = new("carol", "2026-11-21T12:00:00Z", "checked the lineage");
    private readonly string _folder = TestSupport.TempFolder("lifecycle");
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-11-21T12:00:00Z"));
    private readonly MemoryWorkspace _workspace;

    public LifecycleTests()
    {
        _workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ws"), new WorkspaceOptions { Clock = _clock });
        _workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        _workspace.Import(TestSupport.Write(_folder, "profile.yaml", TestSupport.Profile), "tester");
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Retention_rules_plan_a_dry_run_with_source_and_policy_explanations()
    {
        var before = _workspace.Export("kb");
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile");
        Assert.Equal(before, _workspace.Export("kb"));
        Assert.Equal([("mark_stale", "assumption-old", false), ("request_delete", "fact-public", true)], plan.Actions.Select(action => (action.Action, action.Node, action.ReviewRequired)));
        var stale = plan.Actions[0];
        Assert.Equal("stale-assumptions", stale.Rule);
        Assert.Equal("retention rule 'stale-assumptions' (reasoning): updated_at 2026-01-01T00:00:00Z is 324 days old, the rule acts after 30", stale.Reason);
        Assert.Equal("from docs/a.md:1-3; extracted by alice at 2026-01-01T00:00:00Z", plan.Actions[1].Source);
        Assert.Equal("no policy recorded", plan.Actions[1].Policy);
        Assert.True(plan.RequiresReview);
    }

    [Fact]
    public void A_review_required_plan_is_refused_without_approval_and_by_a_non_reviewer_and_each_denial_is_audited()
    {
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile");
        var sequence = _workspace.Log.LastSequence("kb");

        var missing = Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Apply(plan, null, "agent"));
        Assert.Equal("MC5009", missing.Code);
        Assert.Contains("request_delete fact-public", missing.Message, StringComparison.Ordinal);
        Assert.Equal("MC5009", Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Apply(plan, new Approval("carol", "", "no time"), "agent")).Code);
        Assert.Equal("MC5009", Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Apply(plan, new Approval("carol", "2026-11-21T12:00:00Z", " "), "agent")).Code);
        var stranger = Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Apply(plan, new Approval("mallory", "2026-11-21T12:00:00Z", "trust me"), "agent"));
        Assert.Equal("MC5010", stranger.Code);
        Assert.Equal(sequence, _workspace.Log.LastSequence("kb"));

        var denials = _workspace.AuditTrail().Where(record => record.Action == "apply").ToList();
        Assert.Equal(4, denials.Count);
        Assert.All(denials, record => Assert.Equal(AuditDecision.Denied, record.Decision));
        Assert.Equal(["assumption-old", "fact-public"], denials[0].Affected);
        Assert.Equal("mallory", denials[3].Approval!.By);

        var applied = _workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol"), "agent");
        var state = _workspace.Copy("kb");
        Assert.Equal("stale", state.FindNode("assumption-old")!.Lifecycle!.State);
        Assert.Equal("delete_requested", state.FindNode("fact-public")!.Lifecycle!.State);
        var granted = _workspace.AuditTrail().Last();
        Assert.Equal((AuditDecision.Granted, applied.Operation, "carol"), (granted.Decision, granted.Operation, granted.Approval!.By));
        Assert.Equal("updated", applied.Record.Event!.Kind);
    }

    [Fact]
    public void A_plan_made_before_the_graph_changed_is_refused()
    {
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Refresh = ["assumption-old"] });
        _workspace.Append("kb", TestSupport.Event("meanwhile"));
        var stale = Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Apply(plan, null, "agent"));
        Assert.Equal("MC5011", stale.Code);
        Assert.Contains($"plan '{plan.Id}'", stale.Message, StringComparison.Ordinal);
        Assert.Equal(AuditDecision.Denied, _workspace.AuditTrail().Last().Decision);
    }

    [Fact]
    public void Refresh_clears_a_stale_marker()
    {
        var stale = _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Now = _clock.Now });
        _workspace.Lifecycle.Apply(stale, TestSupport.Approve(stale, "carol"), "agent");
        Assert.Equal("stale", _workspace.Copy("kb").FindNode("assumption-old")!.Lifecycle!.State);

        var refresh = _workspace.Lifecycle.Apply(_workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Refresh = ["assumption-old"] }), null, "agent");
        var node = _workspace.Copy("kb").FindNode("assumption-old")!;
        Assert.Equal(("active", "2026-11-21T12:00:00.000Z"), (node.Lifecycle!.State, node.Lifecycle.UpdatedAt));
        Assert.Equal("refreshed", refresh.Record.Event!.Kind);
    }

    [Fact]
    public void Compaction_creates_a_summary_that_keeps_provenance_and_spans_and_can_retire_the_sources()
    {
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest
        {
            Retention = false,
            Compact = new CompactionRequest("facts-summary", "What the facts say", ["fact-public", "fact-secret"], RetireSources: true),
        });
        Assert.Equal(["compact", "retire", "compact", "retire"], plan.Actions.Select(action => action.Action));
        _workspace.Lifecycle.Apply(plan, null, "agent");
        var state = _workspace.Copy("kb");
        var summary = state.FindNode("facts-summary")!;
        Assert.Equal(["fact-public", "fact-secret"], summary.Provenance!.DerivedFrom);
        Assert.Equal("derived", summary.Provenance.Method);
        Assert.Equal("docs/a.md:1-3; docs/secret.md:4-9", summary.Attributes.Single().Value.Text);
        Assert.Equal(["facts-summary--derived_from--fact-public", "facts-summary--derived_from--fact-secret"], state.EdgesFrom("facts-summary").Select(edge => edge.Id));
        Assert.Equal("retired", state.FindNode("fact-public")!.Lifecycle!.State);
    }

    [Fact]
    public void Forgetting_follows_lineage_to_review_and_leaves_a_tombstone_without_content_anywhere()
    {
        var graphFolder = Path.GetDirectoryName(_workspace.Log.LocationOf("kb"))!;
        File.WriteAllText(Path.Combine(graphFolder, "events.jsonl.torn-20261121T000000"), "{\"title\":\"Secret fact");
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Forget = ["fact-secret"], Reason = "data subject request 17" });
        Assert.Equal([("review", "digest"), ("forget", "fact-secret"), ("review", "summary-of-secret")], plan.Actions.Select(action => (action.Action, action.Node)));
        Assert.Equal("derived from 'summary-of-secret', which is forgotten; review what it still holds", plan.Actions[0].Reason);
        Assert.Equal("MC5009", Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Apply(plan, null, "agent")).Code);

        var applied = _workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol"), "agent");
        var state = _workspace.Copy("kb");
        Assert.Null(state.FindNode("fact-secret"));
        Assert.Null(state.FindEdge("e-secret-supports"));
        var tombstone = state.Tombstones["fact-secret"];
        Assert.Equal(("source_fact", "forget requested: data subject request 17", applied.Operation), (tombstone.Kind, tombstone.Reason, tombstone.Operation));
        Assert.True(state.Tombstones.ContainsKey("e-secret-supports"));
        Assert.Equal(["digest", "summary-of-secret"], state.Reviews.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(state.FindNode("summary-of-secret"));
        Assert.Equal("forgotten", applied.Record.Event!.Kind);

        // The forgotten text is gone from every file of the workspace, the log's history included, and so are the
        // quarantined torn lines of earlier crashes beside the log that quoted it (issue 13, finding 6).
        var files = Directory.GetFiles(Path.Combine(_folder, "ws"), "*", SearchOption.AllDirectories).Where(path => !path.EndsWith(".lock", StringComparison.Ordinal));
        Assert.All(files, path => Assert.DoesNotContain("Secret fact", File.ReadAllText(path), StringComparison.Ordinal));
        Assert.DoesNotContain(_workspace.Repair(), diagnostic => diagnostic.IsError);
    }

    [Fact]
    public void A_node_removed_earlier_can_still_be_forgotten_and_its_content_leaves_the_history()
    {
        _workspace.Append("kb", TestSupport.Event("drop-old", "updated"), new GraphChanges { RemoveNodes = ["assumption-old"] });
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Forget = ["assumption-old"], RequestedBy = "agent" });
        var action = Assert.Single(plan.Actions);
        Assert.Equal(("forget", "assumption-old", true), (action.Action, action.Node, action.ReviewRequired));
        Assert.EndsWith("(removed earlier; its content remains in the log's history)", action.Reason, StringComparison.Ordinal);
        _workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol"), "agent");

        Assert.Equal("assumption", _workspace.Copy("kb").Tombstones["assumption-old"].Kind);
        var files = Directory.GetFiles(Path.Combine(_folder, "ws"), "*", SearchOption.AllDirectories).Where(path => !path.EndsWith(".lock", StringComparison.Ordinal));
        Assert.All(files, path => Assert.DoesNotContain("Nobody edits fixtures by hand", File.ReadAllText(path), StringComparison.Ordinal));
        Assert.Equal("MC5014", Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Forget = ["never-existed"] })).Code);
    }

    [Fact]
    public void Forgetting_with_the_forget_lineage_policy_forgets_every_descendant()
    {
        var plan = _workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Forget = ["fact-secret"], Lineage = LineagePolicy.Forget });
        Assert.Equal([("forget", "digest"), ("forget", "fact-secret"), ("forget", "summary-of-secret")], plan.Actions.Select(action => (action.Action, action.Node)));
        _workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol"), "agent");
        var state = _workspace.Copy("kb");
        Assert.Equal(["digest", "e-digest", "e-secret-supports", "fact-secret", "summary-of-secret"], state.Tombstones.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("SECRET-PAYLOAD-7731", Encoding.UTF8.GetString(_workspace.Export("kb")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_contradicts_edge_puts_both_sides_up_for_review_and_deletes_nothing()
    {
        var record = _workspace.Append("kb", TestSupport.Event("doubt", nodes: "counter"), new GraphChanges
        {
            PutNodes = [TestSupport.Node("counter")],
            PutEdges = [new GraphEdge("e-doubt", "contradicts", "counter", "decision")],
        });
        Assert.Equal(["counter", "decision"], record.Changes.OpenReviews.Select(review => review.Node));
        var state = _workspace.Copy("kb");
        Assert.Equal("contradicted by 'counter' (edge 'e-doubt')", state.Reviews["decision"].Reason);
        Assert.Equal("active", state.FindNode("fact-public")!.Lifecycle!.State);
        Assert.NotNull(state.FindNode("decision"));

        Assert.Equal("MC5009", Assert.Throws<MemoryStoreException>(() => _workspace.Lifecycle.SettleReviews("kb", ["decision"], Carol with { Reason = " " }, "carol")).Code);
        Assert.Equal(2, _workspace.Copy("kb").Reviews.Count);
        _workspace.Lifecycle.SettleReviews("kb", ["decision", "counter"], Carol, "carol");
        var settled = _workspace.Copy("kb");
        Assert.Empty(settled.Reviews);
        Assert.Equal(Carol.At, settled.FindNode("decision")!.Lifecycle!.ReviewedAt);
    }
}
