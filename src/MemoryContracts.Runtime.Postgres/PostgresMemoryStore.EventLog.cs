using System.Runtime.CompilerServices;
using System.Buffers;
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

/// <content>The event log port: appends through group commit, reads, history rewrites.</content>
public sealed partial class PostgresMemoryStore
{
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

    /// <inheritdoc />
    public IReadOnlyList<MemoryRecord> Append(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null) =>
        Synchronously.Run(WriteAsync(useAsync: false, graphId, records, expectedSequence, Committed, idempotency: null, CancellationToken.None));

    /// <inheritdoc />
    /// <remarks>
    /// Uses Npgsql's asynchronous API throughout. <paramref name="cancellationToken"/> is observed until the append
    /// joins a group commit (while it waits in the graph's queue, it can still leave it); the statement that commits is
    /// never cancelled, so a cancelled append has written nothing and a completed one is durable.
    /// </remarks>
    public async ValueTask<IReadOnlyList<MemoryRecord>> AppendAsync(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null, CancellationToken cancellationToken = default) =>
        await WriteAsync(useAsync: true, graphId, records, expectedSequence, Committed, idempotency: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Appends with an idempotency key: the first call with a key (within <see cref="PostgresStoreOptions.IdempotencyLifetime"/>)
    /// writes and records its outcome; every retry with the same key and scope returns that outcome and writes nothing.
    /// </summary>
    public IReadOnlyList<MemoryRecord> AppendIdempotent(string graphId, IReadOnlyList<MemoryRecord> records, string idempotencyKey, long? expectedSequence = null) =>
        Synchronously.Run(WriteAsync(useAsync: false, graphId, records, expectedSequence, Committed, idempotencyKey, CancellationToken.None));

    /// <inheritdoc />
    public IEnumerable<MemoryRecord> Read(string graphId, long afterSequence = 0)
    {
        var location = LocationOf(graphId);
        return ReadAhead.Map(Batches(graphId, afterSequence), batch => Array.ConvertAll(batch, row => Parse(location, row.Sequence, row.Body)));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MemoryRecord> ReadAsync(string graphId, long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var location = LocationOf(graphId);
        var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, "SELECT seq, body FROM memory_events WHERE graph = $1 AND seq > $2 AND status = 'committed' ORDER BY seq", graphId, afterSequence);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield return Parse(location, reader.GetInt64(0), reader.GetString(1));
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public long LastSequence(string graphId) => Scalar<long?>("SELECT head_seq FROM memory_heads WHERE graph = $1", graphId) ?? 0;

    /// <inheritdoc />
    public async ValueTask<long> LastSequenceAsync(string graphId, CancellationToken cancellationToken = default) =>
        await ScalarAsync<long?>("SELECT head_seq FROM memory_heads WHERE graph = $1", cancellationToken, graphId).ConfigureAwait(false) ?? 0;

    /// <inheritdoc />
    public bool ContainsEvent(string graphId, string eventId) =>
        Scalar<int?>("SELECT 1 FROM memory_events WHERE graph = $1 AND event_id = $2", graphId, eventId) is not null;

    /// <inheritdoc />
    public async ValueTask<bool> ContainsEventAsync(string graphId, string eventId, CancellationToken cancellationToken = default) =>
        await ScalarAsync<int?>("SELECT 1 FROM memory_events WHERE graph = $1 AND event_id = $2", cancellationToken, graphId, eventId).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    /// <remarks>The whole chain is re-signed with the current key in one transaction; the audit log holds why.</remarks>
    public void Rewrite(string graphId, Func<MemoryRecord, MemoryRecord> rewrite) =>
        Synchronously.Run(RewriteAsync(useAsync: false, graphId, rewrite, CancellationToken.None));

    /// <inheritdoc />
    /// <remarks>The whole chain is re-signed with the current key in one transaction; the audit log holds why.</remarks>
    public ValueTask RewriteAsync(string graphId, Func<MemoryRecord, MemoryRecord> rewrite, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RewriteAsync(useAsync: true, graphId, rewrite, cancellationToken);
    }

    /// <summary>One code path for both forms: <paramref name="useAsync"/> false blocks; true awaits Npgsql's asynchronous API.</summary>
    private async ValueTask RewriteAsync(bool useAsync, string graphId, Func<MemoryRecord, MemoryRecord> rewrite, CancellationToken cancellationToken)
    {
        var flushGate = _queues.GetOrAdd(graphId, _ => new GroupCommit()).FlushGate;
        if (useAsync)
        {
            await flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            flushGate.Wait(cancellationToken);
        }

        try
        {
            var connection = await OpenAsync(useAsync).ConfigureAwait(false);
            try
            {
                var transaction = useAsync ? await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false) : connection.BeginTransaction();
                try
                {
                    await ExecuteAsync(useAsync, Command(connection, "SELECT 1 FROM memory_heads WHERE graph = $1 FOR UPDATE", graphId)).ConfigureAwait(false);
                    var rows = new List<(long Sequence, string Body, string Status, string? Note, bool WrittenPending)>();
                    using (var select = Command(connection, "SELECT seq, body, status, status_note, status_mac IS NOT NULL FROM memory_events WHERE graph = $1 ORDER BY seq", graphId))
                    {
                        var reader = useAsync ? await select.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false) : select.ExecuteReader();
                        try
                        {
                            while (useAsync ? await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) : reader.Read())
                            {
                                var status = reader.GetString(2);
                                rows.Add((reader.GetInt64(0), reader.GetString(1), status, reader.IsDBNull(3) ? null : reader.GetString(3), status == Pending || reader.GetBoolean(4)));
                            }
                        }
                        finally
                        {
                            await ReleaseAsync(useAsync, reader).ConfigureAwait(false);
                        }
                    }

                    var previous = Array.Empty<byte>();
                    var location = LocationOf(graphId);
                    foreach (var (sequence, body, status, note, writtenPending) in rows)
                    {
                        var rewritten = Encoding.UTF8.GetString(MemoryJson.WriteRecord(rewrite(Parse(location, sequence, body))));
                        var mac = SignRow(_options.Keys.Current, graphId, sequence, previous, writtenPending, rewritten)!;
                        var statusMac = writtenPending && status != Pending ? SignStatus(_options.Keys.Current, graphId, sequence, mac, status, note) : null;
                        await ExecuteAsync(useAsync, Command(connection, "UPDATE memory_events SET body = $3, key_version = $4, mac = $5, status_mac = $6 WHERE graph = $1 AND seq = $2", graphId, sequence, rewritten, _options.Keys.Current, mac, (object?)statusMac ?? DBNull.Value)).ConfigureAwait(false);
                        previous = mac;
                    }

                    await ExecuteAsync(useAsync, Command(connection, "UPDATE memory_heads SET head_mac = $2 WHERE graph = $1", graphId, previous)).ConfigureAwait(false);
                    if (useAsync)
                    {
                        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        transaction.Commit();
                    }

                    _heads.TryRemove(graphId, out _);
                }
                finally
                {
                    await ReleaseAsync(useAsync, transaction).ConfigureAwait(false);
                }
            }
            finally
            {
                await ReleaseAsync(useAsync, connection).ConfigureAwait(false);
            }
        }
        finally
        {
            flushGate.Release();
        }
    }

    /// <summary>The MAC of a ledger row; a row written pending (the saga) is signed with that status, so it cannot pass as one written committed.</summary>
    private byte[]? SignRow(string version, string graphId, long sequence, ReadOnlySpan<byte> previous, bool writtenPending, string body) =>
        _options.Keys.Sign(version, Owner, graphId, sequence, previous, writtenPending ? "pending\n" + body : body);

    /// <summary>
    /// Writes through the graph's group commit: concurrent writers in this process are flushed together, in one
    /// statement and one commit; an idempotent write runs alone, in a transaction with its key. One code path serves
    /// both forms: <paramref name="useAsync"/> false, it blocks and never yields; true, it awaits Npgsql's asynchronous
    /// API and waits in the queue without blocking a thread, and <paramref name="cancellationToken"/> can take it out
    /// of the queue until a flush picks it up (never afterwards).
    /// </summary>
    private async ValueTask<IReadOnlyList<MemoryRecord>> WriteAsync(bool useAsync, string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence, string status, string? idempotency, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new WriteRequest(records, expectedSequence, status, idempotency);
        await _queues.GetOrAdd(graphId, _ => new GroupCommit()).RunAsync(useAsync, request, batch => FlushAsync(useAsync, graphId, batch), cancellationToken).ConfigureAwait(false);
        return request.Error is { } error ? throw error : request.Stored!;
    }

    /// <summary>Writes a batch of requests: plain ones together (falling back to one by one when the batch fails), idempotent ones alone.</summary>
    private async ValueTask FlushAsync(bool useAsync, string graphId, List<WriteRequest> batch)
    {
        var plain = batch.Where(request => request.Idempotency is null).ToList();
        if (plain.Count > 1)
        {
            try
            {
                var connection = await OpenAsync(useAsync).ConfigureAwait(false);
                try
                {
                    await InsertAsync(useAsync, connection, null, graphId, plain).ConfigureAwait(false);
                }
                finally
                {
                    await ReleaseAsync(useAsync, connection).ConfigureAwait(false);
                }
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
                var connection = await OpenAsync(useAsync).ConfigureAwait(false);
                try
                {
                    var transaction = request.Idempotency is null ? null : useAsync ? await connection.BeginTransactionAsync().ConfigureAwait(false) : connection.BeginTransaction();
                    try
                    {
                        if (request.Idempotency is { } key && await ClaimAsync(useAsync, connection, graphId, key, Fingerprint(request.Records)).ConfigureAwait(false) is { } first)
                        {
                            request.Complete(first.ToArray());
                        }
                        else
                        {
                            await InsertAsync(useAsync, connection, transaction, graphId, [request]).ConfigureAwait(false);
                            if (request.Idempotency is { } claimed)
                            {
                                using var outcome = Command(connection, "UPDATE memory_idempotency SET outcome = $3 WHERE scope = $1 AND key = $2", Scope(graphId), claimed, string.Join(",", request.Stored!.Select(record => record.Sequence)));
                                await ExecuteAsync(useAsync, outcome).ConfigureAwait(false);
                            }
                        }

                        if (transaction is not null)
                        {
                            if (useAsync)
                            {
                                await transaction.CommitAsync().ConfigureAwait(false);
                            }
                            else
                            {
                                transaction.Commit();
                            }
                        }
                    }
                    finally
                    {
                        await ReleaseAsync(useAsync, transaction).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await ReleaseAsync(useAsync, connection).ConfigureAwait(false);
                }
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
    private async ValueTask InsertAsync(bool useAsync, NpgsqlConnection connection, NpgsqlTransaction? transaction, string graphId, IReadOnlyList<WriteRequest> requests)
    {
        while (true)
        {
            var (head, mac) = _heads.TryGetValue(graphId, out var cached) ? cached : await ReadHeadAsync(useAsync, connection, graphId).ConfigureAwait(false);
            if (requests.Select(request => request.ExpectedSequence).FirstOrDefault(expected => expected is not null) is { } firstExpected && firstExpected != head)
            {
                // The cached head may be behind another process's appends: ask the database before refusing.
                (head, mac) = await ReadHeadAsync(useAsync, connection, graphId).ConfigureAwait(false);
                _heads[graphId] = (head, mac);
            }

            var rows = new List<(MemoryRecord Record, string Body, byte[] Mac, string Status)>();
            var next = head;
            var previous = mac;
            foreach (var request in requests)
            {
                if (request.ExpectedSequence is { } expected && expected != next)
                {
                    throw MemoryStoreException.Create(DiagnosticCatalog.StaleLogPosition, SourceLocation.Origin(LocationOf(graphId)), "the append", graphId, expected, next);
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
                inserted = await ExecuteAsync(useAsync, command).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation && exception.ConstraintName?.Contains("event_id", StringComparison.Ordinal) == true)
            {
                _heads.TryRemove(graphId, out _);
                var ids = rows.Select(row => row.Record.Event?.Id).OfType<string>().ToArray();
                var duplicate = ids.FirstOrDefault(id => exception.Detail?.Contains(", " + id + ")", StringComparison.Ordinal) == true) ?? ids.GroupBy(id => id).FirstOrDefault(group => group.Count() > 1)?.Key ?? ids[0];
                throw MemoryStoreException.Create(DiagnosticCatalog.DuplicateEventId, SourceLocation.Origin(LocationOf(graphId)), duplicate, graphId);
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
            _heads[graphId] = await ReadHeadAsync(useAsync, connection, graphId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Claims an idempotency key for a request with this fingerprint; returns the first outcome when the key was
    /// claimed before by the same request and has not expired, and refuses (MC5027) a different request under it.
    /// </summary>
    private async ValueTask<IReadOnlyList<MemoryRecord>?> ClaimAsync(bool useAsync, NpgsqlConnection connection, string graphId, string key, string fingerprint)
    {
        var scope = Scope(graphId);
        using (var expire = Command(connection, "DELETE FROM memory_idempotency WHERE scope = $1 AND key = $2 AND expires_at < now()", scope, key))
        {
            await ExecuteAsync(useAsync, expire).ConfigureAwait(false);
        }

        using (var claim = Command(connection, "INSERT INTO memory_idempotency (scope, key, expires_at, fingerprint) VALUES ($1, $2, now() + $3, $4) ON CONFLICT (owner, scope, key) DO NOTHING", scope, key, _options.IdempotencyLifetime, fingerprint))
        {
            if (await ExecuteAsync(useAsync, claim).ConfigureAwait(false) == 1)
            {
                return null;
            }
        }

        string outcome, first;
        using (var read = Command(connection, "SELECT outcome, fingerprint FROM memory_idempotency WHERE scope = $1 AND key = $2", scope, key))
        {
            var reader = useAsync ? await read.ExecuteReaderAsync().ConfigureAwait(false) : read.ExecuteReader();
            try
            {
                _ = useAsync ? await reader.ReadAsync().ConfigureAwait(false) : reader.Read();
                outcome = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
                first = reader.IsDBNull(1) ? "(none)" : reader.GetString(1);
            }
            finally
            {
                await ReleaseAsync(useAsync, reader).ConfigureAwait(false);
            }
        }

        if (first != fingerprint)
        {
            throw new MemoryStoreException(DiagnosticCatalog.IdempotencyKeyReused.Create(SourceLocation.Origin(LocationOf(graphId)), key, $"its records hash to {first}, this request's to {fingerprint}"));
        }

        var sequences = outcome.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToHashSet();
        var after = sequences.Count == 0 ? 0 : sequences.Min() - 1;
        if (!useAsync)
        {
            return Read(graphId, after).Where(record => sequences.Contains(record.Sequence)).ToArray();
        }

        var logged = new List<MemoryRecord>();
        await foreach (var record in ReadAsync(graphId, after).ConfigureAwait(false))
        {
            if (sequences.Contains(record.Sequence))
            {
                logged.Add(record);
            }
        }

        return logged;
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

    private static async ValueTask<(long Sequence, byte[] Mac)> ReadHeadAsync(bool useAsync, NpgsqlConnection connection, string graphId)
    {
        using var command = Command(connection, "SELECT head_seq, head_mac FROM memory_heads WHERE graph = $1", graphId);
        var reader = useAsync ? await command.ExecuteReaderAsync().ConfigureAwait(false) : command.ExecuteReader();
        try
        {
            return (useAsync ? await reader.ReadAsync().ConfigureAwait(false) : reader.Read()) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, []);
        }
        finally
        {
            await ReleaseAsync(useAsync, reader).ConfigureAwait(false);
        }
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

    /// <summary>Reads a row's body (through a pooled buffer: the record keeps none of its bytes); <paramref name="location"/> names the graph in a diagnostic.</summary>
    private static MemoryRecord Parse(string location, long sequence, string body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(body.Length));
        try
        {
            return StoredContent.Read(buffer.AsSpan(0, Encoding.UTF8.GetBytes(body, buffer)), location, sequence, MemoryJson.ReadRecord);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private T Read<T>(string what, string content, StoredContent.Reader<T> read) =>
        StoredContent.Read(Encoding.UTF8.GetBytes(content), $"postgres:{Owner}/{what}", 1, read);
}
