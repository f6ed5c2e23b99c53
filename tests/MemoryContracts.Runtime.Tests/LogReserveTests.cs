using MemoryContracts.Runtime.Storage.Files;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// The reserve of spaces an open log keeps past its lines, so that appends overwrite bytes the file holds instead
/// of growing it (issue 14): readers never see it, closing cuts it off, what a crash leaves is cut off or
/// quarantined as before, and a full disk costs the reserve, never an append.
/// </summary>
public sealed class LogReserveTests : IDisposable
{
    private const int MinimumReserve = 65_536;
    private const string Cut = "{\"format\":\"markitect.memory.rec";
    private readonly string _folder = TestSupport.TempFolder("reserve");

    private string EventsFile => new WorkspaceLayout(_folder).EventsFile("decision-graph");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_open_log_keeps_a_reserve_that_readers_skip_and_closing_cuts_off()
    {
        byte[] lines;
        using (var workspace = Seed())
        {
            workspace.Append("decision-graph", TestSupport.Event("second"));
            workspace.Append("decision-graph", TestSupport.Event("third"));

            var open = File.ReadAllBytes(EventsFile);
            // The second flush since opening grew the reserve; the third line overwrote the start of it.
            var end = Array.LastIndexOf(open, (byte)'\n') + 1;
            var secondEnd = Array.LastIndexOf(open, (byte)'\n', end - 2) + 1;
            Assert.Equal(MinimumReserve, open.Length - secondEnd);
            Assert.All(open[end..], value => Assert.Equal((byte)' ', value));
            lines = open[..end];

            var records = workspace.Log.Read("decision-graph").ToList();
            Assert.Equal(lines.Count(value => value == (byte)'\n'), records.Count);
            Assert.Equal(["second", "third"], records.TakeLast(2).Select(record => record.Event!.Id));
            Assert.Equal(records[^1].Sequence, workspace.Log.LastSequence("decision-graph"));
            Assert.Empty(workspace.Repair());
        }

        Assert.Equal(lines, File.ReadAllBytes(EventsFile));
    }

    [Fact]
    public void One_append_after_opening_grows_no_reserve()
    {
        using (Seed())
        {
        }

        using var workspace = MemoryWorkspace.Open(_folder);
        workspace.Append("decision-graph", TestSupport.Event("only"));
        var open = File.ReadAllBytes(EventsFile);
        Assert.Equal((byte)'\n', open[^1]);
    }

    [Fact]
    public void A_reserve_a_crash_left_is_cut_off_without_a_diagnostic_and_appends_go_on()
    {
        using (Seed())
        {
        }

        var lines = File.ReadAllBytes(EventsFile);
        File.AppendAllText(EventsFile, new string(' ', 100_000));
        var crashed = File.ReadAllBytes(EventsFile);
        using (var reader = MemoryWorkspace.Open(_folder, new WorkspaceOptions { ReadOnly = true }))
        {
            Assert.Equal(lines.Count(value => value == (byte)'\n'), reader.Log.Read("decision-graph").Count());
            Assert.Empty(reader.Log.Check("decision-graph"));
            Assert.Equal(reader.Log.Read("decision-graph").Last().Sequence, reader.Log.LastSequence("decision-graph"));
        }

        Assert.Equal(crashed, File.ReadAllBytes(EventsFile));
        using var workspace = MemoryWorkspace.Open(_folder);
        Assert.Empty(workspace.Recovered);
        Assert.Equal(lines, File.ReadAllBytes(EventsFile));
        var appended = workspace.Append("decision-graph", TestSupport.Event("after-crash"));
        Assert.Equal(appended.Sequence, workspace.Log.Read("decision-graph").Last().Sequence);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(EventsFile)!, "events.jsonl.torn-*"));
    }

    [Fact]
    public void A_line_a_crash_cut_off_inside_the_reserve_is_reported_and_quarantined_without_the_spaces()
    {
        using (Seed())
        {
        }

        var lines = File.ReadAllBytes(EventsFile);
        File.AppendAllText(EventsFile, Cut + new string(' ', 70_000));
        var crashed = File.ReadAllBytes(EventsFile);

        using (var reader = MemoryWorkspace.Open(_folder, new WorkspaceOptions { ReadOnly = true }))
        {
            reader.Log.LastSequence("decision-graph");
            var reported = Assert.Single(reader.Log.Check("decision-graph"), diagnostic => diagnostic.Code == "MC5004");
            Assert.StartsWith($"the last line ({Cut.Length} bytes) was cut off before it was acknowledged", reported.Message, StringComparison.Ordinal);
            Assert.Equal(lines.Count(value => value == (byte)'\n'), reader.Log.Read("decision-graph").Count());
        }

        Assert.Equal(crashed, File.ReadAllBytes(EventsFile));

        using var workspace = MemoryWorkspace.Open(_folder);
        var torn = Assert.Single(workspace.Recovered);
        Assert.Equal("MC5004", torn.Code);
        Assert.Equal(lines, File.ReadAllBytes(EventsFile));
        var quarantine = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(EventsFile)!, "events.jsonl.torn-*"));
        Assert.Equal(Cut, File.ReadAllText(quarantine));
    }

    [Fact]
    public void A_line_of_spaces_edited_into_the_middle_of_a_log_does_not_hide_the_lines_after_it()
    {
        using (var workspace = Seed())
        {
            workspace.Append("decision-graph", TestSupport.Event("after-the-edit"));
        }

        var lines = File.ReadAllLines(EventsFile);
        var edited = lines[..2].Append(new string(' ', 200_000) + "x").Concat(lines[2..]);
        File.WriteAllText(EventsFile, string.Join('\n', edited) + "\n");

        using var reader = MemoryWorkspace.Open(_folder, new WorkspaceOptions { ReadOnly = true });
        var unreadable = Assert.Single(reader.Log.Check("decision-graph"));
        Assert.Equal((EventsFile, 3), (unreadable.Location.Path, unreadable.Location.Line));
        Assert.Equal(lines.Length + 1, File.ReadLines(EventsFile).Count());
    }

    private MemoryWorkspace Seed()
    {
        var workspace = MemoryWorkspace.Create(_folder);
        workspace.Import(TestSupport.Example("decision-graph.yaml"), "tester");
        return workspace;
    }
}
