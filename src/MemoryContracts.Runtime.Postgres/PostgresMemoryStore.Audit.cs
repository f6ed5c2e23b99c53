using System.Runtime.CompilerServices;
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

/// <content>The audit port: a signed chain of audit records per owner.</content>
public sealed partial class PostgresMemoryStore
{
    private const string ReadAuditSql = "SELECT body FROM memory_audit ORDER BY seq NULLS FIRST, position";

    /// <inheritdoc />
    /// <remarks>
    /// Audit records form a chain like ledger rows: each MAC covers the record and the MAC before it, and the owner's
    /// head row moves in the same statement that inserts the record, so two writers cannot both extend one head.
    /// </remarks>
    public void Write(AuditRecord record) => Synchronously.Run(WriteAuditAsync(useAsync: false, record, CancellationToken.None));

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="cancellationToken"/> is observed until the record's turn to extend the chain; the statement that
    /// inserts it is never cancelled.
    /// </remarks>
    public async ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
        await WriteAuditAsync(useAsync: true, record, cancellationToken).ConfigureAwait(false);

    private async ValueTask<bool> WriteAuditAsync(bool useAsync, AuditRecord record, CancellationToken cancellationToken)
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
        if (useAsync)
        {
            await _auditGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _auditGate.Wait(CancellationToken.None);
        }

        try
        {
            while (true)
            {
                var connection = await OpenAsync(useAsync).ConfigureAwait(false);
                try
                {
                    var (head, previous) = await ReadAuditHeadAsync(useAsync, connection).ConfigureAwait(false);
                    var mac = SignAudit(_options.Keys.Current, head + 1, previous, body)!;
                    using var insert = Command(connection, Sql, head + 1, mac, head, body, _options.Keys.Current);
                    if (await ExecuteAsync(useAsync, insert).ConfigureAwait(false) == 1)
                    {
                        return true;
                    }
                }
                finally
                {
                    await ReleaseAsync(useAsync, connection).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _auditGate.Release();
        }
    }

    /// <inheritdoc />
    async IAsyncEnumerable<AuditRecord> IAuditSink.ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var body in await StringsAsync(ReadAuditSql, cancellationToken).ConfigureAwait(false))
        {
            yield return Read("audit", body, MemoryJson.ReadAudit);
        }
    }

    /// <inheritdoc />
    IEnumerable<AuditRecord> IAuditSink.Read() =>
        Strings(ReadAuditSql).Select(body => Read("audit", body, MemoryJson.ReadAudit));

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
                    broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.Origin(location), position, "(audit)", "(audit)", "the audit record carries no MAC (written before migration 2, or inserted by hand)"));
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

        var (head, headMac) = Synchronously.Run(ReadAuditHeadAsync(useAsync: false, connection));
        if (head != expected - 1 || !headMac.AsSpan().SequenceEqual(previous))
        {
            broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.Origin(location), head, "(audit head)", "(audit)", $"the audit head names record {head}, but the last record is {expected - 1} or its MAC differs (records at the end were removed or changed)"));
        }

        return broken;
    }

    private static async ValueTask<(long Sequence, byte[] Mac)> ReadAuditHeadAsync(bool useAsync, NpgsqlConnection connection)
    {
        using var command = Command(connection, "SELECT head_seq, head_mac FROM memory_audit_heads");
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

    /// <summary>The MAC of an audit record: over its place in the owner's audit chain, the MAC before it and its body.</summary>
    private byte[]? SignAudit(string version, long sequence, byte[] previous, string body) =>
        _options.Keys.SignItem(version, Owner, "audit", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToHexString(previous) + "\n" + body);
}
