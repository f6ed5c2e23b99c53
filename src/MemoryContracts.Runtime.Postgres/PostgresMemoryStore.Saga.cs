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

/// <content>The write saga: pending rows, their completion, and what reconciliation finds stuck.</content>
public sealed partial class PostgresMemoryStore
{
    /// <summary>
    /// The first step of the write saga: records the event as <c>pending</c> (signed and chained like any row, but
    /// not replayed) before the caller performs the effect it describes; finish with <see cref="CompleteWrite"/>.
    /// </summary>
    public MemoryRecord BeginWrite(string graphId, MemoryRecord record) => Synchronously.Run(WriteAsync(useAsync: false, graphId, [record], null, Pending, idempotency: null, CancellationToken.None))[0];

    /// <summary>The last step of the write saga: the pending row becomes <c>committed</c> (replayed from now on) or <c>failed</c> (with the reason).</summary>
    public void CompleteWrite(string graphId, long sequence, bool committed, string? note = null)
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var mac = Command(connection, "SELECT mac FROM memory_events WHERE graph = $1 AND seq = $2 AND status = 'pending' FOR UPDATE", graphId, sequence).ExecuteScalar() as byte[]
            ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, SourceLocation.Origin(LocationOf(graphId)), "pending write", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty);
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

    /// <summary>The MAC of a saga row's status change: over the row's MAC, the new status and the note.</summary>
    private byte[]? SignStatus(string version, string graphId, long sequence, byte[] rowMac, string status, string? note) =>
        _options.Keys.SignItem(version, Owner, "status", $"{graphId}/{sequence}", $"{status}\n{note}\n{Convert.ToHexString(rowMac)}");
}
