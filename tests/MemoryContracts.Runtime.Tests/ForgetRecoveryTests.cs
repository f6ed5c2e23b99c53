using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Storage.Files;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 13, finding 5 and 8, step by step: a forget cut off after its record was logged (before history was
/// scrubbed and before its audit record) is finished by the next open, on files and on PostgreSQL; event summaries
/// that quoted the forgotten node lose their text.
/// </summary>
public sealed class ForgetRecoveryTests : IDisposable
{
    private const string Secret = "ZEBRA-FORGET-SECRET";

    private const string Graph = $$"""
        schema_version: markitect.memory.graph.v1
        id: kb
        nodes:
          - {id: secret, kind: claim, title: "{{Secret}} title", text: "the {{Secret}} text"}
          - {id: other, kind: claim, title: kept}
        events:
          - {id: noted, kind: recorded, at: "2026-11-21T10:00:00Z", nodes: [secret], summary: "noted {{Secret}}"}
        """;

    private const string Profile = "schema_version: markitect.memory.profile.v1\nid: p\nmemory_kinds: [conversation]\nstores: {conversation: local-event-log}\nactivation: {max_items: 5}\n";

    private readonly string _folder = TestSupport.TempFolder("forget-recovery");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_folder_workspace_finishes_a_forget_cut_off_before_its_history_rewrite_when_it_opens()
    {
        var root = Path.Combine(_folder, "ws");
        using (var setup = MemoryWorkspace.Create(root))
        {
            setup.Import(TestSupport.Write(_folder, "kb.yaml", Graph), "tester");
            setup.Import(TestSupport.Write(_folder, "p.yaml", Profile), "tester");
        }

        var layout = new WorkspaceLayout(root);
        string operation;
        using (var log = new JsonlEventLog(layout))
        using (var audit = new JsonlAuditSink(layout))
        using (var crashing = new MemoryWorkspace(new FileGraphStore(layout), new CrashOnRewrite(log), audit))
        {
            operation = CutOffForget(crashing);
        }

        Assert.Contains(Secret, File.ReadAllText(layout.EventsFile("kb")), StringComparison.Ordinal);
        Assert.True(File.Exists(layout.JournalFile("kb")));

        using (var reopened = MemoryWorkspace.Open(root))
        {
            AssertFinished(reopened, operation);
        }

        Assert.False(File.Exists(layout.JournalFile("kb")));
        Assert.All(Directory.GetFiles(root, "*", SearchOption.AllDirectories), path => Assert.DoesNotContain(Secret, File.ReadAllText(path), StringComparison.Ordinal));
        using (var again = MemoryWorkspace.Open(root))
        {
            Assert.Single(again.AuditTrail(), entry => entry.Operation == operation);
        }
    }

    [Fact]
    public void Opening_a_folder_workspace_removes_the_temporary_files_of_writes_a_crash_cut_off()
    {
        var root = Path.Combine(_folder, "ws");
        MemoryWorkspace.Create(root).Dispose();
        var leftovers = new[] { Path.Combine(root, ".audit.jsonl.0123456789abcdef.tmp"), Path.Combine(root, "graphs", ".x.tmp") };
        foreach (var leftover in leftovers)
        {
            TestSupport.Write(Path.GetDirectoryName(leftover)!, Path.GetFileName(leftover), Secret);
        }

        MemoryWorkspace.Open(root, new WorkspaceOptions { ReadOnly = true }).Dispose();
        Assert.All(leftovers, leftover => Assert.True(File.Exists(leftover)));
        MemoryWorkspace.Open(root).Dispose();
        Assert.All(leftovers, leftover => Assert.False(File.Exists(leftover)));
    }

    [PostgresFact]
    public void A_postgres_workspace_finishes_a_forget_cut_off_before_its_history_rewrite_when_it_opens()
    {
        var options = new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys);
        using (var setup = PostgresWorkspace.Open(options))
        {
            setup.Import(TestSupport.Write(_folder, "kb.yaml", Graph), "tester");
            setup.Import(TestSupport.Write(_folder, "p.yaml", Profile), "tester");
        }

        string operation;
        using (var store = new PostgresMemoryStore(options))
        using (var crashing = new MemoryWorkspace(store, new CrashOnRewrite(store), store))
        {
            operation = CutOffForget(crashing);
        }

        Assert.Equal(1L, PostgresServer.Sql(PostgresServer.OwnerConnectionString!, options.Owner, $"SELECT count(*) FROM memory_journals WHERE owner = '{options.Owner}'"));
        using (var reopened = PostgresWorkspace.Open(options))
        {
            AssertFinished(reopened, operation);
            Assert.Empty(((PostgresMemoryStore)reopened.Store).Verify("kb"));
        }

        var owner = options.Owner;
        Assert.Equal(0L, PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, $"SELECT count(*) FROM memory_journals WHERE owner = '{owner}'"));
        foreach (var table in new[] { "memory_events", "memory_snapshots", "memory_audit", "memory_plans" })
        {
            Assert.Equal(0L, PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, $"SELECT count(*) FROM {table} t WHERE t.owner = '{owner}' AND t::text LIKE '%{Secret}%'"));
        }
    }

    /// <summary>Forgets the secret node through a workspace whose history rewrite fails, as a crash at that moment would.</summary>
    private static string CutOffForget(MemoryWorkspace workspace)
    {
        var plan = workspace.Lifecycle.Plan("kb", "p", new LifecycleRequest { Retention = false, Forget = ["secret"] });
        Assert.Throws<IOException>(() => workspace.Lifecycle.Apply(plan, null, "forgetter"));
        var logged = workspace.Log.Read("kb").Last();
        Assert.Equal("applied-" + plan.Id, logged.Event!.Id);
        Assert.DoesNotContain(workspace.AuditTrail(), entry => entry.Operation == logged.Operation);
        return logged.Operation!;
    }

    private static void AssertFinished(MemoryWorkspace workspace, string operation)
    {
        var audit = Assert.Single(workspace.AuditTrail(), entry => entry.Operation == operation);
        Assert.Equal(("apply", AuditDecision.Granted, "forgetter"), (audit.Action, audit.Decision, audit.Actor));
        Assert.Contains("secret", audit.Affected);
        Assert.Null(workspace.Store.LoadJournal("kb"));
        var noted = workspace.Events("kb").Single(graphEvent => graphEvent.Id == "noted");
        Assert.Null(noted.Summary);
        Assert.Equal(["secret"], noted.Nodes);
        Assert.DoesNotContain(workspace.Log.Read("kb"), record => record.Changes.PutNodes.Any(node => node.Id == "secret"));
        Assert.NotNull(workspace.Copy("kb").FindNode("other"));
        Assert.DoesNotContain(workspace.Repair(), diagnostic => diagnostic.IsError);
    }

    /// <summary>An event log whose history rewrite fails: the moment a crash would cut a forget off.</summary>
    private sealed class CrashOnRewrite(IMemoryEventLog inner) : IMemoryEventLog
    {
        public IReadOnlyList<MemoryRecord> Append(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null) => inner.Append(graphId, records, expectedSequence);

        public ValueTask<IReadOnlyList<MemoryRecord>> AppendAsync(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null, CancellationToken cancellationToken = default) => inner.AppendAsync(graphId, records, expectedSequence, cancellationToken);

        public IEnumerable<MemoryRecord> Read(string graphId, long afterSequence = 0) => inner.Read(graphId, afterSequence);

        public IAsyncEnumerable<MemoryRecord> ReadAsync(string graphId, long afterSequence = 0, CancellationToken cancellationToken = default) => inner.ReadAsync(graphId, afterSequence, cancellationToken);

        public ValueTask<long> LastSequenceAsync(string graphId, CancellationToken cancellationToken = default) => inner.LastSequenceAsync(graphId, cancellationToken);

        public ValueTask<bool> ContainsEventAsync(string graphId, string eventId, CancellationToken cancellationToken = default) => inner.ContainsEventAsync(graphId, eventId, cancellationToken);

        public long LastSequence(string graphId) => inner.LastSequence(graphId);

        public bool ContainsEvent(string graphId, string eventId) => inner.ContainsEvent(graphId, eventId);

        public void Rewrite(string graphId, Func<MemoryRecord, MemoryRecord> rewrite) => throw new IOException("cut off");

        public ValueTask RewriteAsync(string graphId, Func<MemoryRecord, MemoryRecord> rewrite, CancellationToken cancellationToken = default) => throw new IOException("cut off");

        public IReadOnlyList<ContractDiagnostic> Check(string graphId) => inner.Check(graphId);
    }
}
