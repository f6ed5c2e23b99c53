using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Telemetry;

namespace MemoryContracts.Runtime.Kernel;

/// <summary>Rebuilding a path of a graph from its log, from a snapshot where one applies, up to a cutoff.</summary>
internal sealed partial class WorkspaceKernel
{
    public async ValueTask<GraphState> ReplayAsync(bool useAsync, string graphId, ReplayCutoff? cutoff, string path, CancellationToken cancellationToken)
    {
        using var activity = MemoryTelemetry.Start("memory.replay", Location, graphId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var state = await ReplayFromLogAsync(useAsync, graphId, cutoff, path, cancellationToken).ConfigureAwait(false);
        MemoryTelemetry.Replayed(Location, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        activity?.SetTag("memorycontracts.sequence", state.Sequence);
        return state;
    }

    private async ValueTask<GraphState> ReplayFromLogAsync(bool useAsync, string graphId, ReplayCutoff? cutoff, string path, CancellationToken cancellationToken)
    {
        await RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var location = LogLocation(graphId);
        if (path == MemoryPaths.Main && cutoff?.Time is null
            && await LoadSnapshotAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false) is { } snapshot
            && snapshot.Sequence <= await LastSequenceAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                return await FeedAsync(useAsync, new Replayer(graphId, path, null, cutoff, location, start: GraphState.FromSnapshot(snapshot)), graphId, snapshot.Sequence, cancellationToken).ConfigureAwait(false);
            }
            catch (MemoryStoreException exception) when (cutoff?.EventId is not null && exception.Code == DiagnosticCatalog.UnknownStoreItem.Code)
            {
                // The cutoff event comes before the snapshot: replay from the start.
            }
        }

        if (path == MemoryPaths.Main)
        {
            return await FeedAsync(useAsync, new Replayer(graphId, path, null, cutoff, location), graphId, 0, cancellationToken).ConfigureAwait(false);
        }

        // A branch needs its path records first; read the log once for both.
        var records = await ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false);
        return Replayer.Replay(records, graphId, path, PathBook.Read(records), cutoff, location);
    }

    /// <summary>Feeds the graph's records after <paramref name="afterSequence"/> to a replay, streaming them, until it is complete.</summary>
    private async ValueTask<GraphState> FeedAsync(bool useAsync, Replayer replayer, string graphId, long afterSequence, CancellationToken cancellationToken)
    {
        if (!useAsync)
        {
            foreach (var record in Log.Read(graphId, afterSequence))
            {
                if (!replayer.Take(record))
                {
                    break;
                }
            }

            return replayer.Finish();
        }

        await foreach (var record in Log.ReadAsync(graphId, afterSequence, cancellationToken).ConfigureAwait(false))
        {
            if (!replayer.Take(record))
            {
                break;
            }
        }

        return replayer.Finish();
    }
}
