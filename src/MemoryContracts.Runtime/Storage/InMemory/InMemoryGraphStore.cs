using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Storage.InMemory;

/// <summary>Profiles, graphs and snapshots in process memory, for tests and short-lived agents.</summary>
public sealed class InMemoryGraphStore : IMemoryGraphStore
{
    private readonly Dictionary<string, MemoryProfile> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GraphHeader> _graphs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GraphSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Graph, string Plan), byte[]> _plans = [];
    private readonly Dictionary<string, byte[]> _journals = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void SaveProfile(MemoryProfile profile)
    {
        lock (_profiles)
        {
            _profiles[profile.Id] = profile;
        }
    }

    /// <inheritdoc />
    public MemoryProfile? LoadProfile(string id)
    {
        lock (_profiles)
        {
            return _profiles.GetValueOrDefault(id);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListProfiles()
    {
        lock (_profiles)
        {
            return _profiles.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <inheritdoc />
    public void CreateGraph(GraphHeader header)
    {
        lock (_graphs)
        {
            _graphs.TryAdd(header.Id, header);
        }
    }

    /// <inheritdoc />
    public GraphHeader? LoadGraph(string id)
    {
        lock (_graphs)
        {
            return _graphs.GetValueOrDefault(id);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListGraphs()
    {
        lock (_graphs)
        {
            return _graphs.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <inheritdoc />
    public void SaveSnapshot(GraphSnapshot snapshot)
    {
        lock (_snapshots)
        {
            _snapshots[snapshot.GraphId] = snapshot;
        }
    }

    /// <inheritdoc />
    public GraphSnapshot? LoadSnapshot(string graphId)
    {
        lock (_snapshots)
        {
            return _snapshots.GetValueOrDefault(graphId);
        }
    }

    /// <inheritdoc />
    public ValueTask<GraphHeader?> LoadGraphAsync(string id, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => LoadGraph(id), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListGraphsAsync(CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => ListGraphs(), cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveSnapshotAsync(GraphSnapshot snapshot, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => SaveSnapshot(snapshot), cancellationToken);

    /// <inheritdoc />
    public ValueTask<GraphSnapshot?> LoadSnapshotAsync(string graphId, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => LoadSnapshot(graphId), cancellationToken);

    /// <inheritdoc />
    public void SavePlan(string graphId, string planId, byte[] content)
    {
        lock (_plans)
        {
            _plans.TryAdd((graphId, planId), content.ToArray());
        }
    }

    /// <inheritdoc />
    public byte[]? LoadPlan(string graphId, string planId)
    {
        lock (_plans)
        {
            return _plans.TryGetValue((graphId, planId), out var content) ? content.ToArray() : null;
        }
    }

    /// <inheritdoc />
    public void SaveJournal(string graphId, byte[]? content)
    {
        lock (_journals)
        {
            if (content is null)
            {
                _journals.Remove(graphId);
            }
            else
            {
                _journals[graphId] = content.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask SaveProfileAsync(MemoryProfile profile, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => SaveProfile(profile), cancellationToken);

    /// <inheritdoc />
    public ValueTask CreateGraphAsync(GraphHeader header, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => CreateGraph(header), cancellationToken);

    /// <inheritdoc />
    public ValueTask<MemoryProfile?> LoadProfileAsync(string id, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => LoadProfile(id), cancellationToken);

    /// <inheritdoc />
    public ValueTask SavePlanAsync(string graphId, string planId, byte[] content, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => SavePlan(graphId, planId, content), cancellationToken);

    /// <inheritdoc />
    public ValueTask<byte[]?> LoadPlanAsync(string graphId, string planId, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => LoadPlan(graphId, planId), cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveJournalAsync(string graphId, byte[]? content, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => SaveJournal(graphId, content), cancellationToken);

    /// <inheritdoc />
    public byte[]? LoadJournal(string graphId)
    {
        lock (_journals)
        {
            return _journals.TryGetValue(graphId, out var content) ? content.ToArray() : null;
        }
    }
}
