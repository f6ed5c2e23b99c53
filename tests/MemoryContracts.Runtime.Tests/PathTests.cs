using MemoryContracts.Model;
using MemoryContracts.Runtime.Paths;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

public sealed class PathTests
{
    private readonly MemoryWorkspace _workspace = MemoryWorkspace.InMemory();

    public PathTests()
    {
        _workspace.Import(TestSupport.Write(TestSupport.TempFolder("paths"), "kb.yaml", TestSupport.KnowledgeGraph), "tester");
    }

    [Fact]
    public void Branch_changes_stay_on_the_branch_until_a_clean_merge_brings_them_over_with_a_marker()
    {
        _workspace.Paths.Branch("kb", "explore", "agent");
        Assert.Equal("explore", _workspace.Paths.Read("kb").Active);
        _workspace.Append("kb", TestSupport.Event("b-1", path: "explore", nodes: "idea"), new GraphChanges { PutNodes = [TestSupport.Node("idea", text: "branch idea")] });
        _workspace.Append("kb", TestSupport.Event("m-1", nodes: "main-only"), new GraphChanges { PutNodes = [TestSupport.Node("main-only")] });

        Assert.Null(_workspace.Copy("kb").FindNode("idea"));
        var branch = _workspace.Replay("kb", path: "explore");
        Assert.NotNull(branch.FindNode("idea"));
        Assert.Null(branch.FindNode("main-only"));

        var merge = _workspace.Paths.Merge("kb", "explore", "agent");
        Assert.True(merge.Merged);
        Assert.Empty(merge.Conflicts);
        Assert.Equal("branch idea", _workspace.Copy("kb").FindNode("idea")!.Text);
        Assert.NotNull(_workspace.Copy("kb").FindNode("main-only"));
        var path = _workspace.Paths.Read("kb").Find("explore")!;
        Assert.Equal(PathStatus.Merged, path.Status);
        Assert.Equal(merge.Record!.Event!.Id, path.MergeEvent);
        Assert.Equal("merged", merge.Record.Event.Kind);
        Assert.Equal(MemoryPaths.Main, _workspace.Paths.Read("kb").Active);
        Assert.Contains("b-1", path.Events);
        Assert.Equal("MC5013", Assert.Throws<MemoryStoreException>(() => _workspace.Paths.Merge("kb", "explore", "agent")).Code);
    }

    [Fact]
    public void A_node_changed_on_both_sides_waits_for_a_decision_and_the_decision_is_applied()
    {
        _workspace.Paths.Branch("kb", "rewrite", "agent");
        _workspace.Append("kb", TestSupport.Event("b-1", "updated", path: "rewrite", nodes: "decision"), new GraphChanges { PutNodes = [TestSupport.Node("decision", "decision", text: "branch text")] });
        _workspace.Append("kb", TestSupport.Event("m-1", "updated", nodes: "decision"), new GraphChanges { PutNodes = [TestSupport.Node("decision", "decision", text: "main text")] });

        var waiting = _workspace.Paths.Merge("kb", "rewrite", "agent");
        Assert.False(waiting.Merged);
        var conflict = Assert.Single(waiting.Conflicts);
        Assert.Equal("decision", conflict.Id);
        Assert.Equal("main text", _workspace.Copy("kb").FindNode("decision")!.Text);
        Assert.Equal(PathStatus.Open, _workspace.Paths.Read("kb").Find("rewrite")!.Status);
        var denied = _workspace.AuditTrail().Last();
        Assert.Equal((AuditDecision.Denied, "merge"), (denied.Decision, denied.Action));
        Assert.Equal("MC5012", waiting.Diagnostic!.Code);
        Assert.Equal("merging path 'rewrite' into 'main' needs a decision on 1 conflict(s): node 'decision' was changed on both 'rewrite' and 'main'", denied.Reason);

        var merged = _workspace.Paths.Merge("kb", "rewrite", "agent", new Dictionary<string, MergeChoice> { ["decision"] = MergeChoice.Branch });
        Assert.True(merged.Merged);
        Assert.Equal("branch text", _workspace.Copy("kb").FindNode("decision")!.Text);
    }

    [Fact]
    public void A_contradicts_edge_against_what_the_other_side_asserts_is_a_conflict_and_parent_choice_leaves_it_out()
    {
        _workspace.Paths.Branch("kb", "doubt", "agent");
        _workspace.Append("kb", TestSupport.Event("b-1", path: "doubt", nodes: "counter"), new GraphChanges
        {
            PutNodes = [TestSupport.Node("counter")],
            PutEdges = [new GraphEdge("e-counter", "contradicts", "counter", "fact-public")],
        });
        _workspace.Append("kb", TestSupport.Event("m-1", "updated", nodes: "fact-public"), new GraphChanges { PutNodes = [TestSupport.Node("fact-public", "source_fact", text: "re-asserted")] });

        var waiting = _workspace.Paths.Merge("kb", "doubt", "agent");
        Assert.False(waiting.Merged);
        Assert.Equal("e-counter", Assert.Single(waiting.Conflicts).Id);
        Assert.Contains("contradicts", waiting.Conflicts[0].Reason, StringComparison.Ordinal);

        var merged = _workspace.Paths.Merge("kb", "doubt", "agent", new Dictionary<string, MergeChoice> { ["e-counter"] = MergeChoice.Parent });
        Assert.True(merged.Merged);
        var main = _workspace.Copy("kb");
        Assert.NotNull(main.FindNode("counter"));
        Assert.Null(main.FindEdge("e-counter"));
        Assert.Equal("re-asserted", main.FindNode("fact-public")!.Text);
    }

    [Fact]
    public void A_node_in_conflict_for_two_reasons_is_one_conflict_with_both_reasons_and_one_decision_settles_it()
    {
        // Seed 2YQ8wpqiOIW1 of OperationSequenceTests: the same node changed on both sides and, on main, newly
        // contradicted; the merge reported it twice, so decisions keyed by id could not be built from the conflicts.
        _workspace.Paths.Branch("kb", "rewrite", "agent");
        _workspace.Append("kb", TestSupport.Event("b-1", "updated", path: "rewrite", nodes: "decision"), new GraphChanges { PutNodes = [TestSupport.Node("decision", "decision", text: "branch text")] });
        _workspace.Append("kb", TestSupport.Event("m-1", "updated", nodes: "decision"), new GraphChanges
        {
            PutNodes = [TestSupport.Node("decision", "decision", text: "main text"), TestSupport.Node("doubt")],
            PutEdges = [new GraphEdge("e-doubt", "contradicts", "doubt", "decision")],
        });

        var waiting = _workspace.Paths.Merge("kb", "rewrite", "agent");
        Assert.False(waiting.Merged);
        var conflict = Assert.Single(waiting.Conflicts);
        Assert.Equal("decision", conflict.Id);
        Assert.Equal("node 'decision' was changed on both 'rewrite' and 'main'; 'main' adds 'e-doubt' (doubt contradicts decision) against node 'decision', which 'rewrite' changed", conflict.Reason);
        Assert.StartsWith("merging path 'rewrite' into 'main' needs a decision on 1 conflict(s): ", waiting.Diagnostic!.Message, StringComparison.Ordinal);

        var merged = _workspace.Paths.Merge("kb", "rewrite", "agent", waiting.Conflicts.ToDictionary(pending => pending.Id, _ => MergeChoice.Branch));
        Assert.True(merged.Merged);
        Assert.Equal("branch text", _workspace.Copy("kb").FindNode("decision")!.Text);
        Assert.NotNull(_workspace.Copy("kb").FindEdge("e-doubt"));
    }

    [Fact]
    public void Abandon_keeps_the_reason_and_the_branch_never_reaches_main_and_compaction_summarizes_it()
    {
        _workspace.Paths.Branch("kb", "dead-end", "agent");
        _workspace.Append("kb", TestSupport.Event("b-1", path: "dead-end", nodes: "wrong") with { Summary = "tried a shortcut" }, new GraphChanges { PutNodes = [TestSupport.Node("wrong") with { Source = new SourceSpan("notes.md", 3, 5) }] });
        _workspace.Paths.Abandon("kb", "dead-end", "the shortcut skips validation", "agent");

        var book = _workspace.Paths.Read("kb");
        var path = book.Find("dead-end")!;
        Assert.Equal(PathStatus.Abandoned, path.Status);
        Assert.Equal("the shortcut skips validation", path.AbandonReason);
        Assert.Equal(MemoryPaths.Main, book.Active);
        Assert.Null(_workspace.Copy("kb").FindNode("wrong"));
        Assert.Equal("MC5013", Assert.Throws<MemoryStoreException>(() => _workspace.Append("kb", TestSupport.Event("late", path: "dead-end"))).Code);
        Assert.Equal("MC5013", Assert.Throws<MemoryStoreException>(() => _workspace.Paths.Branch("kb", "x", "agent", from: "dead-end")).Code);

        _workspace.Paths.Compact("kb", "dead-end", "dead-end-summary", "What the dead end taught", "agent");
        var summary = _workspace.Copy("kb").FindNode("dead-end-summary")!;
        Assert.Equal("episode", summary.Kind);
        Assert.Equal(["wrong"], summary.Provenance!.DerivedFrom);
        Assert.Contains("tried a shortcut", summary.Text, StringComparison.Ordinal);
        Assert.Equal("notes.md:3-5", summary.Attributes.Single(pair => pair.Key == "source_spans").Value.Text);
        Assert.Equal("dead-end-summary", _workspace.Paths.Read("kb").Find("dead-end")!.CompactedInto);
    }

    [Fact]
    public void Paths_named_by_fixture_events_are_read_as_branches_of_main()
    {
        using var workspace = MemoryWorkspace.InMemory();
        workspace.Import(TestSupport.Example("conversation-path.yaml"), "tester");
        var book = workspace.Paths.Read("conversation-path");
        Assert.Contains(book.All, path => path.Id == "shortcut" && path.Parent == MemoryPaths.Main);
        Assert.NotEmpty(book.Find("shortcut")!.Events);
    }
}
