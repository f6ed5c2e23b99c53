using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Telemetry;

namespace MemoryContracts.Runtime.Appending;

/// <summary>
/// Appending one event and the changes it makes, checked as an imported fixture is (see
/// <see cref="MemoryWorkspace.Append"/>), audited when refused, and idempotent by event id on request.
/// </summary>
internal sealed class EventAppender(WorkspaceKernel kernel)
{
    public async ValueTask<MemoryRecord> AppendAsync(bool useAsync, string graphId, GraphEvent graphEvent, GraphChanges? changes, long? expectedSequence, CancellationToken cancellationToken)
    {
        using var activity = MemoryTelemetry.Start("memory.append", kernel.Location, graphId);
        try
        {
            return await kernel.AuditRefusalAsync(useAsync, "append", graphEvent.Actor ?? "unknown", graphId, [graphEvent.Id], () => AppendCheckedAsync(useAsync, graphId, graphEvent, changes ?? GraphChanges.None, expectedSequence, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MemoryStoreException or IOException)
        {
            var code = exception is MemoryStoreException refusal ? refusal.Code : "io";
            MemoryTelemetry.AppendFailed(kernel.Location, code);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, code);
            throw;
        }
    }

    public async ValueTask<(MemoryRecord Record, bool Replayed)> AppendOnceAsync(bool useAsync, string graphId, GraphEvent graphEvent, GraphChanges? changes, CancellationToken cancellationToken)
    {
        changes ??= GraphChanges.None;
        var logged = await kernel.ContainsEventAsync(useAsync, graphId, graphEvent.Id, cancellationToken).ConfigureAwait(false)
            ? (await kernel.ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false)).FirstOrDefault(record => record.Event?.Id == graphEvent.Id)
            : null;
        if (logged is null)
        {
            return (await AppendAsync(useAsync, graphId, graphEvent, changes, null, cancellationToken).ConfigureAwait(false), false);
        }

        static byte[] Request(MemoryRecord record) =>
            MemoryJson.WriteRecord(new MemoryRecord(0, record.At, record.Event, record.Changes with { OpenReviews = [] }));

        return Request(logged).AsSpan().SequenceEqual(Request(new MemoryRecord(0, graphEvent.At, graphEvent, changes)))
            ? (logged, true)
            : await kernel.AuditRefusalAsync<(MemoryRecord, bool)>(useAsync, "append", graphEvent.Actor ?? "unknown", graphId, [graphEvent.Id], () =>
                throw MemoryStoreException.Create(DiagnosticCatalog.IdempotencyKeyReused, kernel.LogLocation(graphId), graphEvent.Id, $"event '{graphEvent.Id}' at sequence {logged.Sequence}")).ConfigureAwait(false);
    }

    private async ValueTask<MemoryRecord> AppendCheckedAsync(bool useAsync, string graphId, GraphEvent graphEvent, GraphChanges changes, long? expectedSequence, CancellationToken cancellationToken)
    {
        var live = await kernel.LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        RecordCheck.Check(graphId, graphEvent, changes, () => kernel.LogLocation(graphId));
        if (PathOperations.IsPathRecord(graphEvent))
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.InvalidPathOperation, kernel.LogLocation(graphId), $"event '{graphEvent.Id}' would change the state of a path; paths are branched, merged, abandoned and compacted only by the path operations");
        }

        if (graphEvent.Path is { } path && path != MemoryPaths.Main
            && PathBook.Read(await kernel.ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false)).Find(path) is { Status: not PathStatus.Open } closed)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.InvalidPathOperation, kernel.LogLocation(graphId), $"path '{path}' is {closed.Status.ToString().ToLowerInvariant()}; events go to open paths");
        }

        var loggedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in changes.PutNodes.Select(node => node.Id).Concat(changes.PutEdges.Select(edge => edge.Id)))
        {
            if (await kernel.ContainsEventAsync(useAsync, graphId, id, cancellationToken).ConfigureAwait(false))
            {
                loggedIds.Add(id);
            }
        }

        lock (live)
        {
            RecordCheck.CheckIds(live.State, loggedIds, graphId, graphEvent, changes, () => kernel.LogLocation(graphId));
            if (graphEvent.Path is null or MemoryPaths.Main)
            {
                RecordCheck.CheckEndpoints(live.State, changes, () => kernel.LogLocation(graphId));
            }

            changes = ContradictionReview.Flag(live.State, changes, graphEvent.Id);
        }

        return (await kernel.AppendRecordsAsync(useAsync, graphId, [new MemoryRecord(0, graphEvent.At, graphEvent, changes)], expectedSequence, cancellationToken).ConfigureAwait(false))[0];
    }
}
