using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Paths;

namespace MemoryContracts.Runtime;

/// <summary>
/// Checks a workspace without changing it: malformed, torn or unknown-version log lines (MC5003, MC5004, MC5005),
/// duplicate event ids (MC5008), unreadable stored files, edges whose endpoints are gone (MC5006), and events that
/// name nodes or edges that are neither held nor explained by a tombstone (MC5007), each with the log line, and a
/// snapshot that drifted from the log (MC5017).
/// </summary>
internal static class WorkspaceRepair
{
    public static IReadOnlyList<ContractDiagnostic> Check(WorkspaceKernel kernel)
    {
        var diagnostics = new List<ContractDiagnostic>(kernel.Recovered);
        diagnostics.AddRange(kernel.Audit.Check());
        foreach (var profileId in kernel.Store.ListProfiles())
        {
            Collect(diagnostics, () => kernel.Store.LoadProfile(profileId));
        }

        foreach (var graphId in kernel.Store.ListGraphs())
        {
            var snapshotReadable = Collect(diagnostics, () => kernel.Store.LoadSnapshot(graphId));
            var logProblems = kernel.Log.Check(graphId).Where(diagnostic => !diagnostics.Contains(diagnostic)).ToArray();
            diagnostics.AddRange(logProblems);
            if (logProblems.Any(diagnostic => diagnostic.Code == DiagnosticCatalog.MalformedLogLine.Code || diagnostic.Code == DiagnosticCatalog.UnknownRecordVersion.Code))
            {
                continue; // a line that cannot be read leaves the graph unreplayable; its line problems come first
            }

            CheckGraph(kernel, graphId, diagnostics);
            if (snapshotReadable && CheckDrift(kernel, graphId) is { } drift)
            {
                diagnostics.Add(drift);
            }
        }

        Telemetry.MemoryTelemetry.IntegrityFindings(kernel.Location, diagnostics);
        return diagnostics;
    }

    /// <summary>
    /// Compares a graph's stored snapshot with what replaying its log to the snapshot's position gives; MC5017 with
    /// both content hashes when they differ, null when they agree or there is no snapshot.
    /// </summary>
    public static ContractDiagnostic? CheckDrift(WorkspaceKernel kernel, string graphId)
    {
        kernel.RequireGraph(graphId);
        if (kernel.Store.LoadSnapshot(graphId) is not { } snapshot)
        {
            return null;
        }

        var replayed = Replayer.Replay(kernel.Log.Read(graphId), graphId, MemoryPaths.Main, null, null, kernel.LogLocation(graphId), snapshot.Sequence).ToSnapshot() with { Sequence = snapshot.Sequence };
        var stored = MemoryJson.ContentHash(snapshot);
        var expected = MemoryJson.ContentHash(replayed);
        return stored == expected ? null : DiagnosticCatalog.SnapshotDrift.Create(SourceLocation.File(kernel.LogLocation(graphId)), graphId, snapshot.Sequence, stored, expected);
    }

    private static void CheckGraph(WorkspaceKernel kernel, string graphId, List<ContractDiagnostic> diagnostics)
    {
        var location = kernel.LogLocation(graphId);
        var records = kernel.Log.Read(graphId).ToList();
        var book = PathBook.Read(records);
        var states = new Dictionary<string, GraphState>(StringComparer.Ordinal);
        GraphState StateOf(string path)
        {
            if (!states.TryGetValue(path, out var state))
            {
                states[path] = state = Replayer.Replay(records, graphId, path, book, null, location);
            }

            return state;
        }

        var main = StateOf(MemoryPaths.Main);
        foreach (var edge in main.Edges)
        {
            foreach (var (end, id) in new[] { ("source", edge.Source), ("target", edge.Target) }.Where(pair => main.FindNode(pair.Item2) is null))
            {
                diagnostics.Add(DiagnosticCatalog.DanglingEdge.Create(SourceLocation.File(location), edge.Id, end, id, graphId));
            }
        }

        foreach (var record in records.Where(record => record.Event is not null))
        {
            var graphEvent = record.Event!;
            var state = StateOf(record.PathId);
            var at = new SourceLocation(location, (int)Math.Min(int.MaxValue, record.Sequence), 1, 0, 0);
            foreach (var id in graphEvent.Nodes.Where(id => state.FindNode(id) is null && !state.Tombstones.ContainsKey(id)))
            {
                diagnostics.Add(DiagnosticCatalog.OrphanedEvent.Create(at, graphEvent.Id, "node", id, graphId));
            }

            foreach (var id in graphEvent.Edges.Where(id => state.FindEdge(id) is null && !state.Tombstones.ContainsKey(id)))
            {
                diagnostics.Add(DiagnosticCatalog.OrphanedEvent.Create(at, graphEvent.Id, "edge", id, graphId));
            }
        }
    }

    /// <summary>Runs a read; false, with its diagnostics collected, when it fails.</summary>
    private static bool Collect(List<ContractDiagnostic> diagnostics, Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (MemoryStoreException exception)
        {
            diagnostics.AddRange(exception.Diagnostics);
            return false;
        }
    }
}
