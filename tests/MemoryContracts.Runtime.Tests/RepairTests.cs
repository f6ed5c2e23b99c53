using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Storage.Files;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

public sealed class RepairTests
{
    private readonly string _folder = TestSupport.TempFolder("repair");

    private string EventsFile => new WorkspaceLayout(_folder).EventsFile("decision-graph");

    [Fact]
    public void A_healthy_workspace_repairs_clean()
    {
        using var workspace = Seed();
        Assert.Empty(workspace.Repair());
    }

    [Fact]
    public void A_torn_last_line_is_moved_aside_reported_and_the_log_keeps_working()
    {
        long before;
        using (var workspace = Seed())
        {
            before = workspace.Log.LastSequence("decision-graph");
        }

        File.AppendAllText(EventsFile, "{\"format\":\"markitect.memory.record.v1\",\"seq\":99,\"at\":\"2026-11-21T1");
        using var reopened = MemoryWorkspace.Open(_folder);
        var torn = Assert.Single(reopened.Recovered);
        Assert.Equal("MC5004", torn.Code);
        Assert.Equal((EventsFile, (int)before + 1, 1), (torn.Location.Path, torn.Location.Line, torn.Location.Column));
        Assert.Equal(DiagnosticSeverity.Warning, torn.Severity);
        var quarantine = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(EventsFile)!, "events.jsonl.torn-*"));
        Assert.EndsWith("\"at\":\"2026-11-21T1", File.ReadAllText(quarantine), StringComparison.Ordinal);
        Assert.Equal(before, reopened.Log.LastSequence("decision-graph"));
        Assert.Equal(before + 1, reopened.Append("decision-graph", TestSupport.Event("after-crash")).Sequence);
        Assert.Equal(["MC5004"], reopened.Repair().Select(diagnostic => diagnostic.Code));

        // Issue 13: a later repair, in another process, still reports it while the quarantine file is there.
        reopened.Dispose();
        Assert.Equal(0, TestSupport.Run(out var later, "store", "repair", "-w", _folder));
        Assert.Contains($"warning MC5004: an earlier crash cut off a line (", later, StringComparison.Ordinal);
        Assert.EndsWith("0 error(s), 1 warning(s)\n", later, StringComparison.Ordinal);
        File.Delete(quarantine);
        Assert.Equal(0, TestSupport.Run(out var cleared, "store", "repair", "-w", _folder));
        Assert.Equal("0 error(s), 0 warning(s)\n", cleared);
    }

    [Fact]
    public void Malformed_and_unknown_version_lines_are_reported_with_their_positions()
    {
        using (Seed())
        {
        }

        var lines = File.ReadAllLines(EventsFile).ToList();
        lines.Insert(1, "{\"format\":\"markitect.memory.record.v1\",\"seq\":2,\"at\": tru}");
        lines.Insert(2, "{\"format\":\"markitect.memory.record.v9\",\"seq\":3,\"at\":\"2026-11-21T10:00:00Z\"}");
        File.WriteAllLines(EventsFile, lines);
        using var workspace = MemoryWorkspace.Open(_folder);
        var problems = workspace.Repair();
        Assert.Equal(["MC5003", "MC5005"], problems.Select(diagnostic => diagnostic.Code));
        Assert.Equal((2, 57), (problems[0].Location.Line, problems[0].Location.Column));
        Assert.Equal(3, problems[1].Location.Line);
        Assert.Equal("the record is 'markitect.memory.record.v9'; this version of MemoryContracts reads 'markitect.memory.record.v1'", problems[1].Message);
        Assert.StartsWith(EventsFile + "(2,57): error MC5003: line 2 is not a valid record: ", problems[0].ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The log is read in blocks of about 128 KB parsed ahead on other threads: a log of many blocks, with a line longer
    /// than a block, reads in order, and a damaged line far into it is reported at its own line and column in the log.
    /// </summary>
    [Fact]
    public void A_damaged_line_many_blocks_into_the_log_is_reported_at_its_line_and_a_line_longer_than_a_block_reads_whole()
    {
        using (var workspace = Seed())
        {
            workspace.Append("decision-graph", TestSupport.Event("long", nodes: "long-node"), new GraphChanges { PutNodes = [TestSupport.Node("long-node", text: new string('x', 300_000))] });
            for (var index = 0; index < 3_000; index++)
            {
                workspace.Append("decision-graph", TestSupport.Event($"filler-{index}", nodes: $"filler-node-{index % 50}"), new GraphChanges { PutNodes = [TestSupport.Node($"filler-node-{index % 50}", text: $"value {index}")] });
            }
        }

        var lines = File.ReadAllLines(EventsFile);
        Assert.True(new FileInfo(EventsFile).Length > 6 * 128 * 1024);
        using (var intact = MemoryWorkspace.Open(_folder))
        {
            Assert.Equal(Enumerable.Range(1, lines.Length).Select(number => (long)number), intact.Log.Read("decision-graph").Select(record => record.Sequence));
            Assert.Equal(300_000, intact.Replay("decision-graph").FindNode("long-node")!.Text!.Length);
        }

        var damaged = lines.Length - 17;
        lines[damaged - 1] = lines[damaged - 1].Replace("\"at\":\"", "\"at\":tru\"", StringComparison.Ordinal);
        File.WriteAllLines(EventsFile, lines);
        using var workspace2 = MemoryWorkspace.Open(_folder);
        var refused = Assert.Throws<MemoryStoreException>(() => workspace2.Replay("decision-graph"));
        var problem = Assert.Single(refused.Diagnostics);
        Assert.Equal(("MC5003", EventsFile, damaged), (problem.Code, problem.Location.Path, problem.Location.Line));
        Assert.Equal(lines[damaged - 1].IndexOf("tru", StringComparison.Ordinal) + 4, problem.Location.Column);
    }

    [Fact]
    public void Missing_endpoints_orphaned_events_and_duplicate_ids_are_reported()
    {
        using (var workspace = Seed())
        {
            var refused = Assert.Throws<MemoryStoreException>(() => workspace.Append("decision-graph", TestSupport.Event("dangling"), new GraphChanges { PutEdges = [new GraphEdge("e-ghost", "supports", "ghost", "validate-in-build")] }));
            Assert.Equal("edge 'e-ghost' starts at node 'ghost', which the graph does not define", Assert.Single(refused.Diagnostics).Message);
            workspace.Append("decision-graph", TestSupport.Event("orphan", nodes: "nobody"));
        }

        // What only a damaged or foreign-written log can hold: an edge to a node that is not there, an event logged twice.
        var lines = File.ReadAllLines(EventsFile).ToList();
        var orphan = lines[^1];
        lines.Insert(lines.Count - 1, "{\"format\":\"markitect.memory.record.v1\",\"seq\":" + lines.Count + ",\"at\":\"2026-11-21T10:00:00Z\",\"changes\":{\"put_edges\":[{\"id\":\"e-ghost\",\"kind\":\"supports\",\"source\":\"ghost\",\"target\":\"validate-in-build\"}]}}");
        lines[^1] = orphan.Replace("\"seq\":" + (lines.Count - 1), "\"seq\":" + lines.Count, StringComparison.Ordinal);
        lines.Add(orphan.Replace("\"seq\":" + (lines.Count - 1), "\"seq\":" + (lines.Count + 1), StringComparison.Ordinal));
        File.WriteAllLines(EventsFile, lines);
        using var reopened = MemoryWorkspace.Open(_folder);
        var problems = reopened.Repair();
        Assert.Equal(["MC5008", "MC5006", "MC5007", "MC5007"], problems.Select(diagnostic => diagnostic.Code));
        Assert.Equal("event 'orphan' is already in the log of graph 'decision-graph'; events are append-only and their ids unique", problems[0].Message);
        Assert.Equal(lines.Count, problems[0].Location.Line);
        Assert.Equal("edge 'e-ghost' has source 'ghost', which graph 'decision-graph' does not hold", problems[1].Message);
        Assert.Equal("event 'orphan' names node 'nobody', which graph 'decision-graph' does not hold and no tombstone explains", problems[2].Message);
        Assert.Equal(lines.Count - 1, problems[2].Location.Line);
    }

    [Fact]
    public void A_snapshot_of_an_unknown_format_is_reported()
    {
        using (var workspace = Seed())
        {
            workspace.Checkpoint();
        }

        var snapshot = new WorkspaceLayout(_folder).SnapshotFile("decision-graph");
        File.WriteAllText(snapshot, File.ReadAllText(snapshot).Replace("markitect.memory.snapshot.v1", "markitect.memory.snapshot.v7", StringComparison.Ordinal));
        using var reopened = MemoryWorkspace.Open(_folder);
        var problem = Assert.Single(reopened.Repair());
        Assert.Equal(("MC5005", snapshot), (problem.Code, problem.Location.Path));
    }

    private MemoryWorkspace Seed()
    {
        var workspace = MemoryWorkspace.Create(_folder);
        workspace.Import(TestSupport.Example("decision-graph.yaml"), "tester");
        return workspace;
    }
}
