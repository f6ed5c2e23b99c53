using MemoryContracts.Runtime.Context;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>Issue 13, audit: what each operation records says who did it, what it touched, and under which operation id.</summary>
public sealed class OperationRecordTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("operations");

    private string Workspace => Path.Combine(_folder, "ws");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Append_takes_the_actor_and_import_records_the_node_ids()
    {
        TestSupport.Run(out _, "store", "init", "-w", Workspace);
        Assert.Equal(0, TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "--actor", "importer"));
        var record = TestSupport.Write(_folder, "record.json", """{"event": {"id": "by-alice", "kind": "recorded", "at": "2026-11-21T10:00:00Z"}}""");
        Assert.Equal(0, TestSupport.Run(out var appended, "store", "append", "-w", Workspace, "-g", "kb", "--record", record, "--actor", "alice"));
        Assert.StartsWith("appended by-alice at ", appended, StringComparison.Ordinal);

        using var workspace = MemoryWorkspace.Open(Workspace);
        Assert.Equal("alice", workspace.Events("kb").Single(graphEvent => graphEvent.Id == "by-alice").Actor);
        var import = workspace.AuditTrail().Single(entry => entry.Action == "import");
        Assert.Equal(["kb", "fact-public", "fact-secret", "assumption-old", "summary-of-secret", "digest", "decision"], import.Affected);
        Assert.Equal("importer", import.Actor);
    }

    [Fact]
    public void Every_registry_lifecycle_entry_carries_an_operation_id_of_its_own()
    {
        var catalog = TestSupport.CopyCatalog("operations-catalog");
        var registry = new ContextRegistry(Path.Combine(catalog, ".memory", "context"), new ContextRegistryOptions { FixtureRoot = catalog });
        var entry = registry.Pack(ContextRegistry.RecipeFor(Path.Combine(catalog, "decision-graph-selection.yaml"), root: catalog), "tester");
        registry.Activate(entry.Namespace, entry.Id, "agent");
        registry.Deactivate(entry.Namespace, entry.Id, "agent");
        var operations = registry.History(entry.Namespace, entry.Id).Select(item => item.Operation).ToArray();
        Assert.Equal(3, operations.Length);
        Assert.All(operations, operation => Assert.Matches("^op-[0-9a-f]{16}$", operation));
        Assert.Equal(3, operations.Distinct().Count());
    }
    [Fact]
    public void A_refused_append_and_a_refused_retrieval_each_leave_one_denied_record()
    {
        using var workspace = MemoryWorkspace.InMemory();
        workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "importer");
        var first = TestSupport.Event("twice") with { Actor = "alice" };
        workspace.Append("kb", first);
        var refused = Assert.Throws<MemoryStoreException>(() => workspace.Append("kb", first));
        Assert.Equal("MC5008", refused.Code);
        var append = workspace.AuditTrail().Last();
        Assert.Equal(("append", AuditDecision.Denied, "alice", "kb"), (append.Action, append.Decision, append.Actor, append.Graph));
        Assert.Equal(["twice"], append.Affected);
        Assert.Contains("MC5008", append.Reason, StringComparison.Ordinal);

        var before = workspace.AuditTrail().Count();
        Assert.Equal("MC5014", Assert.Throws<MemoryStoreException>(() => workspace.Retrieval.Retrieve(new Retrieval.RetrievalQuery.Neighborhood("kb", "no-such-node"), new Retrieval.RetrievalSubject("bob", []))).Code);
        var retrieve = Assert.Single(workspace.AuditTrail().Skip(before));
        Assert.Equal(("retrieve", AuditDecision.Denied, "bob"), (retrieve.Action, retrieve.Decision, retrieve.Actor));
        Assert.Contains("MC5014", retrieve.Reason, StringComparison.Ordinal);
    }
    [Fact]
    public void Every_audited_operation_leaves_exactly_one_denied_record_when_it_is_refused()
    {
        using var workspace = MemoryWorkspace.InMemory();
        workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "importer");
        workspace.Paths.Branch("kb", "side", "agent");
        var approval = new Approval("carol", "2026-11-21T12:00:00Z", "looked");
        var refusals = new (string Action, string Code, Action Call)[]
        {
            ("branch", "MC5013", () => workspace.Paths.Branch("kb", "side", "agent")),
            ("branch", "MC5014", () => workspace.Paths.Branch("kb", "other", "agent", from: "no-such-path")),
            ("merge", "MC5014", () => workspace.Paths.Merge("kb", "no-such-path", "agent")),
            ("merge", "MC5013", () => workspace.Paths.Merge("kb", "main", "agent")),
            ("abandon", "MC5014", () => workspace.Paths.Abandon("kb", "no-such-path", "why", "agent")),
            ("compact", "MC5014", () => workspace.Paths.Compact("kb", "no-such-path", "summary", "Summary", "agent")),
            ("settle_review", "MC5014", () => workspace.Lifecycle.SettleReviews("kb", ["no-such-node"], approval, "agent")),
            ("append", "MC5013", () => workspace.Append("kb", TestSupport.Event("on-main-path-record", "branched") with { Actor = "agent" })),
            ("retrieve", "MC5014", () => workspace.Retrieval.Retrieve(new Retrieval.RetrievalQuery.Episode("kb", "no-such-path"), new Retrieval.RetrievalSubject("agent", [], "public"))),
        };
        foreach (var (action, code, call) in refusals)
        {
            var before = workspace.AuditTrail().Count();
            Assert.Equal(code, Assert.Throws<MemoryStoreException>(call).Code);
            var record = Assert.Single(workspace.AuditTrail().Skip(before));
            Assert.Equal((action, AuditDecision.Denied, "agent"), (record.Action, record.Decision, record.Actor));
            Assert.Contains(code, record.Reason, StringComparison.Ordinal);
        }
    }
}
