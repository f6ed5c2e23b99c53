using System.Globalization;
using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Paths;

/// <summary>
/// Rebuilds the state of one path from a log: its ancestors' records up to each fork, then its own, up to a cutoff.
/// Records are fed one at a time (<see cref="Take"/>), so a synchronous and an asynchronous reader share the rules.
/// </summary>
internal sealed class Replayer
{
    private readonly Dictionary<string, long> _lineage;
    private readonly GraphState _state;
    private readonly ReplayCutoff? _cutoff;
    private readonly string _location;
    private readonly long _maximumSequence;
    private bool _reachedEvent;

    /// <summary>Starts a replay onto <paramref name="start"/> (an empty state when null; records must follow it).</summary>
    public Replayer(string graphId, string path, PathBook? book, ReplayCutoff? cutoff, string location, long maximumSequence = long.MaxValue, GraphState? start = null)
    {
        _lineage = Lineage(path, book, location);
        _state = start ?? new GraphState(graphId);
        _cutoff = cutoff;
        _location = location;
        _maximumSequence = maximumSequence;
        _reachedEvent = cutoff?.EventId is null;
    }

    /// <summary>Replays <paramref name="records"/> onto <paramref name="start"/> (an empty state when null; records must follow it).</summary>
    public static GraphState Replay(IEnumerable<MemoryRecord> records, string graphId, string path, PathBook? book, ReplayCutoff? cutoff, string location, long maximumSequence = long.MaxValue, GraphState? start = null)
    {
        var replayer = new Replayer(graphId, path, book, cutoff, location, maximumSequence, start);
        foreach (var record in records)
        {
            if (!replayer.Take(record))
            {
                break;
            }
        }

        return replayer.Finish();
    }

    /// <summary>Applies the next record when the path sees it; false when the replay is complete and needs no more records.</summary>
    public bool Take(MemoryRecord record)
    {
        if (record.Sequence > _maximumSequence)
        {
            return false;
        }

        var included = _lineage.TryGetValue(record.PathId, out var limit) && record.Sequence <= limit
            && (_cutoff?.Time is not { } cutoffTime || !DateTimeOffset.TryParse(record.At, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) || at <= cutoffTime);
        if (included)
        {
            _state.Apply(record);
        }
        else
        {
            _state.AdvanceTo(record.Sequence);
        }

        if (_cutoff?.EventId is { } eventId && record.Event?.Id == eventId)
        {
            _reachedEvent = true;
            return false;
        }

        return true;
    }

    /// <summary>The replayed state; MC5014 when the cutoff event was never reached.</summary>
    public GraphState Finish()
    {
        if (!_reachedEvent)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, _location, "event", _cutoff!.EventId!, $" (log of graph '{_state.GraphId}')");
        }

        return _state;
    }

    /// <summary>Each path whose records the path sees, with the last sequence it sees of it.</summary>
    private static Dictionary<string, long> Lineage(string path, PathBook? book, string location)
    {
        var lineage = new Dictionary<string, long>(StringComparer.Ordinal) { [path] = long.MaxValue };
        if (path == MemoryPaths.Main)
        {
            return lineage;
        }

        var current = book!.Require(path, location);
        var limit = long.MaxValue;
        while (current.Parent is { } parent)
        {
            limit = Math.Min(limit, current.ForkSequence);
            lineage[parent] = limit;
            current = book.Require(parent, location);
        }

        return lineage;
    }
}
