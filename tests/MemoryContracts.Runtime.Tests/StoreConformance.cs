using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Storage.Files;
using MemoryContracts.Runtime.Storage.InMemory;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// The behaviour every adapter of the three ports must have. Each adapter runs this suite through a subclass; an
/// adapter passes when the same assertions hold for it (the PostgreSQL adapter is held to it too).
/// </summary>
public abstract class StoreConformance : IDisposable
{
    private Adapters _adapters;

    protected StoreConformance()
    {
        _adapters = Open();
    }

    private IMemoryGraphStore Store => _adapters.Store;

    private IMemoryEventLog Log => _adapters.Log;

    private IAuditSink AuditSink => _adapters.Audit;

    /// <summary>Opens the adapters (again, after <see cref="Close"/>, on the same storage).</summary>
    protected abstract Adapters Open();

    /// <summary>Releases what <see cref="Open"/> opened, keeping the storage.</summary>
    protected abstract void Close(Adapters adapters);

    public virtual void Dispose() => Close(_adapters);

    [ConformanceFact]
    public void Appends_get_consecutive_sequences_and_read_back_in_order()
    {
        var first = Log.Append("g", [Record("a"), Record("b")]);
        var second = Log.Append("g", [Record("c")]);
        Assert.Equal([1L, 2L], first.Select(record => record.Sequence));
        Assert.Equal(3, second[0].Sequence);
        Assert.Equal(["a", "b", "c"], Log.Read("g").Select(record => record.Event!.Id));
        Assert.Equal(["c"], Log.Read("g", afterSequence: 2).Select(record => record.Event!.Id));
        Assert.Equal(3, Log.LastSequence("g"));
        Assert.Equal(0, Log.LastSequence("other"));
    }

    [ConformanceFact]
    public void Duplicate_event_ids_are_refused_and_nothing_is_written()
    {
        Log.Append("g", [Record("a")]);
        var logged = Assert.Throws<MemoryStoreException>(() => Log.Append("g", [Record("b"), Record("a")]));
        Assert.Equal("MC5008", logged.Code);
        var twice = Assert.Throws<MemoryStoreException>(() => Log.Append("g", [Record("c"), Record("c")]));
        Assert.Equal("MC5008", twice.Code);
        Assert.Equal(["a"], Log.Read("g").Select(record => record.Event!.Id));
        Assert.True(Log.ContainsEvent("g", "a"));
        Assert.False(Log.ContainsEvent("g", "b"));
    }

    [ConformanceFact]
    public void An_append_at_a_stale_expected_position_is_refused()
    {
        Log.Append("g", [Record("a")]);
        var stale = Assert.Throws<MemoryStoreException>(() => Log.Append("g", [Record("b")], expectedSequence: 0));
        Assert.Equal("MC5011", stale.Code);
        Log.Append("g", [Record("b")], expectedSequence: 1);
        Assert.Equal(2, Log.LastSequence("g"));
    }

    [ConformanceFact]
    public void Records_round_trip_every_field_and_survive_reopening()
    {
        var node = new GraphNode("n1", "claim", "Title with ü and \"quotes\"")
        {
            Text = "line one\nline two",
            Source = new SourceSpan("docs/a.md", 1, 4, 2, 9),
            Provenance = new Provenance { Author = "alice", Method = "manual", RecordedAt = "2026-01-01T00:00:00Z", DerivedFrom = ["n0"], Confidence = 0.75 },
            Policy = new MemoryPolicy { Labels = ["a", "b"], TrustZone = "team", Reauthorize = "on_export", External = [new ExternalPolicyReference { DecisionId = "d1", Issuer = "opa" }] },
            Lifecycle = new MemoryLifecycle { State = "active", CreatedAt = "2026-01-01T00:00:00Z", StaleAfterDays = 30 },
            Attributes = [new("count", new AttributeValue(DocumentValueKind.Integer, "3")), new("ratio", new AttributeValue(DocumentValueKind.Float, "0.5")), new("flag", new AttributeValue(DocumentValueKind.Boolean, "true")), new("note", new AttributeValue(DocumentValueKind.String, "x"))],
        };
        var edge = new GraphEdge("e1", "supports", "n1", "n2") { Text = "because", Provenance = new Provenance { Author = "bob" } };
        var changes = new GraphChanges
        {
            PutNodes = [node],
            PutEdges = [edge],
            RemoveNodes = ["old"],
            RemoveEdges = ["old-edge"],
            Tombstones = [new Tombstone("gone", "claim", "2026-02-01T00:00:00Z", "asked", "op-1")],
            OpenReviews = [new ReviewFlag("n1", "contradicted", "e9")],
            CloseReviews = ["n0"],
        };
        var graphEvent = new GraphEvent("ev", "updated", "2026-02-01T00:00:00Z") { Actor = "alice", Path = "p", Summary = "s", Nodes = ["n1"], Edges = ["e1"], Attributes = [new("k", new AttributeValue(DocumentValueKind.String, "v"))] };
        Log.Append("g", [new MemoryRecord(0, "2026-02-01T00:00:00Z", graphEvent, changes) { Operation = "op-7" }]);

        Reopen();
        var read = Assert.Single(Log.Read("g"));
        Assert.Equal("op-7", read.Operation);
        Assert.Equal("p", read.PathId);
        Assert.Equal(ModelDump.Of(node), ModelDump.Of(read.Changes.PutNodes[0]));
        Assert.Equal(ModelDump.Of(edge), ModelDump.Of(read.Changes.PutEdges[0]));
        Assert.Equal(["old"], read.Changes.RemoveNodes);
        Assert.Equal(["old-edge"], read.Changes.RemoveEdges);
        Assert.Equal(changes.Tombstones, read.Changes.Tombstones);
        Assert.Equal(changes.OpenReviews, read.Changes.OpenReviews);
        Assert.Equal(["n0"], read.Changes.CloseReviews);
        Assert.Equal(ModelDump.Of(graphEvent), ModelDump.Of(read.Event));
    }

    [ConformanceFact]
    public void Rewrite_keeps_sequences_and_ids_and_replaces_content()
    {
        Log.Append("g", [Record("a", new GraphChanges { PutNodes = [TestSupport.Node("n1", text: "secret")] }), Record("b")]);
        Log.Rewrite("g", record => record with { Changes = GraphChanges.None });
        Reopen();
        Assert.Equal([(1L, "a"), (2L, "b")], Log.Read("g").Select(record => (record.Sequence, record.Event!.Id)));
        Assert.All(Log.Read("g"), record => Assert.True(record.Changes.IsEmpty));
        Assert.True(Log.ContainsEvent("g", "a"));
        Assert.Equal(3, Log.Append("g", [Record("c")])[0].Sequence);
    }

    [ConformanceFact]
    public void Concurrent_appenders_get_distinct_sequences_in_log_order()
    {
        Parallel.For(0, 8, writer =>
        {
            for (var index = 0; index < 25; index++)
            {
                Log.Append("g", [Record($"w{writer}-{index}")]);
            }
        });

        var records = Log.Read("g").ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(number => (long)number), records.Select(record => record.Sequence));
        Assert.Equal(200, records.Select(record => record.Event!.Id).Distinct().Count());
        for (var writer = 0; writer < 8; writer++)
        {
            var own = records.Where(record => record.Event!.Id.StartsWith($"w{writer}-", StringComparison.Ordinal)).Select(record => record.Event!.Id).ToList();
            Assert.Equal(Enumerable.Range(0, 25).Select(index => $"w{writer}-{index}"), own);
        }
    }

    [ConformanceFact]
    public void Profiles_graphs_and_snapshots_are_stored_and_listed_in_order()
    {
        var profile = new MemoryProfile(SchemaVersions.ProfileV1, "p-b") { MemoryKinds = ["reasoning"], Stores = [new("reasoning", "local-event-log")], Activation = new ActivationLimits(5, null) };
        Store.SaveProfile(profile);
        Store.SaveProfile(profile with { Id = "p-a" });
        Store.CreateGraph(new GraphHeader("g-b", "B", null));
        Store.CreateGraph(new GraphHeader("g-a", null, "about a"));
        Store.CreateGraph(new GraphHeader("g-a", "ignored: it exists", null));
        var snapshot = new GraphSnapshot("g-a", 7, [TestSupport.Node("n")], [new GraphEdge("e", "supports", "n", "n")], [new Tombstone("t", "claim", "2026-01-01T00:00:00Z", "r", "op")], [new ReviewFlag("n", "why", "cause")]);
        Store.SaveSnapshot(snapshot);

        Reopen();
        Assert.Equal(["p-a", "p-b"], Store.ListProfiles());
        Assert.Equal(5, Store.LoadProfile("p-b")!.Activation.MaxItems);
        Assert.Null(Store.LoadProfile("missing"));
        Assert.Equal(["g-a", "g-b"], Store.ListGraphs());
        Assert.Equal(new GraphHeader("g-a", null, "about a"), Store.LoadGraph("g-a"));
        var loaded = Store.LoadSnapshot("g-a")!;
        Assert.Equal(7, loaded.Sequence);
        Assert.Equal("n", loaded.Nodes[0].Id);
        Assert.Equal(snapshot.Tombstones, loaded.Tombstones);
        Assert.Equal(snapshot.Reviews, loaded.Reviews);
        Assert.Null(Store.LoadSnapshot("g-b"));
    }

    [ConformanceFact]
    public void Audit_records_are_kept_in_order_with_every_field()
    {
        var first = new AuditRecord("op-1", "2026-01-01T00:00:00.000Z", "alice", "apply", AuditDecision.Denied, "g", ["n1", "n2"]) { Reason = "MC5009" };
        var second = new AuditRecord("op-2", "2026-01-01T00:00:01.000Z", "bob", "apply", AuditDecision.Granted, null, []) { Approval = new Approval("carol", "2026-01-01T00:00:00Z", "ok") };
        AuditSink.Write(first);
        AuditSink.Write(second);
        Reopen();
        var records = AuditSink.Read().ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(first with { Affected = records[0].Affected }, records[0]);
        Assert.Equal(["n1", "n2"], records[0].Affected);
        Assert.Equal(second with { Affected = records[1].Affected }, records[1]);
    }

    /// <summary>
    /// Each field the graph contract declares goes in through import and comes back through export as the contract
    /// loader reads it, after the adapters are reopened: compared field by field with what the loader read from the
    /// fixture, not with the product's own writer, so a field that any writer or reader drops fails here.
    /// </summary>
    [ConformanceFact]
    public void Every_field_of_a_fixture_comes_back_as_the_contract_loader_reads_it()
    {
        var fixture = Path.Combine(TestSupport.Root, "tests", "MemoryContracts.Runtime.Tests", "Fixtures", "every-field.graph.json");
        Assert.Empty(SchemaCoverage.Missing(fixture));
        var loaded = Loaded(fixture);
        Assert.Empty(ModelDump.Unset(loaded.Nodes[0]));
        Assert.Empty(ModelDump.Unset(loaded.Edges[0]));
        Assert.Empty(ModelDump.Unset(loaded.Events[0]));
        using (var workspace = new MemoryWorkspace(Store, Log, AuditSink))
        {
            workspace.Import(fixture, "tester");
        }

        Reopen();
        using var reopened = new MemoryWorkspace(Store, Log, AuditSink);
        var folder = TestSupport.TempFolder("conformance-export");
        var exported = TestSupport.Write(folder, "exported.json", System.Text.Encoding.UTF8.GetString(reopened.Export("every-field")));
        Assert.Equal(ModelDump.Of(loaded), ModelDump.Of(Loaded(exported)));
    }

    private static MemoryGraph Loaded(string path)
    {
        var result = new Validation.ContractValidator().Validate(path);
        Assert.Empty(result.Diagnostics);
        return result.Graph!;
    }

    protected static MemoryRecord Record(string eventId, GraphChanges? changes = null) =>
        new(0, "2026-11-21T10:00:00Z", TestSupport.Event(eventId), changes ?? GraphChanges.None);

    private void Reopen()
    {
        Close(_adapters);
        _adapters = Open();
    }

    /// <summary>One instance of each port.</summary>
    protected sealed record Adapters(IMemoryGraphStore Store, IMemoryEventLog Log, IAuditSink Audit);
}

/// <summary>The in-memory adapters against the conformance suite.</summary>
public sealed class InMemoryStoreConformance : StoreConformance
{
    private Adapters? _instance;

    protected override Adapters Open() => _instance ??= new Adapters(new InMemoryGraphStore(), new InMemoryEventLog(), new InMemoryAuditSink());

    protected override void Close(Adapters adapters)
    {
    }
}

/// <summary>The file adapters against the conformance suite, reopened from disk where the suite reopens.</summary>
public sealed class FileStoreConformance : StoreConformance
{
    // Field initializers run before the base constructor, which opens the adapters.
    private readonly string _folder = TestSupport.TempFolder("conformance");

    protected override Adapters Open()
    {
        var layout = new WorkspaceLayout(_folder);
        layout.Create();
        return new Adapters(new FileGraphStore(layout), new JsonlEventLog(layout), new JsonlAuditSink(layout));
    }

    protected override void Close(Adapters adapters)
    {
        ((IDisposable)adapters.Log).Dispose();
        ((IDisposable)adapters.Audit).Dispose();
    }
}

/// <summary>The PostgreSQL adapter against the conformance suite, each test as an owner of its own on the real server.</summary>
public sealed class PostgresStoreConformance : StoreConformance, IPostgresTests
{
    // Field initializers run before the base constructor, which opens the adapters.
    private readonly string _owner = PostgresServer.NewOwner();

    protected override Adapters Open()
    {
        var store = PostgresServer.Store(_owner);
        return new Adapters(store, store, store);
    }

    protected override void Close(Adapters adapters) => ((IDisposable)adapters.Store).Dispose();
}
