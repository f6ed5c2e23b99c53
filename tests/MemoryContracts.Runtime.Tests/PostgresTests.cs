using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Storage;
using Npgsql;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>What only the PostgreSQL engine does: migrations, many writers, integrity, idempotency, the saga, owners.</summary>
public sealed class PostgresTests : IPostgresTests
{
    [PostgresFact]
    public void An_idempotency_key_reused_with_different_records_is_refused_and_the_same_records_replay()
    {
        using var store = PostgresServer.Store();
        store.CreateGraph(new GraphHeader("g", null, null));
        MemoryRecord[] Records(string id) => [new MemoryRecord(0, "2026-11-21T10:00:00Z", new GraphEvent(id, "recorded", "2026-11-21T10:00:00Z"), GraphChanges.None)];
        var first = store.AppendIdempotent("g", Records("e1"), "key-1");
        var refused = Assert.Throws<MemoryStoreException>(() => store.AppendIdempotent("g", Records("e2"), "key-1"));
        Assert.Equal("MC5027", refused.Code);
        Assert.False(store.ContainsEvent("g", "e2"));
        Assert.Equal(first.Select(record => record.Sequence), store.AppendIdempotent("g", Records("e1"), "key-1").Select(record => record.Sequence));
        Assert.Equal(1, store.LastSequence("g"));
    }

    [PostgresFact]
    public void Migrations_are_idempotent_and_safe_when_run_at_once()
    {
        var schema = "mig_" + Guid.NewGuid().ToString("N")[..10];
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, null, $"CREATE SCHEMA {schema}");
        var connection = new NpgsqlConnectionStringBuilder(PostgresServer.OwnerConnectionString) { SearchPath = schema }.ConnectionString;
        var applied = new IReadOnlyList<int>[4];
        Parallel.For(0, 4, index => applied[index] = PostgresMigrations.Migrate(connection, grantTo: PostgresServer.ApplicationRole));
        Assert.Equal(1, applied.Count(versions => versions.Count > 0));
        Assert.Equal(PostgresMigrations.All.Select(migration => migration.Version), applied.Single(versions => versions.Count > 0));
        Assert.Empty(PostgresMigrations.Migrate(connection));
        Assert.Equal((long)PostgresMigrations.All.Count, PostgresServer.Sql(connection, null, "SELECT count(*) FROM memory_schema_migrations"));
    }

    [PostgresFact]
    public void Several_writers_lose_and_duplicate_nothing()
    {
        var owner = PostgresServer.NewOwner();
        const int Writers = 6, Each = 40;
        var stores = Enumerable.Range(0, Writers).Select(_ => PostgresServer.Store(owner)).ToArray();
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            for (var index = 0; index < Each; index++)
            {
                stores[writer].Append("g", [new MemoryRecord(0, "2026-11-21T10:00:00Z", TestSupport.Event($"w{writer}-{index}"), GraphChanges.None)]);
            }
        });

        using var reader = PostgresServer.Store(owner);
        var records = reader.Read("g").ToList();
        Assert.Equal(Enumerable.Range(1, Writers * Each).Select(number => (long)number), records.Select(record => record.Sequence));
        Assert.Equal(Writers * Each, records.Select(record => record.Event!.Id).Distinct().Count());
        Assert.Empty(reader.Verify("g"));
        foreach (var store in stores)
        {
            store.Dispose();
        }
    }

    [PostgresFact]
    public void Concurrent_appends_through_one_store_are_committed_together_and_a_refused_one_fails_alone()
    {
        using var store = PostgresServer.Store();
        store.Append("g", [Record("taken")]);
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, writer =>
        {
            for (var index = 0; index < 20; index++)
            {
                try
                {
                    store.Append("g", [Record(writer == 3 && index == 10 ? "taken" : $"w{writer}-{index}")]);
                }
                catch (MemoryStoreException exception)
                {
                    refused.Add(exception.Code);
                }
            }
        });

        Assert.Equal(["MC5008"], refused);
        var records = store.Read("g").ToList();
        Assert.Equal(Enumerable.Range(1, 320).Select(number => (long)number), records.Select(record => record.Sequence));
        Assert.Equal(320, records.Select(record => record.Event!.Id).Distinct().Count());
        Assert.Empty(store.Verify("g"));
    }

    [PostgresFact]
    public void A_writer_that_loses_an_expected_position_race_gets_MC5011_and_can_retry()
    {
        var owner = PostgresServer.NewOwner();
        using var first = PostgresServer.Store(owner);
        using var second = PostgresServer.Store(owner);
        first.Append("g", [Record("a")], expectedSequence: 0);
        var lost = Assert.Throws<MemoryStoreException>(() => second.Append("g", [Record("b")], expectedSequence: 0));
        Assert.Equal("MC5011", lost.Code);
        second.Append("g", [Record("b")], expectedSequence: second.LastSequence("g"));
        Assert.Equal(["a", "b"], first.Read("g").Select(record => record.Event!.Id));
    }

    [PostgresFact]
    public void Editing_deleting_or_reordering_a_row_in_SQL_is_detected_row_by_row()
    {
        foreach (var tamper in new[] { "edit", "delete", "reorder", "truncate" })
        {
            var owner = PostgresServer.NewOwner();
            using var store = PostgresServer.Store(owner);
            store.Append("g", Enumerable.Range(1, 5).Select(index => Record($"e{index}")).ToArray());
            Assert.Empty(store.Verify("g"));
            switch (tamper)
            {
                case "edit":
                    PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_events SET body = replace(body, 'e3', 'e9') WHERE graph = 'g' AND seq = 3");
                    Assert.Equal([3L], store.Verify("g").Select(diagnostic => (long)diagnostic.Location.Line));
                    break;
                case "delete":
                    PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_events WHERE graph = 'g' AND seq = 2");
                    var deleted = Assert.Single(store.Verify("g"));
                    Assert.Equal(3, deleted.Location.Line);
                    Assert.Contains("rows 2 to 2 are missing", deleted.Message, StringComparison.Ordinal);
                    break;
                case "reorder":
                    PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_events SET seq = -seq WHERE graph = 'g' AND seq IN (2, 4); UPDATE memory_events SET seq = CASE seq WHEN -2 THEN 4 ELSE 2 END WHERE graph = 'g' AND seq IN (-2, -4)");
                    Assert.Contains(store.Verify("g"), diagnostic => diagnostic.Location.Line == 4);
                    Assert.Contains(store.Verify("g"), diagnostic => diagnostic.Location.Line == 2);
                    break;
                case "truncate":
                    PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_events WHERE graph = 'g' AND seq = 5");
                    Assert.Contains("rows at the end were removed or changed", Assert.Single(store.Verify("g")).Message, StringComparison.Ordinal);
                    break;
            }

            Assert.All(store.Verify("g"), diagnostic => Assert.Equal("MC5016", diagnostic.Code));
        }
    }

    [PostgresFact]
    public void A_rewound_ledger_verifies_clean_on_its_own_but_not_against_a_checkpoint_kept_outside()
    {
        var owner = PostgresServer.NewOwner();
        using var store = PostgresServer.Store(owner);
        store.CreateGraph(new Storage.GraphHeader("g", null, null));
        store.Append("g", [Record("a"), Record("b"), Record("c"), Record("d")]);
        var checkpoint = store.Checkpoint("g");
        Assert.Equal(4, checkpoint.Sequence);
        Assert.Empty(store.Verify("g", checkpoint));

        // Issue 12, finding 7: an attacker with full SQL access deletes the tail and moves the head back to the new last row.
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_events WHERE graph = 'g' AND seq > 2");
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_heads SET head_seq = 2, head_mac = (SELECT mac FROM memory_events WHERE graph = 'g' AND seq = 2) WHERE graph = 'g'");
        using var fresh = PostgresServer.Store(owner);
        Assert.Empty(fresh.Verify("g"));
        var rewound = Assert.Single(fresh.Verify("g", checkpoint));
        Assert.Equal("MC5016", rewound.Code);
        Assert.Contains("the ledger ends at row 2, but a checkpoint kept outside the database saw row 4", rewound.Message, StringComparison.Ordinal);

        // A forged checkpoint (another signature) is not a witness.
        Assert.Contains("not signed with a key of the ring", Assert.Single(fresh.Verify("g", checkpoint with { Sequence = 2 })).Message, StringComparison.Ordinal);

        // Deleting the whole graph with its head and header: verify names it as unknown, and says a checkpoint saw it.
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_events WHERE graph = 'g'");
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_heads WHERE graph = 'g'");
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_graphs WHERE id = 'g'");
        var deleted = Assert.Throws<MemoryStoreException>(() => fresh.Verify("g", checkpoint));
        Assert.Equal("MC5014", deleted.Code);
        Assert.Contains("a checkpoint saw it at row 4: it was deleted", deleted.Message, StringComparison.Ordinal);
        Assert.Equal("MC5014", Assert.Throws<MemoryStoreException>(() => fresh.Verify("no-such-graph")).Code);
    }

    [PostgresFact]
    public void A_status_set_by_hand_is_noticed_and_a_status_set_by_the_saga_is_not()
    {
        var owner = PostgresServer.NewOwner();
        using var store = PostgresServer.Store(owner);
        store.CreateGraph(new Storage.GraphHeader("g", null, null));
        store.Append("g", [Record("plain")]);
        var saga = store.BeginWrite("g", Record("effect"));
        store.CompleteWrite("g", saga.Sequence, committed: true);
        Assert.Empty(store.Verify("g"));
        Assert.Equal(["plain", "effect"], store.Read("g").Select(record => record.Event!.Id));

        // Issue 12, finding 8: hiding a committed row by marking it failed.
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_events SET status = 'failed' WHERE graph = 'g' AND event_id = 'plain'");
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_events SET status = 'failed' WHERE graph = 'g' AND event_id = 'effect'");
        var broken = store.Verify("g");
        Assert.Equal(2, broken.Count);
        Assert.Contains("its status is 'failed', but it was written committed", broken[0].Message, StringComparison.Ordinal);
        Assert.Contains("its status 'failed' does not carry a valid status MAC", broken[1].Message, StringComparison.Ordinal);
        Assert.Contains(store.Check("g"), diagnostic => diagnostic.Code == "MC5016");

        // Setting a completed saga row back to pending: its status MAC gives it away; with the MAC cleared too, it is a
        // write still in flight as far as anyone can tell, and reconcile lists it as stuck.
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_events SET status = 'pending' WHERE graph = 'g' AND event_id = 'effect'");
        Assert.Contains(store.Verify("g"), diagnostic => diagnostic.Message.Contains("pending again although the saga completed it", StringComparison.Ordinal));
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_events SET status_mac = NULL, status_at = now() - interval '1 hour' WHERE graph = 'g' AND event_id = 'effect'");
        Assert.Contains(store.Reconcile(TimeSpan.FromMinutes(10)), diagnostic => diagnostic.Message.Contains("event 'effect'", StringComparison.Ordinal));
    }

    [PostgresFact]
    public void The_audit_table_is_a_chain_that_notices_edits_deletions_and_insertions()
    {
        var owner = PostgresServer.NewOwner();
        using var workspace = PostgresWorkspace.Open(new PostgresStoreOptions(PostgresServer.MigratedConnectionString, owner, PostgresServer.Keys));
        workspace.Import(TestSupport.Write(TestSupport.TempFolder("audit-chain"), "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        Parallel.For(0, 8, index => workspace.Retrieval.Retrieve(new Retrieval.RetrievalQuery.Neighborhood("kb", "decision", 1), new Retrieval.RetrievalSubject("agent-" + index, [], "public")));
        var store = (PostgresMemoryStore)workspace.Store;
        Assert.Empty(store.VerifyAudit());
        Assert.Equal(9, workspace.AuditTrail().Count());

        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "UPDATE memory_audit SET body = replace(body, 'retrieve', 'imported') WHERE seq = 5");
        Assert.Contains("its MAC does not match", Assert.Single(store.VerifyAudit()).Message, StringComparison.Ordinal);
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "DELETE FROM memory_audit WHERE seq = 5");
        Assert.Contains("audit records 5 to 5 are missing", Assert.Single(store.VerifyAudit()).Message, StringComparison.Ordinal);
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, owner, "INSERT INTO memory_audit (body) VALUES ('{}')");
        Assert.Contains(store.VerifyAudit(), diagnostic => diagnostic.Message.Contains("carries no MAC", StringComparison.Ordinal));
    }

    [PostgresFact]
    public void A_retried_write_with_the_same_idempotency_key_returns_the_first_outcome()
    {
        using var store = PostgresServer.Store();
        var first = store.AppendIdempotent("g", [Record("a")], "request-1");
        var retry = store.AppendIdempotent("g", [Record("a")], "request-1");
        Assert.Equal(first.Select(record => (record.Sequence, record.Event!.Id)), retry.Select(record => (record.Sequence, record.Event!.Id)));
        Assert.Equal(["a"], store.Read("g").Select(record => record.Event!.Id));
        Parallel.For(0, 4, _ => store.AppendIdempotent("g", [Record("b")], "request-2"));
        Assert.Equal(["a", "b"], store.Read("g").Select(record => record.Event!.Id));

        using var shortLived = new PostgresMemoryStore(new PostgresStoreOptions(PostgresServer.ConnectionString!, store.Owner, PostgresServer.Keys) { IdempotencyLifetime = TimeSpan.FromMilliseconds(1) });
        shortLived.AppendIdempotent("g", [Record("c")], "request-3");
        Thread.Sleep(20);
        Assert.Equal(1, shortLived.CleanIdempotency());
        shortLived.AppendIdempotent("g", [Record("d")], "request-3");
        Assert.Equal(["a", "b", "c", "d"], store.Read("g").Select(record => record.Event!.Id));
    }

    [PostgresFact]
    public void Keys_rotate_and_old_rows_stay_verifiable_while_their_key_is_kept()
    {
        var owner = PostgresServer.NewOwner();
        var v1 = PostgresServer.Keys;
        var v2 = new IntegrityKeys("v2", new Dictionary<string, byte[]> { ["v1"] = "test-key-version-1-0123456789"u8.ToArray(), ["v2"] = "test-key-version-2-9876543210"u8.ToArray() });
        using (var before = PostgresServer.Store(owner, v1))
        {
            before.Append("g", [Record("a"), Record("b")]);
        }

        using var after = PostgresServer.Store(owner, v2);
        after.Append("g", [Record("c")]);
        Assert.Empty(after.Verify("g"));
        Assert.Equal(["v1", "v1", "v2"], Strings(owner, "SELECT key_version FROM memory_events WHERE graph = 'g' ORDER BY seq"));

        using var forgetful = PostgresServer.Store(owner, new IntegrityKeys("v2", new Dictionary<string, byte[]> { ["v2"] = "test-key-version-2-9876543210"u8.ToArray() }));
        var unknown = forgetful.Verify("g");
        Assert.Equal([1, 2], unknown.Select(diagnostic => diagnostic.Location.Line));
        Assert.All(unknown, diagnostic => Assert.Contains("key version 'v1'", diagnostic.Message, StringComparison.Ordinal));
    }

    [PostgresFact]
    public void An_owner_cannot_read_or_write_another_owners_rows()
    {
        var alice = PostgresServer.NewOwner();
        var bob = PostgresServer.NewOwner();
        using var aliceStore = PostgresServer.Store(alice);
        using var bobStore = PostgresServer.Store(bob);
        aliceStore.CreateGraph(new Storage.GraphHeader("private", "Alice's", null));
        aliceStore.Append("private", [Record("secret")]);

        Assert.Empty(bobStore.ListGraphs());
        Assert.Empty(bobStore.Read("private"));
        Assert.Equal(0, bobStore.LastSequence("private"));
        Assert.False(bobStore.ContainsEvent("private", "secret"));
        Assert.Equal(0L, PostgresServer.Sql(PostgresServer.ConnectionString!, bob, "SELECT count(*) FROM memory_events"));
        Assert.Equal(1L, PostgresServer.Sql(PostgresServer.ConnectionString!, alice, "SELECT count(*) FROM memory_events"));
        var forged = Assert.Throws<PostgresException>(() => PostgresServer.Sql(PostgresServer.ConnectionString!, bob, $"INSERT INTO memory_graphs (owner, id, header) VALUES ('{alice}', 'forged', '{{}}')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, forged.SqlState);
        Assert.Equal(0L, PostgresServer.Sql(PostgresServer.ConnectionString!, null, "SELECT count(*) FROM memory_events"));
    }

    [PostgresFact]
    public void Statements_prepared_on_one_owners_connections_never_show_another_owners_rows()
    {
        // The store prepares the statements it repeats (from their second use); a plan prepared while one owner's
        // rows are visible must read the session's owner at every execution, never the owner it was planned for.
        var alice = PostgresServer.NewOwner();
        var bob = PostgresServer.NewOwner();
        using var aliceStore = PostgresServer.Store(alice);
        using var bobStore = PostgresServer.Store(bob);
        for (var round = 0; round < 4; round++)
        {
            aliceStore.Append("shared-name", [Record($"alice-{round}")]);
            Assert.Equal(round + 1, aliceStore.Read("shared-name").Count());
            Assert.Equal(round + 1, aliceStore.LastSequence("shared-name"));
            Assert.Empty(bobStore.Read("shared-name"));
            Assert.False(bobStore.ContainsEvent("shared-name", $"alice-{round}"));
        }

        bobStore.Append("shared-name", [Record("bob-0")]);
        Assert.Equal(["bob-0"], bobStore.Read("shared-name").Select(record => record.Event!.Id));
        Assert.Equal(1, bobStore.LastSequence("shared-name"));
        Assert.Equal(4, aliceStore.Read("shared-name").Count());
        Assert.Empty(aliceStore.Verify("shared-name"));
        Assert.Empty(bobStore.Verify("shared-name"));
    }

    [PostgresFact]
    public void The_application_role_cannot_switch_off_row_level_security_or_rewrite_the_ledger()
    {
        var alice = PostgresServer.NewOwner();
        using (var store = PostgresServer.Store(alice))
        {
            store.Append("g", [Record("a"), Record("b")]);
        }

        // Issue 12, finding 9: with the application's own credentials, none of these may work.
        foreach (var attack in new[]
        {
            "ALTER TABLE memory_events NO FORCE ROW LEVEL SECURITY",
            "ALTER TABLE memory_events DISABLE ROW LEVEL SECURITY",
            "DROP POLICY owner_only ON memory_events",
            "CREATE POLICY everyone ON memory_events USING (true)",
            "ALTER TABLE memory_events OWNER TO CURRENT_USER",
            $"DELETE FROM memory_events WHERE owner = '{alice}'",
            $"UPDATE memory_events SET seq = seq + 100 WHERE owner = '{alice}'",
            $"UPDATE memory_events SET owner = 'mallory' WHERE owner = '{alice}'",
            "TRUNCATE memory_events",
            "DROP TABLE memory_audit",
        })
        {
            var refused = Assert.Throws<PostgresException>(() => PostgresServer.Sql(PostgresServer.ConnectionString!, alice, attack));
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{attack}: {refused.SqlState} {refused.MessageText}");
        }

        Assert.Equal(0L, PostgresServer.Sql(PostgresServer.ConnectionString!, "mallory", "SELECT count(*) FROM memory_events"));
        Assert.Equal(2L, PostgresServer.Sql(PostgresServer.ConnectionString!, alice, "SELECT count(*) FROM memory_events"));
    }

    [PostgresFact]
    public void The_owner_travels_as_a_parameter_so_a_crafted_owner_name_cannot_become_another_owner()
    {
        var victim = PostgresServer.NewOwner();
        using (var store = PostgresServer.Store(victim))
        {
            store.CreateGraph(new Storage.GraphHeader("private", "Victim's", null));
        }

        foreach (var crafted in new[] { $"team-x -c memorycontracts.owner={victim}", $"x' OR owner = '{victim}", $"{victim} ", $"-c memorycontracts.owner={victim}" })
        {
            using var attacker = PostgresServer.Store(crafted);
            Assert.Empty(attacker.ListGraphs());
        }

        foreach (var unusable in new[] { string.Empty, " ", "team\nx", "team\0x", "team\u202Ex", $"team-x\t-c\tmemorycontracts.owner={victim}", new string('o', 257) })
        {
            var refused = Assert.Throws<MemoryStoreException>(() => PostgresServer.Store(unusable));
            Assert.Equal("MC5001", refused.Code);
        }
    }

    [PostgresFact]
    public void The_write_saga_records_pending_then_committed_or_failed_and_reconcile_lists_what_is_stuck()
    {
        using var store = PostgresServer.Store();
        var pending = store.BeginWrite("g", Record("effect-1"));
        var failing = store.BeginWrite("g", Record("effect-2"));
        Assert.Empty(store.Read("g"));
        var stuck = store.Reconcile(TimeSpan.Zero);
        Assert.Equal(["MC5018", "MC5018"], stuck.Select(diagnostic => diagnostic.Code));
        Assert.Contains("is pending since", stuck[0].Message, StringComparison.Ordinal);

        store.CompleteWrite("g", pending.Sequence, committed: true);
        store.CompleteWrite("g", failing.Sequence, committed: false, "the file write failed: disk full");
        Assert.Equal(["effect-1"], store.Read("g").Select(record => record.Event!.Id));
        var failed = Assert.Single(store.Reconcile(TimeSpan.Zero));
        Assert.Contains($"row {failing.Sequence}) of graph 'g' is failed since ", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith(": the file write failed: disk full", failed.Message, StringComparison.Ordinal);
        Assert.Equal("MC5014", Assert.Throws<MemoryStoreException>(() => store.CompleteWrite("g", pending.Sequence, committed: true)).Code);
        Assert.Empty(store.Verify("g"));
    }

    [PostgresFact]
    public void Files_and_postgres_replay_the_same_events_to_the_same_content_hash_and_drift_is_detected()
    {
        var options = new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys);
        using var files = MemoryWorkspace.Create(TestSupport.TempFolder("same-hash"));
        using var postgres = PostgresWorkspace.Open(options);
        var fixture = TestSupport.Write(TestSupport.TempFolder("same-hash-fixture"), "kb.yaml", TestSupport.KnowledgeGraph);
        foreach (var workspace in new[] { files, postgres })
        {
            workspace.Import(fixture, "tester");
            workspace.Append("kb", TestSupport.Event("x-1", nodes: "x"), new GraphChanges { PutNodes = [TestSupport.Node("x", text: "added")] });
            workspace.Append("kb", TestSupport.Event("x-2", "updated", nodes: "fact-public"), new GraphChanges { RemoveNodes = ["assumption-old"] });
        }

        var fileHash = MemoryJson.ContentHash(files.Replay("kb").ToSnapshot());
        Assert.Equal(fileHash, MemoryJson.ContentHash(postgres.Replay("kb").ToSnapshot()));
        Assert.Equal(fileHash, MemoryJson.ContentHash(postgres.Replay("kb", ReplayCutoff.AfterEvent("x-2")).ToSnapshot()));
        Assert.Equal(files.Export("kb"), postgres.Export("kb"));

        postgres.Checkpoint();
        Assert.Null(postgres.CheckDrift("kb"));
        PostgresServer.Sql(options.ConnectionString, options.Owner, "UPDATE memory_snapshots SET body = replace(body, 'Public fact', 'Edited fact') WHERE graph = 'kb'");
        var drift = postgres.CheckDrift("kb");
        Assert.Equal("MC5017", drift!.Code);
        Assert.Contains($"but replaying the log to that position gives {fileHash}", drift.Message, StringComparison.Ordinal);
    }

    private static MemoryRecord Record(string id) => new(0, "2026-11-21T10:00:00Z", TestSupport.Event(id), GraphChanges.None);

    private static List<string> Strings(string owner, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Options = "-c memorycontracts.owner=" + owner };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
