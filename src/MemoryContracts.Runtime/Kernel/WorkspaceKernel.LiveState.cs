using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Telemetry;

namespace MemoryContracts.Runtime.Kernel;

/// <summary>The live main path of each graph: loaded from the latest snapshot and the log after it, advanced by every append in sequence order.</summary>
internal sealed partial class WorkspaceKernel
{
    /// <summary>A copy of the current state of a graph's main path.</summary>
    public async ValueTask<GraphState> CopyAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        lock (live)
        {
            return live.State.Clone();
        }
    }

    public async ValueTask CheckpointAsync(bool useAsync, CancellationToken cancellationToken)
    {
        foreach (var graphId in useAsync ? await Store.ListGraphsAsync(cancellationToken).ConfigureAwait(false) : Store.ListGraphs())
        {
            var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
            GraphSnapshot snapshot;
            lock (live)
            {
                snapshot = live.State.ToSnapshot();
            }

            if (useAsync)
            {
                await Store.SaveSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Store.SaveSnapshot(snapshot);
            }
        }
    }

    /// <summary>Appends records and applies them to the live main path in sequence order, whatever order appenders are acknowledged in.</summary>
    public IReadOnlyList<MemoryRecord> AppendRecords(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence) =>
        Synchronously.Run(AppendRecordsAsync(useAsync: false, graphId, records, expectedSequence, CancellationToken.None));

    /// <inheritdoc cref="AppendRecords" />
    public async ValueTask<IReadOnlyList<MemoryRecord>> AppendRecordsAsync(bool useAsync, string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var stored = useAsync
            ? await Log.AppendAsync(graphId, records, expectedSequence, cancellationToken).ConfigureAwait(false)
            : Log.Append(graphId, records, expectedSequence);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        MemoryTelemetry.RecordsCommitted(Location, stored.Count, elapsed);
        RuntimeLog.RecordsAppended(Loggers.Storage, stored.Count, graphId, stored[^1].Sequence, elapsed.TotalMilliseconds);
        lock (live)
        {
            foreach (var record in stored)
            {
                live.Pending[record.Sequence] = record;
            }

            while (live.Pending.Remove(live.State.Sequence + 1, out var next))
            {
                Advance(live.State, next);
            }
        }

        return stored;
    }

    private async ValueTask<GraphSnapshot?> LoadSnapshotAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        useAsync ? await Store.LoadSnapshotAsync(graphId, cancellationToken).ConfigureAwait(false) : Store.LoadSnapshot(graphId);

    /// <summary>
    /// The live main path of a graph, loaded on first use. Two first uses may both load it; the first to finish is
    /// kept, which is safe because every append finds the graph live before it writes.
    /// </summary>
    public async ValueTask<LiveGraph> LiveAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        lock (_live)
        {
            if (_live.TryGetValue(graphId, out var known))
            {
                return known;
            }
        }

        await RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var loaded = new LiveGraph(await LoadAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false));
        lock (_live)
        {
            return _live.TryAdd(graphId, loaded) ? loaded : _live[graphId];
        }
    }

    private async ValueTask<GraphState> LoadAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        var snapshot = await LoadSnapshotAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        if (snapshot is not null && snapshot.Sequence > await LastSequenceAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false))
        {
            // The log is the truth: a snapshot ahead of it cannot be trusted.
            snapshot = null;
        }

        var state = snapshot is null ? new GraphState(graphId) : GraphState.FromSnapshot(snapshot);
        if (!useAsync)
        {
            foreach (var record in Log.Read(graphId, state.Sequence))
            {
                Advance(state, record);
            }

            return state;
        }

        await foreach (var record in Log.ReadAsync(graphId, state.Sequence, cancellationToken).ConfigureAwait(false))
        {
            Advance(state, record);
        }

        return state;
    }

    /// <summary>Applies a main-path record to the live state; a branch record only moves its sequence on.</summary>
    private static void Advance(GraphState state, MemoryRecord record)
    {
        if (record.PathId == MemoryPaths.Main)
        {
            state.Apply(record);
        }
        else
        {
            state.AdvanceTo(record.Sequence);
        }
    }

    public sealed class LiveGraph(GraphState state)
    {
        public GraphState State { get; } = state;

        public Dictionary<long, MemoryRecord> Pending { get; } = [];
    }
}
