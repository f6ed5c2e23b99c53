using MemoryContracts.Model;
using MemoryContracts.IO;
using MemoryContracts.Runtime.Storage.Files;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

public sealed class WorkspaceTests
{
    [Fact]
    public void Import_export_import_again_gives_identical_bytes_for_every_example_graph()
    {
        foreach (var example in new[] { "decision-graph.yaml", "conversation-path.yaml", "knowledge-neighborhood.yaml" })
        {
            var folder = TestSupport.TempFolder("roundtrip");
            byte[] first;
            string graphId;
            using (var workspace = MemoryWorkspace.Create(Path.Combine(folder, "one")))
            {
                graphId = workspace.Import(TestSupport.Example(example), "tester");
                first = workspace.Export(graphId);
            }

            var exported = TestSupport.Write(folder, "exported.json", System.Text.Encoding.UTF8.GetString(first));
            using var second = MemoryWorkspace.Create(Path.Combine(folder, "two"));
            Assert.Equal(graphId, second.Import(exported, "tester"));
            Assert.Equal(first, second.Export(graphId));
        }
    }

    [Fact]
    public void Export_is_a_valid_graph_envelope_with_every_node_edge_and_event_of_the_fixture()
    {
        using var workspace = MemoryWorkspace.InMemory();
        workspace.Import(TestSupport.Example("decision-graph.yaml"), "tester");
        var result = new Validation.ContractValidator().Validate("export.json", workspace.Export("decision-graph"));
        Assert.Empty(result.Diagnostics);
        var original = new Validation.ContractValidator().Validate(TestSupport.Example("decision-graph.yaml")).Graph!;
        Assert.Equal(original.Nodes.Select(node => node.Id), result.Graph!.Nodes.Select(node => node.Id));
        Assert.Equal(original.Edges.Select(edge => edge.Id), result.Graph.Edges.Select(edge => edge.Id));
        Assert.Equal(original.Events.Select(graphEvent => graphEvent.Id), result.Graph.Events.Select(graphEvent => graphEvent.Id));
    }

    [Fact]
    public void An_invalid_fixture_is_refused_with_its_diagnostics_and_nothing_is_written()
    {
        var folder = TestSupport.TempFolder("refused");
        using var workspace = MemoryWorkspace.Create(folder);
        var refused = Assert.Throws<MemoryStoreException>(() => workspace.Import(TestSupport.Example("invalid-memory-graph.yaml"), "tester"));
        Assert.Contains(refused.Diagnostics, diagnostic => diagnostic.Code == "MC2005" && diagnostic.Location.Line == 14 && diagnostic.Location.Column == 11);
        Assert.Equal("MC5015", refused.Diagnostics[^1].Code);
        Assert.Empty(workspace.Graphs);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(folder, "graphs")));
        var audit = Assert.Single(workspace.AuditTrail());
        Assert.Equal(AuditDecision.Denied, audit.Decision);

        var selection = Assert.Throws<MemoryStoreException>(() => workspace.Import(TestSupport.Example("decision-graph-selection.yaml"), "tester"));
        Assert.Equal("MC5015", Assert.Single(selection.Diagnostics).Code);
    }

    [Fact]
    public void Nodes_list_by_kind_and_edges_by_source_or_target()
    {
        using var workspace = MemoryWorkspace.InMemory();
        var folder = TestSupport.TempFolder("lists");
        workspace.Import(TestSupport.Write(folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        Assert.Equal(["fact-public", "fact-secret"], workspace.Nodes("kb", "source_fact").Select(node => node.Id));
        Assert.Equal(6, workspace.Nodes("kb").Count);
        Assert.Equal(["e-supports", "e-secret-supports"], workspace.Edges("kb", target: "decision").Select(edge => edge.Id));
        Assert.Equal(["e-supports"], workspace.Edges("kb", source: "fact-public").Select(edge => edge.Id));
        Assert.Equal(["e-supports"], workspace.Edges("kb", source: "fact-public", target: "decision").Select(edge => edge.Id));
        Assert.Empty(workspace.Edges("kb", source: "decision"));
        var unknown = Assert.Throws<MemoryStoreException>(() => workspace.Nodes("nope"));
        Assert.Equal("MC5014", unknown.Code);
    }

    [Fact]
    public void Appended_events_filter_by_kind_and_refuse_duplicates_and_unknown_kinds()
    {
        using var workspace = MemoryWorkspace.InMemory();
        workspace.Import(TestSupport.Example("decision-graph.yaml"), "tester");
        var stored = workspace.Append("decision-graph", TestSupport.Event("new-1", "recorded", nodes: "n-new"), new GraphChanges { PutNodes = [TestSupport.Node("n-new")] });
        Assert.Equal("n-new", workspace.Nodes("decision-graph", "claim").Last().Id);
        Assert.Equal(stored.Sequence, workspace.Copy("decision-graph").Sequence);

        Assert.Equal("MC5008", Assert.Throws<MemoryStoreException>(() => workspace.Append("decision-graph", TestSupport.Event("new-1"))).Code);
        var kinds = Assert.Throws<MemoryStoreException>(() => workspace.Append("decision-graph", TestSupport.Event("new-2", "exploded"), new GraphChanges { PutNodes = [TestSupport.Node("x", "gizmo")], PutEdges = [new GraphEdge("e", "hates", "x", "x")] }));
        Assert.Equal(["MC2001", "MC2002", "MC2003"], kinds.Diagnostics.Select(diagnostic => diagnostic.Code));
        Assert.Equal("MC1003", Assert.Throws<MemoryStoreException>(() => workspace.Append("decision-graph", TestSupport.Event("new-3", at: "yesterday"))).Code);

        Assert.All(workspace.Events("decision-graph", "recorded"), graphEvent => Assert.Equal("recorded", graphEvent.Kind));
        Assert.Contains(workspace.Events("decision-graph", "recorded"), graphEvent => graphEvent.Id == "new-1");
        Assert.DoesNotContain(workspace.Events("decision-graph"), graphEvent => graphEvent.Id is "new-2" or "new-3");
    }

    [Fact]
    public void Replay_rebuilds_any_past_state_by_event_or_by_time()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        using var workspace = MemoryWorkspace.InMemory(new WorkspaceOptions { Clock = clock });
        var folder = TestSupport.TempFolder("replay");
        workspace.Import(TestSupport.Write(folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        workspace.Append("kb", TestSupport.Event("add-a", at: "2026-11-22T00:00:00Z"), new GraphChanges { PutNodes = [TestSupport.Node("a", text: "first")] });
        workspace.Append("kb", TestSupport.Event("change-a", "updated", at: "2026-11-23T00:00:00Z"), new GraphChanges { PutNodes = [TestSupport.Node("a", text: "second")] });
        workspace.Checkpoint(); // cutoffs after the snapshot start from it, earlier ones replay from the start
        workspace.Append("kb", TestSupport.Event("drop-a", "updated", at: "2026-11-24T00:00:00Z"), new GraphChanges { RemoveNodes = ["a"] });

        Assert.Equal("first", workspace.Replay("kb", ReplayCutoff.AfterEvent("add-a")).FindNode("a")!.Text);
        Assert.Equal("second", workspace.Replay("kb", ReplayCutoff.AfterEvent("change-a")).FindNode("a")!.Text);
        Assert.Null(workspace.Replay("kb", ReplayCutoff.AfterEvent("drop-a")).FindNode("a"));
        Assert.Equal("second", workspace.Replay("kb", ReplayCutoff.At(DateTimeOffset.Parse("2026-11-23T12:00:00Z"))).FindNode("a")!.Text);
        var beforeEverything = workspace.Replay("kb", ReplayCutoff.At(DateTimeOffset.Parse("2025-01-01T00:00:00Z")));
        Assert.Equal(0, beforeEverything.NodeCount);
        Assert.Equal(6, workspace.Replay("kb", ReplayCutoff.AfterEvent("ev-decided")).NodeCount);
        Assert.Equal("MC5014", Assert.Throws<MemoryStoreException>(() => workspace.Replay("kb", ReplayCutoff.AfterEvent("never"))).Code);
        Assert.Equal(workspace.Export("kb"), workspace.Export(workspace.Replay("kb")));
    }

    [Fact]
    public void A_reopened_workspace_has_the_same_state_with_or_without_a_snapshot()
    {
        var folder = TestSupport.TempFolder("reopen");
        byte[] before;
        using (var workspace = MemoryWorkspace.Create(folder))
        {
            workspace.Import(TestSupport.Example("decision-graph.yaml"), "tester");
            workspace.Checkpoint();
            workspace.Append("decision-graph", TestSupport.Event("after-checkpoint"), new GraphChanges { PutNodes = [TestSupport.Node("late")] });
            before = workspace.Export("decision-graph");
        }

        using (var reopened = MemoryWorkspace.Open(folder))
        {
            Assert.Equal(before, reopened.Export("decision-graph"));
        }

        File.Delete(new WorkspaceLayout(folder).SnapshotFile("decision-graph"));
        using var replayed = MemoryWorkspace.Open(folder);
        Assert.Equal(before, replayed.Export("decision-graph"));
    }

    [Fact]
    public void Ids_never_escape_the_workspace_or_collide()
    {
        var names = new[] { "../../x", "..", ".", "a/b", "a\\b", "A", "a", "con", "CON", "~7e", "~", new string('x', 300), new string('x', 299) + "y" }
            .Select(IdFileName.For).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, name =>
        {
            Assert.DoesNotContain('/', name);
            Assert.DoesNotContain('\\', name);
            Assert.DoesNotContain('.', name);
            Assert.True(name.Length <= 120, name);
            Assert.NotEqual("con", name);
        });

        var folder = TestSupport.TempFolder("traversal");
        var outside = Path.Combine(Path.GetDirectoryName(folder)!, "x");
        using var workspace = MemoryWorkspace.Create(Path.Combine(folder, "ws"));
        var graph = TestSupport.Write(folder, "evil.yaml", "schema_version: markitect.memory.graph.v1\nid: ../../x\nnodes: [{id: n, kind: claim, title: t}]\n");
        var upper = TestSupport.Write(folder, "upper.yaml", "schema_version: markitect.memory.graph.v1\nid: A\nnodes: [{id: n, kind: claim, title: upper}]\n");
        var lower = TestSupport.Write(folder, "lower.yaml", "schema_version: markitect.memory.graph.v1\nid: a\nnodes: [{id: n, kind: claim, title: lower}]\n");
        workspace.Import(graph, "tester");
        workspace.Import(upper, "tester");
        workspace.Import(lower, "tester");
        Assert.False(Directory.Exists(outside));
        Assert.Equal(["../../x", "A", "a"], workspace.Graphs);
        Assert.Equal("upper", workspace.Nodes("A")[0].Title);
        Assert.Equal("lower", workspace.Nodes("a")[0].Title);
        Assert.All(Directory.GetDirectories(Path.Combine(folder, "ws", "graphs")), directory => Assert.StartsWith(Path.Combine(folder, "ws", "graphs"), Path.GetFullPath(directory), StringComparison.Ordinal));
    }

    [Fact]
    public void A_second_opener_gets_MC5002_and_a_foreign_layout_gets_MC5001()
    {
        var folder = TestSupport.TempFolder("lock");
        using (var first = MemoryWorkspace.Create(folder))
        {
            var locked = Assert.Throws<MemoryStoreException>(() => MemoryWorkspace.Open(folder, new WorkspaceOptions { LockTimeout = TimeSpan.FromMilliseconds(100) }));
            Assert.Equal("MC5002", locked.Code);
        }

        using (MemoryWorkspace.Open(folder))
        {
        }

        File.WriteAllText(Path.Combine(folder, "workspace.json"), "{\"format\": \"markitect.memory.workspace\", \"layout\": 2}");
        var layout = Assert.Throws<MemoryStoreException>(() => MemoryWorkspace.Open(folder));
        Assert.Equal("MC5001", layout.Code);
        Assert.Contains("layout 2", layout.Message, StringComparison.Ordinal);
        Assert.Equal("MC5001", Assert.Throws<MemoryStoreException>(() => MemoryWorkspace.Open(TestSupport.TempFolder("empty"))).Code);
    }
}
