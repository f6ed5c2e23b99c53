using MemoryContracts.Diagnostics;
using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Paths;

/// <summary>Where a conversational path is in its life.</summary>
public enum PathStatus
{
    /// <summary>Open for new events.</summary>
    Open,

    /// <summary>Merged into its parent (the merge marker is the merge event).</summary>
    Merged,

    /// <summary>Abandoned, with a reason.</summary>
    Abandoned,
}

/// <summary>A conversational path as a structured record: its parent, where it forked, its events and its state.</summary>
public sealed class PathRecord
{
    internal PathRecord(string id, string? parent, long forkSequence)
    {
        Id = id;
        Parent = parent;
        ForkSequence = forkSequence;
    }

    /// <summary>The path id.</summary>
    public string Id { get; }

    /// <summary>The path it branched from; null for the main path.</summary>
    public string? Parent { get; }

    /// <summary>The log position it branched at: it sees its parent's records up to here, then its own.</summary>
    public long ForkSequence { get; }

    /// <summary>Open, merged or abandoned.</summary>
    public PathStatus Status { get; internal set; }

    /// <summary>The id of the event that merged it (the merge marker), when merged.</summary>
    public string? MergeEvent { get; internal set; }

    /// <summary>Why it was abandoned, when abandoned.</summary>
    public string? AbandonReason { get; internal set; }

    /// <summary>The summary node its events were compacted into, when compacted.</summary>
    public string? CompactedInto { get; internal set; }

    /// <summary>The ids of its events, in log order.</summary>
    public IReadOnlyList<string> Events => EventList;

    internal List<string> EventList { get; } = [];
}

/// <summary>
/// The paths of a graph, read from its log: <c>branched</c> events open paths, <c>merged</c> events close them with
/// a marker, <c>deactivated</c> events with an <c>abandoned_path</c> attribute abandon them, and <c>compacted</c>
/// events with a <c>compacted_path</c> attribute record their summary. The active path is the one most recently
/// branched to or merged into (the parent when the active path is abandoned).
/// </summary>
public sealed class PathBook
{
    internal const string FromPath = "from_path";
    internal const string MergedPath = "merged_path";
    internal const string AbandonedPath = "abandoned_path";
    internal const string CompactedPath = "compacted_path";
    internal const string Reason = "reason";

    private static readonly string Branched = EventKind.Branched.ToWireName();
    private static readonly string MergedKind = EventKind.Merged.ToWireName();
    private static readonly string Deactivated = EventKind.Deactivated.ToWireName();
    private static readonly string Compacted = EventKind.Compacted.ToWireName();

    private readonly Dictionary<string, PathRecord> _paths = new(StringComparer.Ordinal);

    private PathBook()
    {
        _paths[MemoryPaths.Main] = new PathRecord(MemoryPaths.Main, null, 0);
        Active = MemoryPaths.Main;
    }

    /// <summary>The active path.</summary>
    public string Active { get; private set; }

    /// <summary>Every path, main first, then in the order they were opened.</summary>
    public IReadOnlyList<PathRecord> All => _paths.Values.ToArray();

    /// <summary>The path with this id, or null.</summary>
    public PathRecord? Find(string id) => _paths.GetValueOrDefault(id);

    /// <summary>Reads the paths from a log.</summary>
    public static PathBook Read(IEnumerable<MemoryRecord> records)
    {
        var book = new PathBook();
        foreach (var record in records)
        {
            book.Apply(record);
        }

        return book;
    }

    internal PathRecord Require(string id, string location) =>
        Find(id) ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "path", id, string.Empty);

    private void Apply(MemoryRecord record)
    {
        if (record.Event is not { } graphEvent)
        {
            return;
        }

        var pathId = record.PathId;
        if (graphEvent.Kind == Branched)
        {
            // A path branches from a path that exists already and is not itself, so parents form a tree: no record,
            // forged or imported, can make a path its own ancestor (which would send every walk up the tree in circles).
            var from = Attribute(graphEvent, FromPath);
            var parent = from is not null && from != pathId && _paths.ContainsKey(from) ? from : MemoryPaths.Main;
            if (pathId != MemoryPaths.Main)
            {
                _paths.TryAdd(pathId, new PathRecord(pathId, parent, record.Sequence));
                Active = pathId;
            }
        }
        else if (!_paths.ContainsKey(pathId))
        {
            // A fixture may name a path without a branched event: it branched from main where it first appears.
            _paths[pathId] = new PathRecord(pathId, MemoryPaths.Main, record.Sequence - 1);
        }

        _paths[pathId].EventList.Add(graphEvent.Id);
        if (graphEvent.Kind == MergedKind && Attribute(graphEvent, MergedPath) is { } merged && _paths.TryGetValue(merged, out var source))
        {
            source.Status = PathStatus.Merged;
            source.MergeEvent = graphEvent.Id;
            Active = pathId;
        }
        else if (graphEvent.Kind == Deactivated && Attribute(graphEvent, AbandonedPath) is { } abandoned && _paths.TryGetValue(abandoned, out var path))
        {
            path.Status = PathStatus.Abandoned;
            path.AbandonReason = Attribute(graphEvent, Reason);
            if (Active == abandoned)
            {
                Active = path.Parent ?? MemoryPaths.Main;
            }
        }
        else if (graphEvent.Kind == Compacted && Attribute(graphEvent, CompactedPath) is { } compacted && _paths.TryGetValue(compacted, out var summarized))
        {
            summarized.CompactedInto = graphEvent.Nodes.FirstOrDefault();
        }
    }

    internal static string? Attribute(GraphEvent graphEvent, string name) =>
        graphEvent.Attributes.FirstOrDefault(pair => pair.Key == name).Value?.Text;
}
