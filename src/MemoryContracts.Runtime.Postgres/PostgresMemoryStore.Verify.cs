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

/// <content>Integrity: checking a graph's chain of rows, and signed checkpoints to hold it against a rewind.</content>
public sealed partial class PostgresMemoryStore
{
    /// <inheritdoc />
    public IReadOnlyList<ContractDiagnostic> Check(string graphId)
    {
        var diagnostics = new List<ContractDiagnostic>(Verify(graphId));
        var location = LocationOf(graphId);
        foreach (var (sequence, body) in Rows(graphId))
        {
            try
            {
                Parse(location, sequence, body);
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
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, SourceLocation.Origin(location), "graph", graphId, witness is null ? string.Empty : $"; a checkpoint saw it at row {witness.Sequence}: it was deleted");
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
            broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.Origin(location), headReader.GetInt64(0), "(head)", graphId, $"the head names row {headReader.GetInt64(0)}, but the last row is {expected - 1} or its MAC differs (rows at the end were removed or changed)"));
        }

        if (witness is not null)
        {
            void Rewound(string problem) => broken.Add(DiagnosticCatalog.IntegrityBroken.Create(SourceLocation.Origin(location), witness.Sequence, "(checkpoint)", graphId, problem));
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
            (sequence, mac) = Synchronously.Run(ReadHeadAsync(useAsync: false, connection, graphId));
        }

        return LedgerCheckpoint.Sign(_options.Keys, Owner, graphId, sequence, Convert.ToHexString(mac));
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
}
