using MemoryContracts.Model;
using MemoryContracts.Runtime.Lifecycle;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 13, finding 7: lineage reaches nodes that live only on a branch, so merging the branch after a forget brings
/// back nothing that quotes the forgotten text.
/// </summary>
public sealed class BranchLineageTests : IDisposable
{
    private const string Secret = "ZEBRA-BRANCH-SECRET";

    private const string Graph = $$"""
        schema_version: markitect.memory.graph.v1
        id: kb
        nodes:
          - {id: secret, kind: claim, title: "{{Secret}}"}
          - {id: other, kind: claim, title: kept}
        """;

    private const string Profile = "schema_version: markitect.memory.profile.v1\nid: p\nmemory_kinds: [conversation]\nstores: {conversation: local-event-log}\nactivation: {max_items: 5}\n";

    private readonly string _folder = TestSupport.TempFolder("branch-lineage");
    private readonly MemoryWorkspace _workspace;

    public BranchLineageTests()
    {
        _workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ws"));
        _workspace.Import(TestSupport.Write(_folder, "kb.yaml", Graph), "tester");
        _workspace.Import(TestSupport.Write(_folder, "p.yaml", Profile), "tester");
        _workspace.Paths.Branch("kb", "side", "agent");
        var quote = TestSupport.Node("quote", text: "it said " + Secret) with { Provenance = new Provenance { Method = "derived", DerivedFrom = ["secret"] } };
        _workspace.Append("kb", TestSupport.Event("quoted", path: "side", nodes: "quote"), new GraphChanges
        {
            PutNodes = [quote, TestSupport.Node("cites", text: "a branch note")],
            PutEdges = [new GraphEdge("cites--supports--secret", "supports", "cites", "secret")],
        });
    }

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Forgetting_with_lineage_forgets_a_branch_only_descendant_and_the_merge_brings_none_of_it_back()
    {
        var plan = _workspace.Lifecycle.Plan("kb", "p", new LifecycleRequest { Retention = false, Forget = ["secret"], Lineage = LineagePolicy.Forget });
        Assert.Equal([("forget", "quote"), ("forget", "secret")], plan.Actions.Select(action => (action.Action, action.Node)));
        Assert.Equal("derived from 'secret', which is forgotten", plan.Actions[0].Reason);
        _workspace.Lifecycle.Apply(plan, null, "forgetter");

        Assert.True(_workspace.Paths.Merge("kb", "side", "agent").Merged);
        var main = _workspace.Copy("kb");
        Assert.Null(main.FindNode("quote"));
        Assert.NotNull(main.FindNode("cites"));
        Assert.DoesNotContain(main.Edges, edge => edge.Target == "secret");
        Assert.True(main.Tombstones.ContainsKey("quote"));
        Assert.All(Directory.GetFiles(Path.Combine(_folder, "ws"), "*", SearchOption.AllDirectories).Where(path => !path.EndsWith(".lock", StringComparison.Ordinal)),
            path => Assert.DoesNotContain(Secret, File.ReadAllText(path), StringComparison.Ordinal));
        Assert.DoesNotContain(_workspace.Repair(), diagnostic => diagnostic.IsError);
    }

    [Fact]
    public void Forgetting_with_lineage_review_flags_a_branch_only_descendant_which_arrives_flagged()
    {
        var plan = _workspace.Lifecycle.Plan("kb", "p", new LifecycleRequest { Retention = false, Forget = ["secret"] });
        Assert.Equal([("review", "quote"), ("forget", "secret")], plan.Actions.Select(action => (action.Action, action.Node)));
        _workspace.Lifecycle.Apply(plan, null, "forgetter");

        Assert.True(_workspace.Paths.Merge("kb", "side", "agent").Merged);
        var main = _workspace.Copy("kb");
        Assert.NotNull(main.FindNode("quote"));
        Assert.Contains("quote", main.Reviews.Keys);
        Assert.DoesNotContain(main.Edges, edge => edge.Target == "secret");
    }
}
