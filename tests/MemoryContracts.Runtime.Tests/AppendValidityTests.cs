using System.Text;
using MemoryContracts.Model;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 12, finding 12: an append must keep the graph one the contract accepts. Each refused record changes nothing,
/// and after the accepted ones the export validates and imports again.
/// </summary>
public sealed class AppendValidityTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("append-validity");
    private readonly MemoryWorkspace _workspace;

    public AppendValidityTests()
    {
        _workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ws"));
        _workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
    }

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private MemoryStoreException Refused(string code, GraphEvent graphEvent, GraphChanges? changes = null)
    {
        var before = _workspace.Export("kb");
        var refusal = Assert.Throws<MemoryStoreException>(() => _workspace.Append("kb", graphEvent, changes));
        Assert.Contains(code, refusal.Diagnostics.Select(diagnostic => diagnostic.Code));
        Assert.Equal(before, _workspace.Export("kb"));
        return refusal;
    }

    [Fact]
    public void An_event_with_an_empty_id_is_refused()
    {
        var refusal = Refused("MC1003", TestSupport.Event(""));
        Assert.Contains("the appended record: ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removal_that_leaves_an_edge_dangling_is_refused_and_one_that_takes_its_edges_along_is_not()
    {
        _workspace.Append("kb", TestSupport.Event("add-doubt"), new GraphChanges { PutNodes = [TestSupport.Node("doubt")], PutEdges = [new GraphEdge("e-doubt", "supports", "doubt", "decision")] });
        var refusal = Refused("MC2005", TestSupport.Event("drop-doubt", "updated"), new GraphChanges { RemoveNodes = ["doubt"] });
        Assert.Contains("edge 'e-doubt' starts at node 'doubt', which the graph does not define", refusal.Message, StringComparison.Ordinal);
        _workspace.Append("kb", TestSupport.Event("drop-doubt", "updated"), new GraphChanges { RemoveNodes = ["doubt"], RemoveEdges = ["e-doubt"] });
        AssertExportValidatesAndReimports();
    }

    [Fact]
    public void Text_and_numbers_json_cannot_hold_are_refused_not_altered_or_thrown()
    {
        // The JSON writer replaced an unpaired surrogate with U+FFFD, so the record was stored with other text than the
        // caller gave; it threw ArgumentException on a confidence that is not finite.
        var surrogate = Refused("MC1001", TestSupport.Event("lone"), new GraphChanges { PutNodes = [TestSupport.Node("n") with { Title = "half \ud800 a pair" }] });
        Assert.Contains("the appended record: not well-formed JSON: the string holds an unpaired surrogate", surrogate.Message, StringComparison.Ordinal);
        var nan = Refused("MC1001", TestSupport.Event("nan"), new GraphChanges { PutNodes = [TestSupport.Node("n") with { Provenance = new Provenance { Method = "manual", Confidence = double.NaN } }] });
        Assert.Contains("the number NaN has no JSON spelling", nan.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_workspace.Events("kb"), graphEvent => graphEvent.Id is "lone" or "nan");
    }

    [Fact]
    public void Invalid_element_fields_are_refused_as_an_import_would_refuse_them()
    {
        Refused("MC2001", TestSupport.Event("bad-kind"), new GraphChanges { PutNodes = [TestSupport.Node("n", kind: "assumpton")] });
        Refused("MC1003", TestSupport.Event("bad-zone"), new GraphChanges { PutNodes = [TestSupport.Node("n") with { Policy = new MemoryPolicy { TrustZone = "bogus" } }] });
        Refused("MC1003", TestSupport.Event("bad-node-id"), new GraphChanges { PutNodes = [TestSupport.Node("")] });
        Refused("MC1003", TestSupport.Event("bad-time", at: "yesterday"));
        Refused("MC2004", TestSupport.Event("twice"), new GraphChanges { PutNodes = [TestSupport.Node("n"), TestSupport.Node("n")] });
    }

    [Fact]
    public void Ids_stay_unique_across_nodes_edges_and_events()
    {
        Refused("MC2004", TestSupport.Event("decision"));
        Refused("MC2004", TestSupport.Event("same", nodes: "same"), new GraphChanges { PutNodes = [TestSupport.Node("same")] });
        Refused("MC2004", TestSupport.Event("new-node"), new GraphChanges { PutNodes = [TestSupport.Node("ev-recorded")] });
        _workspace.Append("kb", TestSupport.Event("ev-new", nodes: "n-new"), new GraphChanges { PutNodes = [TestSupport.Node("n-new")] });
        AssertExportValidatesAndReimports();
    }

    [Fact]
    public void The_command_line_refuses_the_same_records()
    {
        var workspace = Path.Combine(_folder, "ws");
        _workspace.Dispose();
        var empty = TestSupport.Write(_folder, "empty-id.json", """{"event": {"id": "", "kind": "recorded", "at": "2026-11-21T10:00:00Z"}}""");
        Assert.Equal(1, TestSupport.Run(out var output, "store", "append", "-w", workspace, "-g", "kb", "--record", empty));
        Assert.Contains("error MC1003: the appended record: ", output, StringComparison.Ordinal);
    }

    private void AssertExportValidatesAndReimports()
    {
        var exported = TestSupport.Write(_folder, "exported.json", Encoding.UTF8.GetString(_workspace.Export("kb")));
        Assert.DoesNotContain(new ContractValidator().Validate(exported).Diagnostics, diagnostic => diagnostic.IsError);
        using var again = MemoryWorkspace.InMemory();
        again.Import(exported, "tester");
        Assert.Equal(_workspace.Export("kb"), again.Export("kb"));
    }
}
