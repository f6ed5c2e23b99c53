using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Validation;
using Npgsql;
using NpgsqlTypes;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// The three ports on PostgreSQL, for one owner. Every event row is signed (HMAC-SHA256, chained: each MAC covers
/// the previous one); an append extends a graph's chain in one statement that also moves the graph's head from
/// the head it read, so concurrent writers in any number of processes can neither lose nor duplicate an event
/// (the loser re-reads the head and retries, or gets MC5011 when it asked for an expected position).
/// </summary>
public sealed class PostgresMemoryStore : IMemoryGraphStore, IMemoryEventLog, IAuditSink, IDisposable
{
    private const string Committed = "committed";
    private const string Pending = "pending";
    private const string Failed = "failed";

    private const string AppendSql = """
        WITH head AS (
            INSERT INTO memory_heads (graph, head_seq, head_mac) VALUES ($1, $2, $3)
            ON CONFLICT (owner, graph) DO UPDATE SET head_seq = EXCLUDED.head_seq, head_mac = EXCLUDED.head_mac
            WHERE memory_heads.head_seq = $4
            RETURNING 1)
        INSERT INTO memory_events (graph, seq, event_id, kind, path, at, status, body, key_version, mac)
        SELECT $1, v.seq, v.event_id, v.kind, v.path, v.at, v.status, v.body, $6, v.mac
        FROM head, unnest($7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bytea[], $5::text[]) AS v(seq, event_id, kind, path, at, body, mac, status)
        """;

    private readonly NpgsqlDataSource _source;
    private readonly PostgresStoreOptions _options;
    private readonly ConcurrentDictionary<string, GraphQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Sequence, byte[] Mac)> _heads = new(StringComparer.Ordinal);
    private readonly object _auditGate = new();

    /// <summary>Opens a store for one owner. Run <see cref="PostgresMigrations.Migrate"/> once before.</summary>
    public PostgresMemoryStore(PostgresStoreOptions options)
    {
        if (OwnerProblem(options.Owner) is { } problem)
        {
            throw new MemoryStoreException(DiagnosticCatalog.WorkspaceLayout.Create(SourceLocation.File("--owner"), problem));
        }

        _options = options;
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new MemoryStoreException(DiagnosticCatalog.PostgresSetup.Create(SourceLocation.File("--postgres"), $"the connection string is not one Npgsql reads ({exception.Message.TrimEnd('.')})", "write it as Host=...;Port=5432;Username=...;Password=...;Database=... (a postgres:// URL is not read)"));
        }

        builder.ConnectionStringBuilder.IncludeErrorDetail = true;

        // The owner travels as a query parameter on every new physical connection, never inside the connection string,
        // and the session keeps it (no reset when a connection goes back to this owner's pool).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = new NpgsqlCommand("SELECT set_config('memorycontracts.owner', $1, false)", connection);
                command.Parameters.AddWithValue(options.Owner);
                command.ExecuteNonQuery();
            },
            async connection =>
            {
                await using var command = new NpgsqlCommand("SELECT set_config('memorycontracts.owner', $1, false)", connection);
                command.Parameters.AddWithValue(options.Owner);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            });
        _source = builder.Build();
    }

    /// <summary>Checks that the database is reachable and migrated to every migration this version knows (MC5030 otherwise).</summary>
    public void RequireMigrated() => PostgresSetup.RequireMigrated(_source, $"postgres:{Owner}");

    /// <summary>Why an owner name cannot be used (empty, too long, or holding a control, format or NUL character), or null.</summary>
    public static string? OwnerProblem(string owner) =>
        string.IsNullOrWhiteSpace(owner) ? "an owner is needed: --owner <name>"
        : owner.Length > 256 ? $"the owner name is {owner.Length} characters long; at most 256"
        : owner.Any(character => char.IsControl(character) || char.GetUnicodeCategory(character) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Surrogate)
            ? "the owner name holds a control, format or unpaired surrogate character; owners are plain names"
            : null;

    /// <summary>The owner this store reads and writes for.</summary>
    public string Owner => _options.Owner;

    /// <inheritdoc />
    public void SaveProfile(MemoryProfile profile)
    {
        var body = Encoding.UTF8.GetString(MemoryJson.WriteProfile(profile));
        Execute(
            "INSERT INTO memory_profiles (id, body, key_version, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, id) DO UPDATE SET body = EXCLUDED.body, key_version = EXCLUDED.key_version, mac = EXCLUDED.mac",
            profile.Id, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "profile", profile.Id, body));
    }

    /// <inheritdoc />
    public MemoryProfile? LoadProfile(string id)
    {
        if (SignedItem("SELECT body, key_version, mac FROM memory_profiles WHERE id = $1", "profile", id, id) is not { } body)
        {
            return null;
        }

        var result = new ContractValidator().Validate($"postgres:{Owner}/profiles/{id}", Encoding.UTF8.GetBytes(body));
        return result.Profile ?? throw new MemoryStoreException(result.Diagnostics.Where(diagnostic => diagnostic.IsError).ToArray());
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListProfiles() => Strings("SELECT id FROM memory_profiles ORDER BY id COLLATE \"C\"");

    /// <inheritdoc />
    public void CreateGraph(GraphHeader header)
    {
        var body = Encoding.UTF8.GetString(MemoryJson.WriteHeader(header));
        Execute(
            "INSERT INTO memory_graphs (id, header, key_version, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, id) DO NOTHING",
            header.Id, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "graph", header.Id, body));
    }

    /// <inheritdoc />
    public GraphHeader? LoadGraph(string id) =>
        SignedItem("SELECT header, key_version, mac FROM memory_graphs WHERE id = $1", "graph", id, id) is { } header ? Read($"graphs/{id}", header, MemoryJson.ReadHeader) : null;

    /// <inheritdoc />
    public IReadOnlyList<string> ListGraphs() => Strings("SELECT id FROM memory_graphs ORDER BY id COLLATE \"C\"");

    /// <inheritdoc />
    public void SaveSnapshot(GraphSnapshot snapshot) =>
        Execute("INSERT INTO memory_snapshots (graph, seq, body) VALUES ($1, $2, $3) ON CONFLICT (owner, graph) DO UPDATE SET seq = EXCLUDED.seq, body = EXCLUDED.body", snapshot.GraphId, snapshot.Sequence, Encoding.UTF8.GetString(MemoryJson.WriteSnapshot(snapshot)));

    /// <inheritdoc />
    public GraphSnapshot? LoadSnapshot(string graphId) =>
        Scalar<string>("SELECT body FROM memory_snapshots WHERE graph = $1", graphId) is { } body ? Read($"snapshots/{graphId}", body, MemoryJson.ReadSnapshot) : null;

    /// <inheritdoc />
    public void SavePlan(string graphId, string planId, byte[] content)
    {
        var body = Encoding.UTF8.GetString(content);
        Execute(
            "INSERT INTO memory_plans (graph, id, body, key_version, mac) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner, graph, id) DO NOTHING",
            graphId, planId, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "plan", graphId + "/" + planId, body));
    }

    /// <inheritdoc />
    public byte[]? LoadPlan(string graphId, string planId) =>
        SignedItem("SELECT body, key_version, mac FROM memory_plans WHERE graph = $1 AND id = $2", "plan", graphId + "/" + planId, graphId, planId) is { } body ? Encoding.UTF8.GetBytes(body) : null;

    /// <inheritdoc />
    public void SaveJournal(string graphId, byte[]? content)
    {
        if (content is null)
        {
            Execute("DELETE FROM memory_journals WHERE graph = $1", graphId);
            return;
        }

        var body = Encoding.UTF8.GetString(content);
        Execute(
            "INSERT INTO memory_journals (graph, body, key_version, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, graph) DO UPDATE SET body = EXCLUDED.body, key_version = EXCLUDED.key_version, mac = EXCLUDED.mac",
            graphId, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "journal", graphId, body));
    }

    /// <inheritdoc />
    public byte[]? LoadJournal(string graphId) =>
        SignedItem("SELECT body, key_version, mac FROM memory_journals WHERE graph = $1", "journal", graphId, graphId) is { } body ? Encoding.UTF8.GetBytes(body) : null;

    /// <inheritdoc />
    public IReadOnlyList<MemoryRecord> Append(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null) =>
        Write(graphId, records, expectedSequence, Committed, idempotency: null);

    /// <summary>
    /// Appends with an idempotency key: the first call with a key (within <see cref="PostgresStoreOptions.IdempotencyLifetime"/>)
    /// writes and records its outcome; every retry with the same key and scope returns that outcome and writes nothing.
    /// </summary>
    public IReadOnlyList<MemoryRecord> AppendIdempotent(string graphId, IReadOnlyList<MemoryRecord> records, string idempotencyKey, long? expectedSequence = null) =>
        Write(graphId, records, expectedSequence, Committed, idempotencyKey);

    /// <summary>
    /// The first step of the write saga: records the event as <c>pending</c> (signed and chained like any row, but
    /// not replayed) before the caller performs the effect it describes; finish with <see cref="CompleteWrite"/>.
    /// </summary>
    public MemoryRecord BeginWrite(string graphId, MemoryRecord record) => Write(graphId, [record], null, Pending, idempotency: null)[0];

    /// <summary>The last step of the write saga: the pending row becomes <c>committed</c> (replayed from now on) or <c>failed</c> (with the reason).</summary>
    public void CompleteWrite(string graphId, long sequence, bool committed, string? note = null)
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var mac = Command(connection, "SELECT mac FROM memory_events WHERE graph = $1 AND seq = $2 AND status = 'pending' FOR UPDATE", graphId, sequence).ExecuteScalar() as byte[]
            ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, LocationOf(graphId), "pending write", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty);
        var status = committed ? Committed : Failed;
        Command(connection, "UPDATE memory_events SET status = $3, status_note = $4, status_at = now(), status_mac = $5 WHERE graph = $1 AND seq = $2", graphId, sequence, status, (object?)note ?? DBNull.Value, SignStatus(_options.Keys.Current, graphId, sequence, mac, status, note)!).ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Writes of the saga that are still pending after <paramref name="olderThan"/>, and every failed one (MC5018).</summary>
    public IReadOnlyList<ContractDiagnostic> Reconcile(TimeSpan olderThan)
    {
        using var connection = _source.OpenConnection();
        using var command = new NpgsqlCommand("SELECT graph, seq, coalesce(event_id, ''), status, status_at, coalesce(status_note, '') FROM memory_events WHERE (status = 'pending' AND status_at < now() - $1) OR status = 'failed' ORDER BY graph COLLATE \"C\", seq", connection);
        command.Parameters.AddWithValue(olderThan);
        using var reader = command.ExecuteReader();
        var stuck = new List<ContractDiagnostic>();
        while (reader.Read())
        {
            var note = reader.GetString(5);
            stuck.Add(DiagnosticCatalog.StuckWrite.Create(new SourceLocation(LocationOf(reader.GetString(0)), (int)Math.Min(int.MaxValue, reader.GetInt64(1)), 1, 0, 0), reader.GetString(2), reader.GetInt64(1), reader.GetString(0), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), note.Length == 0 ? string.Empty : ": " + note));
        }

        return stuck;
    }

    /// <summary>Deletes idempotency records past their lifetime; returns how many.</summary>
    public int CleanIdempotency() => Execute("DELETE FROM memory_idempotency WHERE expires_at < now()");

    /// <inheritdoc />
    public IEnumerable<MemoryRecord> Read(string graphId, long afterSequence = 0) =>
        ReadAhead.Map(Batches(graphId, afterSequence), batch => batch.Select(row => Parse(graphId, row.Sequence, row.Body)).ToArray());

    /// <inheritdoc />
    public long LastSequence(string graphId) => Scalar<long?>("SELECT head_seq FROM memory_heads WHERE graph = $1", graphId) ?? 0;

    /// <inheritdoc />
    public bool ContainsEvent(string graphId, string eventId) =>
        Scalar<int?>("SELECT 1 FROM memory_events WHERE graph = $1 AND event_id = $2", graphId, eventId) is not null;

    /// <inheritdoc />
    /// <remarks>The whole chain is re-signed with the current key in one transaction; the audit log holds why.</remarks>
    public void Rewrite(string graphId, Func<MemoryRecord, MemoryRecord> rewrite)
    {
        lock (_queues.GetOrAdd(graphId, _ => new GraphQueue()).FlushGate)
        {
            using var connection = _source.OpenConnection();
            using var transaction = connection.BeginTransaction();
            Command(connection, "SELECT 1 FROM memory_heads WHERE graph = $1 FOR UPDATE", graphId).ExecuteNonQuery();
            var rows = new List<(long Sequence, string Body, string Status, string? Note, bool WrittenPending)>();
            using (var select = Command(connection, "SELECT seq, body, status, status_note, status_mac IS NOT NULL FROM memory_events WHERE graph = $1 ORDER BY seq", graphId))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var status = reader.GetString(2);
                    rows.Add((reader.GetInt64(0), reader.GetString(1), status, reader.IsDBNull(3) ? null : reader.GetString(3), status == Pending || reader.GetBoolean(4)));
                }
            }

            var previous = Array.Empty<byte>();
            foreach (var (sequence, body, status, note, writtenPending) in rows)
            {
                var rewritten = Encoding.UTF8.GetString(MemoryJson.WriteRecord(rewrite(Parse(graphId, sequence, body))));
                var mac = SignRow(_options.Keys.Current, graphId, sequence, previous, writtenPending, rewritten)!;
                var statusMac = writtenPending && status != Pending ? SignStatus(_options.Keys.Current, graphId, sequence, mac, status, note) : null;
                Command(connection, "UPDATE memory_events SET body = $3, key_version = $4, mac = $5, status_mac = $6 WHERE graph = $1 AND seq = $2", graphId, sequence, rewritten, _options.Keys.Current, mac, (object?)statusMac ?? DBNull.Value).ExecuteNonQuery();
                previous = mac;
            }

            Command(connection, "UPDATE memory_heads SET head_mac = $2 WHERE graph = $1", graphId, previous).ExecuteNonQuery();
            transaction.Commit();
            _heads.TryRemove(graphId, out _);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ContractDiagnostic> Check(string graphId)
    {
        var diagnostics = new List<ContractDiagnostic>(Verify(graphId));
        foreach (var (sequence, body) in Rows(graphId))
        {
            try
            {
                Parse(graphId, sequence, body);
            }
            catch (MemoryStoreException exception)
            {
                diagnostics.AddRange(exception.Diagnostics);
            }
        }

        return diagnostics;
    }

    /// <summary>
    /// Recomputes every row's MAC along the chain and reports each broken row (MC5016): an edited row (its MAC does not
    /// match), a deleted row (a gap in the sequence; the next row's chain no longer matches), reordered rows (MACs
    /// cover the sequence), a status set by hand (a row written committed is never anything else; a saga row changes
    /// status only with a status MAC), a head that does not match the last row, or a key version the ring does not
    /// hold. With a <paramref name="witness"/> (a checkpoint kept outside the database: the last one this caller saw),
    /// a ledger rewound to before it, or whose row at it was replaced, is reported too. A graph the ledger does not
    /// hold (no header, no row) is MC5014.
    /// </summary>
    public IReadOnlyList<ContractDiagnostic> Verify(string graphId, LedgerCheckpoint? witness = null)
    {
        var location = LocationOf(graphId);
        if (LoadGraph(graphId) is null && LastSequence(graphId) == 0)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "graph", graphId, witness is null ? string.Empty : $"; a checkpoint saw it at row {witness.Sequence}: it was deleted");
        }

        var broken = new List<ContractDiagnostic>();
        using var connection = _source.OpenConnection();
        using var command = Command(connection, "SELECT seq, coalesce(event_id, ''), body, key_version, mac, status, status_note, status_mac FROM memory_events WHERE graph = $1 ORDER BY seq", graphId);
        using var reader = command.ExecuteReader();
        var previous = Array.Empty<byte>();
        long expected = 1;
        byte[]? witnessed = null;
        while (reader.Read())
        {
            var (sequence, eventId, body, version, mac) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4));
            var (status, note, statusMac) = (reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7));
            void Report(string problem) => broken.Add(DiagnosticCatalog.IntegrityBroken.Create(new SourceLocation(location, (int)Math.Min(int.MaxValue, sequence), 1, 0, 0), sequence, eventId, graphId, problem));
            if (witness?.Sequence == sequence)
            {
                witnessed = mac;
            }

            if (sequence != expected)
            {
                // The chain link to a missing predecessor is broken by construction; one report for the row.
                Report(sequence > expected ? $"rows {expected} to {sequence - 1} are missing" : $"sequence {sequence} is out of order (expected {expected})");
            }
            else if (SignRow(version, graphId, sequence, previous, writtenPending: false, body) is not { } committedMac)
            {
                Report($"it is signed with key version '{version}', which the key ring ({string.Join(", ", _options.Keys.Versions)}) does not hold");
            }
            else if (CryptographicOperations.FixedTimeEquals(committedMac, mac))
            {
                if (status != Committed || statusMac is not null)
                {
                    Report($"its status is '{status}', but it was written committed and a committed row never changes status (set by hand)");
                }
            }
            else if (CryptographicOperations.FixedTimeEquals(SignRow(version, graphId, sequence, previous, writtenPending: true, body)!, mac))
            {
                if (status == Pending && statusMac is not null)
                {
                    Report("it is pending again although the saga completed it (its status MAC remains): the status was set back by hand");
                }
                else if (status != Pending && (statusMac is null || SignStatus(version, graphId, sequence, mac, status, note) is not { } expectedStatus || !CryptographicOperations.FixedTimeEquals(expectedStatus, statusMac)))
                {
                    Report($"its status '{status}' does not carry a valid status MAC: it was not set by the write saga");
                }
            }
            else
            {
                Report("its MAC does not match its content and the row before it (edited, moved, or the row before it was replaced)");
            }

            previous = mac;
            expected = sequence + 1;
        }

        reader.Close();
        using var head = Command(connection, "SELECT head_seq, head_mac FROM memory_heads WHERE graph = $1", graphId);
        using var headReader = head.ExecuteReader();
        if (headReader.Read() && (headReader.GetInt64(0) != expected - 1 || !headReader.GetFieldValue<byte[]>(1).AsSpan().SequenceEqual(previous)))
        {
            broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.File(location), headReader.GetInt64(0), "(head)", graphId, $"the head names row {headReader.GetInt64(0)}, but the last row is {expected - 1} or its MAC differs (rows at the end were removed or changed)"));
        }

        if (witness is not null)
        {
            void Rewound(string problem) => broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.File(location), witness.Sequence, "(checkpoint)", graphId, problem));
            if (!witness.IsSignedBy(_options.Keys, Owner))
            {
                Rewound("the checkpoint given as a witness is not signed with a key of the ring for this owner and graph");
            }
            else if (expected - 1 < witness.Sequence)
            {
                Rewound($"the ledger ends at row {expected - 1}, but a checkpoint kept outside the database saw row {witness.Sequence}: rows were removed and the head rewound");
            }
            else if (witnessed is null || !Convert.ToHexString(witnessed).Equals(witness.Mac, StringComparison.OrdinalIgnoreCase))
            {
                Rewound($"row {witness.Sequence} is not the row a checkpoint kept outside the database saw (its MAC differs): the ledger was rewound and rewritten");
            }
        }

        return broken;
    }

    /// <summary>
    /// A signed checkpoint of a graph's ledger: its last row and that row's MAC, signed with the current key. Keep it
    /// outside the database (a file, the caller's own store) and hand it to <see cref="Verify"/> later: a ledger
    /// rewound to before it (rows deleted and the head moved back) no longer verifies against it.
    /// </summary>
    public LedgerCheckpoint Checkpoint(string graphId)
    {
        var (sequence, mac) = (0L, Array.Empty<byte>());
        using (var connection = _source.OpenConnection())
        {
            (sequence, mac) = ReadHead(connection, graphId);
        }

        return LedgerCheckpoint.Sign(_options.Keys, Owner, graphId, sequence, Convert.ToHexString(mac));
    }

    /// <summary>The MAC of a ledger row; a row written pending (the saga) is signed with that status, so it cannot pass as one written committed.</summary>
    private byte[]? SignRow(string version, string graphId, long sequence, ReadOnlySpan<byte> previous, bool writtenPending, string body) =>
        _options.Keys.Sign(version, Owner, graphId, sequence, previous, writtenPending ? "pending\n" + body : body);

    /// <summary>The MAC of a saga row's status change: over the row's MAC, the new status and the note.</summary>
    private byte[]? SignStatus(string version, string graphId, long sequence, byte[] rowMac, string status, string? note) =>
        _options.Keys.SignItem(version, Owner, "status", $"{graphId}/{sequence}", $"{status}\n{note}\n{Convert.ToHexString(rowMac)}");

    /// <inheritdoc />
    /// <remarks>
    /// Audit records form a chain like ledger rows: each MAC covers the record and the MAC before it, and the owner's
    /// head row moves in the same statement that inserts the record, so two writers cannot both extend one head.
    /// </remarks>
    public void Write(AuditRecord record)
    {
        const string Sql = """
            WITH head AS (
                INSERT INTO memory_audit_heads (head_seq, head_mac) VALUES ($1, $2)
                ON CONFLICT (owner) DO UPDATE SET head_seq = EXCLUDED.head_seq, head_mac = EXCLUDED.head_mac
                WHERE memory_audit_heads.head_seq = $3
                RETURNING 1)
            INSERT INTO memory_audit (seq, body, key_version, mac) SELECT $1, $4, $5, $2 FROM head
            """;
        var body = Encoding.UTF8.GetString(MemoryJson.WriteAudit(record));
        lock (_auditGate)
        {
            while (true)
            {
                using var connection = _source.OpenConnection();
                var (head, previous) = ReadAuditHead(connection);
                var mac = SignAudit(_options.Keys.Current, head + 1, previous, body)!;
                if (Command(connection, Sql, head + 1, mac, head, body, _options.Keys.Current).ExecuteNonQuery() == 1)
                {
                    return;
                }
            }
        }
    }

    /// <inheritdoc />
    IEnumerable<AuditRecord> IAuditSink.Read() =>
        Strings("SELECT body FROM memory_audit ORDER BY seq NULLS FIRST, position").Select(body => Read("audit", body, MemoryJson.ReadAudit));

    /// <inheritdoc />
    IReadOnlyList<ContractDiagnostic> IAuditSink.Check() => VerifyAudit();

    /// <summary>
    /// Checks the owner's audit chain (MC5016): an edited, deleted, inserted or reordered record, an unsigned one, or
    /// a head that does not name the last record.
    /// </summary>
    public IReadOnlyList<ContractDiagnostic> VerifyAudit()
    {
        var location = $"postgres:{Owner}/audit";
        var broken = new List<ContractDiagnostic>();
        using var connection = _source.OpenConnection();
        var previous = Array.Empty<byte>();
        long expected = 1;
        using (var command = Command(connection, "SELECT seq, body, key_version, mac, position FROM memory_audit ORDER BY seq NULLS FIRST, position"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var position = reader.GetInt64(4);
                if (reader.IsDBNull(0) || reader.IsDBNull(2) || reader.IsDBNull(3))
                {
                    broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.File(location), position, "(audit)", "(audit)", "the audit record carries no MAC (written before migration 2, or inserted by hand)"));
                    continue;
                }

                var (sequence, body, version, mac) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3));
                var computed = SignAudit(version, sequence, previous, body);
                var problem = sequence != expected ? (sequence > expected ? $"audit records {expected} to {sequence - 1} are missing" : $"audit record {sequence} is out of order")
                    : computed is null ? $"it is signed with key version '{version}', which the key ring does not hold"
                    : !CryptographicOperations.FixedTimeEquals(computed, mac) ? "its MAC does not match its content and the record before it (edited, inserted or moved)"
                    : null;
                if (problem is not null)
                {
                    broken.Add(DiagnosticCatalog.IntegrityBroken.Create(new SourceLocation(location, (int)Math.Min(int.MaxValue, sequence), 1, 0, 0), sequence, "(audit)", "(audit)", problem));
                }

                previous = mac;
                expected = sequence + 1;
            }
        }

        var (head, headMac) = ReadAuditHead(connection);
        if (head != expected - 1 || !headMac.AsSpan().SequenceEqual(previous))
        {
            broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.File(location), head, "(audit head)", "(audit)", $"the audit head names record {head}, but the last record is {expected - 1} or its MAC differs (records at the end were removed or changed)"));
        }

        return broken;
    }

    private (long Sequence, byte[] Mac) ReadAuditHead(NpgsqlConnection connection)
    {
        using var command = Command(connection, "SELECT head_seq, head_mac FROM memory_audit_heads");
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, []);
    }

    /// <summary>The MAC of an audit record: over its place in the owner's audit chain, the MAC before it and its body.</summary>
    private byte[]? SignAudit(string version, long sequence, byte[] previous, string body) =>
        _options.Keys.SignItem(version, Owner, "audit", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToHexString(previous) + "\n" + body);

    /// <inheritdoc />
    public string LocationOf(string graphId) => $"postgres:{Owner}/{graphId}";

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();

    /// <summary>
    /// Writes through the graph's queue: concurrent writers in this process are flushed together, in one statement
    /// and one commit (group commit); an idempotent write runs alone, in a transaction with its key.
    /// </summary>
    private IReadOnlyList<MemoryRecord> Write(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence, string status, string? idempotency)
    {
        var queue = _queues.GetOrAdd(graphId, _ => new GraphQueue());
        using var request = new WriteRequest(records, expectedSequence, status, idempotency);
        bool lead;
        lock (queue.Gate)
        {
            queue.Waiting.Add(request);
            lead = !queue.Flushing;
            queue.Flushing = true;
        }

        // One writer at a time flushes everything queued (its own request included), then hands the turn to the
        // first request that arrived meanwhile; the others just wait for their outcome.
        while (lead || request.WaitForTurnOrOutcome())
        {
            lead = false;
            lock (queue.FlushGate)
            {
                List<WriteRequest> batch;
                lock (queue.Gate)
                {
                    batch = queue.Waiting;
                    queue.Waiting = [];
                }

                try
                {
                    Flush(graphId, batch);
                }
                catch (Exception exception)
                {
                    // The connection or the server failed: every request of the batch gets the failure, none waits forever.
                    batch.Where(waiting => !waiting.Done).ToList().ForEach(waiting => waiting.Fail(exception));
                }
                finally
                {
                    lock (queue.Gate)
                    {
                        if (queue.Waiting.Count > 0)
                        {
                            queue.Waiting[0].GiveTurn();
                        }
                        else
                        {
                            queue.Flushing = false;
                        }
                    }
                }
            }
        }

        return request.Error is { } error ? throw error : request.Stored!;
    }

    /// <summary>Writes a batch of requests: plain ones together (falling back to one by one when the batch fails), idempotent ones alone.</summary>
    private void Flush(string graphId, List<WriteRequest> batch)
    {
        var plain = batch.Where(request => request.Idempotency is null).ToList();
        if (plain.Count > 1)
        {
            try
            {
                using var connection = _source.OpenConnection();
                Insert(connection, null, graphId, plain);
            }
            catch (MemoryStoreException)
            {
                // One request of the batch is refused (a duplicate id, a stale position): find it by writing them one by one.
                plain.ForEach(request => request.Reset());
            }
        }

        foreach (var request in batch.Where(request => !request.Done))
        {
            try
            {
                using var connection = _source.OpenConnection();
                using var transaction = request.Idempotency is null ? null : connection.BeginTransaction();
                if (request.Idempotency is { } key && Claim(connection, graphId, key, Fingerprint(request.Records)) is { } first)
                {
                    request.Complete(first.ToArray());
                }
                else
                {
                    Insert(connection, transaction, graphId, [request]);
                    if (request.Idempotency is { } claimed)
                    {
                        Command(connection, "UPDATE memory_idempotency SET outcome = $3 WHERE scope = $1 AND key = $2", Scope(graphId), claimed, string.Join(",", request.Stored!.Select(record => record.Sequence))).ExecuteNonQuery();
                    }
                }

                transaction?.Commit();
            }
            catch (MemoryStoreException exception)
            {
                request.Fail(exception);
            }
        }
    }

    /// <summary>
    /// Inserts the requests' rows in one statement that also moves the graph's head from the head it read; when
    /// another writer moved the head first, reads it again and retries. Completes every request, or throws.
    /// </summary>
    private void Insert(NpgsqlConnection connection, NpgsqlTransaction? transaction, string graphId, IReadOnlyList<WriteRequest> requests)
    {
        while (true)
        {
            var (head, mac) = _heads.TryGetValue(graphId, out var cached) ? cached : ReadHead(connection, graphId);
            if (requests.Select(request => request.ExpectedSequence).FirstOrDefault(expected => expected is not null) is { } firstExpected && firstExpected != head)
            {
                // The cached head may be behind another process's appends: ask the database before refusing.
                (head, mac) = ReadHead(connection, graphId);
                _heads[graphId] = (head, mac);
            }

            var rows = new List<(MemoryRecord Record, string Body, byte[] Mac, string Status)>();
            var next = head;
            var previous = mac;
            foreach (var request in requests)
            {
                if (request.ExpectedSequence is { } expected && expected != next)
                {
                    throw MemoryStoreException.Create(DiagnosticCatalog.StaleLogPosition, LocationOf(graphId), "the append", graphId, expected, next);
                }

                var stored = new MemoryRecord[request.Records.Count];
                for (var index = 0; index < stored.Length; index++)
                {
                    stored[index] = request.Records[index] with { Sequence = ++next };
                    var body = Encoding.UTF8.GetString(MemoryJson.WriteRecord(stored[index]));
                    previous = SignRow(_options.Keys.Current, graphId, next, previous, request.Status == Pending, body)!;
                    rows.Add((stored[index], body, previous, request.Status));
                }

                request.Stored = stored;
            }

            using var command = new NpgsqlCommand(AppendSql, connection, transaction);
            command.Parameters.AddWithValue(graphId);
            command.Parameters.AddWithValue(next);
            command.Parameters.AddWithValue(previous);
            command.Parameters.AddWithValue(head);
            command.Parameters.Add(Texts(rows.Select(row => (string?)row.Status)));
            command.Parameters.AddWithValue(_options.Keys.Current);
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(row => row.Record.Sequence).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(Texts(rows.Select(row => row.Record.Event?.Id)));
            command.Parameters.Add(Texts(rows.Select(row => row.Record.Event?.Kind)));
            command.Parameters.Add(Texts(rows.Select(row => row.Record.Event?.Path)));
            command.Parameters.Add(Texts(rows.Select(row => (string?)row.Record.At)));
            command.Parameters.Add(Texts(rows.Select(row => (string?)row.Body)));
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(row => row.Mac).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            int inserted;
            try
            {
                inserted = command.ExecuteNonQuery();
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation && exception.ConstraintName?.Contains("event_id", StringComparison.Ordinal) == true)
            {
                _heads.TryRemove(graphId, out _);
                var ids = rows.Select(row => row.Record.Event?.Id).OfType<string>().ToArray();
                var duplicate = ids.FirstOrDefault(id => exception.Detail?.Contains(", " + id + ")", StringComparison.Ordinal) == true) ?? ids.GroupBy(id => id).FirstOrDefault(group => group.Count() > 1)?.Key ?? ids[0];
                throw MemoryStoreException.Create(DiagnosticCatalog.DuplicateEventId, LocationOf(graphId), duplicate, graphId);
            }

            if (inserted == rows.Count)
            {
                _heads[graphId] = (next, previous);
                foreach (var request in requests)
                {
                    request.Complete(request.Stored!);
                }

                return;
            }

            // Another writer moved the head: read it again and extend the new head.
            _heads[graphId] = ReadHead(connection, graphId);
        }
    }

    /// <summary>
    /// Claims an idempotency key for a request with this fingerprint; returns the first outcome when the key was
    /// claimed before by the same request and has not expired, and refuses (MC5027) a different request under it.
    /// </summary>
    private IReadOnlyList<MemoryRecord>? Claim(NpgsqlConnection connection, string graphId, string key, string fingerprint)
    {
        var scope = Scope(graphId);
        Command(connection, "DELETE FROM memory_idempotency WHERE scope = $1 AND key = $2 AND expires_at < now()", scope, key).ExecuteNonQuery();
        using var claim = Command(connection, "INSERT INTO memory_idempotency (scope, key, expires_at, fingerprint) VALUES ($1, $2, now() + $3, $4) ON CONFLICT (owner, scope, key) DO NOTHING", scope, key, _options.IdempotencyLifetime, fingerprint);
        if (claim.ExecuteNonQuery() == 1)
        {
            return null;
        }

        string outcome, first;
        using (var read = Command(connection, "SELECT outcome, fingerprint FROM memory_idempotency WHERE scope = $1 AND key = $2", scope, key))
        using (var reader = read.ExecuteReader())
        {
            reader.Read();
            outcome = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
            first = reader.IsDBNull(1) ? "(none)" : reader.GetString(1);
        }

        if (first != fingerprint)
        {
            throw new MemoryStoreException(DiagnosticCatalog.IdempotencyKeyReused.Create(SourceLocation.File(LocationOf(graphId)), key, $"its records hash to {first}, this request's to {fingerprint}"));
        }

        var sequences = outcome.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToHashSet();
        return Read(graphId, sequences.Count == 0 ? 0 : sequences.Min() - 1).Where(record => sequences.Contains(record.Sequence)).ToArray();
    }

    /// <summary>The SHA-256 (hex) of the records a request appends, as stored but before sequences are assigned.</summary>
    private static string Fingerprint(IReadOnlyList<MemoryRecord> records)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var record in records)
        {
            hash.AppendData(MemoryJson.WriteRecord(record with { Sequence = 0 }));
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static string Scope(string graphId) => "append:" + graphId;

    private (long Sequence, byte[] Mac) ReadHead(NpgsqlConnection connection, string graphId)
    {
        using var command = Command(connection, "SELECT head_seq, head_mac FROM memory_heads WHERE graph = $1", graphId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, []);
    }

    private IEnumerable<(long Sequence, string Body)[]> Batches(string graphId, long afterSequence)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, "SELECT seq, body FROM memory_events WHERE graph = $1 AND seq > $2 AND status = 'committed' ORDER BY seq", graphId, afterSequence);
        using var reader = command.ExecuteReader();
        var batch = new List<(long, string)>(4096);
        while (reader.Read())
        {
            batch.Add((reader.GetInt64(0), reader.GetString(1)));
            if (batch.Count == 4096)
            {
                yield return batch.ToArray();
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch.ToArray();
        }
    }

    private IEnumerable<(long Sequence, string Body)> Rows(string graphId)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, "SELECT seq, body FROM memory_events WHERE graph = $1 ORDER BY seq", graphId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetInt64(0), reader.GetString(1));
        }
    }

    private MemoryRecord Parse(string graphId, long sequence, string body) =>
        StoredContent.Read(Encoding.UTF8.GetBytes(body), LocationOf(graphId), sequence, MemoryJson.ReadRecord);

    /// <summary>
    /// Reads a signed item (body, key version, MAC) and checks its MAC; an edited, unsigned or foreign-key row is
    /// MC5016, never trusted. Null when there is no such row.
    /// </summary>
    private string? SignedItem(string sql, string item, string id, params object?[] values)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, sql, values);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var body = reader.GetString(0);
        var version = reader.IsDBNull(1) ? null : reader.GetString(1);
        var mac = reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2);
        var expected = version is null ? null : _options.Keys.SignItem(version, Owner, item, id, body);
        if (mac is null || expected is null || !CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            var why = mac is null ? "it has no MAC (written before migration 2, or by hand); write it again"
                : expected is null ? $"it is signed with key version '{version}', which the key ring lacks"
                : "its MAC does not match its content: it was changed outside MemoryContracts";
            throw new MemoryStoreException(DiagnosticCatalog.ItemIntegrityBroken.Create(SourceLocation.File($"postgres:{Owner}/{item}s/{id}"), item, id, why));
        }

        return body;
    }

    private T Read<T>(string what, string content, StoredContent.Reader<T> read) =>
        StoredContent.Read(Encoding.UTF8.GetBytes(content), $"postgres:{Owner}/{what}", 1, read);

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.Select(value => (object?)value ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value ?? DBNull.Value);
        }

        return command;
    }

    private int Execute(string sql, params object?[] values)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, sql, values);
        return command.ExecuteNonQuery();
    }

    private T? Scalar<T>(string sql, params object?[] values)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, sql, values);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)value;
    }

    private IReadOnlyList<string> Strings(string sql)
    {
        using var connection = _source.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>The writers waiting on one graph, whether one of them is flushing, and the lock rewrites share with flushes.</summary>
    private sealed class GraphQueue
    {
        public object Gate { get; } = new();

        public object FlushGate { get; } = new();

        public List<WriteRequest> Waiting { get; set; } = [];

        public bool Flushing { get; set; }
    }

    /// <summary>One caller's write, completed by whichever writer flushes it, or handed the turn to flush.</summary>
    private sealed class WriteRequest(IReadOnlyList<MemoryRecord> records, long? expectedSequence, string status, string? idempotency) : IDisposable
    {
        private readonly ManualResetEventSlim _signal = new();
        private volatile bool _turn;

        public IReadOnlyList<MemoryRecord> Records { get; } = records;

        public long? ExpectedSequence { get; } = expectedSequence;

        public string Status { get; } = status;

        public string? Idempotency { get; } = idempotency;

        public MemoryRecord[]? Stored { get; set; }

        public Exception? Error { get; private set; }

        public bool Done { get; private set; }

        public void Complete(MemoryRecord[] stored)
        {
            Stored = stored;
            Done = true;
            _signal.Set();
        }

        public void Fail(Exception error)
        {
            Error = error;
            Done = true;
            _signal.Set();
        }

        public void GiveTurn()
        {
            _turn = true;
            _signal.Set();
        }

        /// <summary>Waits; true when this request was handed the turn to flush, false when it has its outcome.</summary>
        public bool WaitForTurnOrOutcome()
        {
            _signal.Wait();
            if (Done)
            {
                return false;
            }

            _signal.Reset();
            return _turn;
        }

        public void Dispose() => _signal.Dispose();

        public void Reset()
        {
            Stored = null;
            Done = false;
        }
    }
}
