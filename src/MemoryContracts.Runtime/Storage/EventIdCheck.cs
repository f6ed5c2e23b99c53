using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Storage;

/// <summary>The duplicate-id rule every event log enforces before it writes anything.</summary>
internal static class EventIdCheck
{
    /// <summary>Throws MC5008 when an event id of the batch is already logged or appears twice in the batch.</summary>
    public static void Refuse(IReadOnlyList<MemoryRecord> records, Func<string, bool> logged, string graphId, string location)
    {
        if (records.Count == 1)
        {
            if (records[0].Event is { } single && logged(single.Id))
            {
                throw MemoryStoreException.Create(DiagnosticCatalog.DuplicateEventId, location, single.Id, graphId);
            }

            return;
        }

        var batch = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.Event is { } graphEvent && (logged(graphEvent.Id) || !batch.Add(graphEvent.Id)))
            {
                throw MemoryStoreException.Create(DiagnosticCatalog.DuplicateEventId, location, graphEvent.Id, graphId);
            }
        }
    }
}
