using MemoryContracts.Model;
using MemoryContracts.Runtime.Paths;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>Issue 13, findings 9 to 11: a merge never loses a branch's work and never leaves a dangling edge.</summary>
public sealed class MergeSafetyTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("merge-safety");
    private readonly MemoryWorkspace _workspace = MemoryWorkspace.InMemory();

    public MergeSafetyTests() => _workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_nested_path_cannot_merge_into_a_parent_that_is_already_merged()
    {
        _workspace.Paths.Branch("kb", "outer", "agent");
        _workspace.Paths.Branch("kb", "inner", "agent", from: "outer");
        _workspace.Append("kb", TestSupport.Event("inner-work", path: "inner", nodes: "inner-node"), new GraphChanges { PutNodes = [TestSupport.Node("inner-node")] });
        Assert.True(_workspace.Paths.Merge("kb", "outer", "agent").Merged);

        var refused = Assert.Throws<MemoryStoreException>(() => _workspace.Paths.Merge("kb", "inner", "agent"));
        Assert.Equal("MC5013", refused.Code);
        Assert.Contains("its parent path 'outer' is merged; a path merges only into an open parent", refused.Message, StringComparison.Ordinal);
        Assert.Equal(PathStatus.Open, _workspace.Paths.Read("kb").Find("inner")!.Status);
    }

    [Fact]
    public void A_decision_on_an_id_that_is_not_in_conflict_is_refused_and_nothing_is_merged()
    {
        _workspace.Paths.Branch("kb", "side", "agent");
        _workspace.Append("kb", TestSupport.Event("side-work", path: "side", nodes: "side-node"), new GraphChanges { PutNodes = [TestSupport.Node("side-node")] });
        foreach (var decided in new[] { "side-node", "no-such-id" })
        {
            var refused = Assert.Throws<MemoryStoreException>(() => _workspace.Paths.Merge("kb", "side", "agent", new Dictionary<string, MergeChoice> { [decided] = MergeChoice.Parent }));
            Assert.Equal("MC5013", refused.Code);
            Assert.Contains($"decisions name '{decided}', which is not in conflict", refused.Message, StringComparison.Ordinal);
        }

        Assert.Null(_workspace.Copy("kb").FindNode("side-node"));
        Assert.True(_workspace.Paths.Merge("kb", "side", "agent").Merged);
        Assert.NotNull(_workspace.Copy("kb").FindNode("side-node"));
    }

    [Fact]
    public void Deleting_a_node_the_other_side_newly_references_is_a_conflict_and_no_decision_leaves_an_edge_dangling()
    {
        _workspace.Paths.Branch("kb", "cleanup", "agent");
        _workspace.Append("kb", TestSupport.Event("drop", "updated", path: "cleanup"), new GraphChanges { RemoveNodes = ["assumption-old"] });
        _workspace.Append("kb", TestSupport.Event("cite", "updated", nodes: "decision"), new GraphChanges { PutEdges = [new GraphEdge("e-cites-old", "supports", "assumption-old", "decision")] });

        var result = _workspace.Paths.Merge("kb", "cleanup", "agent");
        Assert.False(result.Merged);
        Assert.Equal("MC5012", result.Diagnostic!.Code);
        Assert.Contains("'cleanup' deletes node 'assumption-old', which 'main' newly references with edge 'e-cites-old'", result.Diagnostic.Message, StringComparison.Ordinal);

        var dangling = Assert.Throws<MemoryStoreException>(() => _workspace.Paths.Merge("kb", "cleanup", "agent", new Dictionary<string, MergeChoice> { ["assumption-old"] = MergeChoice.Branch }));
        Assert.Contains("would leave an edge without its node", dangling.Message, StringComparison.Ordinal);
        Assert.True(_workspace.Paths.Merge("kb", "cleanup", "agent", new Dictionary<string, MergeChoice> { ["assumption-old"] = MergeChoice.Parent }).Merged);
        var state = _workspace.Copy("kb");
        Assert.NotNull(state.FindNode("assumption-old"));
        Assert.NotNull(state.FindEdge("e-cites-old"));
        Assert.DoesNotContain(_workspace.Repair(), diagnostic => diagnostic.IsError);
    }
}
