using System.Globalization;
using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Paths;

/// <summary>Rebuilds the state of one path from a log: its ancestors' records up to each fork, then its own, up to a cutoff.</summary>
internal static class Replayer
{
    /// <summary>Replays <paramref name="records"/> onto <paramref name="start"/> (an empty state when null; records must follow it).</summary>
    public static GraphState Replay(IEnumerable<MemoryRecord> records, string graphId, string path, PathBook? book, ReplayCutoff? cutoff, string location, long maximumSequence = long.MaxValue, GraphState? start = null)
    {
        var lineage = Lineage(path, book, location);
        var state = start ?? new GraphState(graphId);
        var cutoffTime = cutoff?.Time;
        var reachedEvent = cutoff?.EventId is null;
        foreach (var record in records)
        {
            if (record.Sequence > maximumSequence)
            {
                break;
            }

            var included = lineage.TryGetValue(record.PathId, out var limit) && record.Sequence <= limit
                && (cutoffTime is null || !DateTimeOffset.TryParse(record.At, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) || at <= cutoffTime);
            if (included)
            {
                state.Apply(record);
            }
            else
            {
                state.AdvanceTo(record.Sequence);
            }

            if (cutoff?.EventId is { } eventId && record.Event?.Id == eventId)
            {
                reachedEvent = true;
                break;
            }
        }

        if (!reachedEvent)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "event", cutoff!.EventId!, $" (log of graph '{graphId}')");
        }

        return state;
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
