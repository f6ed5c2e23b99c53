using System.Diagnostics;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// A workspace on a small tmpfs that runs full (issue 12): a failed import leaves no graph behind, empty or half
/// written, and read-only commands still work and change nothing, a torn last line included.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private readonly string _mount = TestSupport.TempFolder("full-disk");
    private readonly string _fixtures = TestSupport.TempFolder("full-disk-fixtures");
    private readonly bool _mounted;

    public FullDiskTests()
    {
        _mounted = TmpfsFactAttribute.Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", _mount) == 0;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            TmpfsFactAttribute.Run("umount", _mount);
        }

        Directory.Delete(_mount, recursive: true);
        Directory.Delete(_fixtures, recursive: true);
    }

    [TmpfsFact]
    public void A_full_disk_fails_an_import_without_debris_and_read_only_commands_still_work()
    {
        Assert.True(_mounted, "mounting the tmpfs failed");
        var workspace = Path.Combine(_mount, "ws");
        Assert.Equal(0, TestSupport.Run(out _, "store", "init", "-w", workspace));
        Assert.Equal(0, TestSupport.Run(out _, "store", "import", "-w", workspace, TestSupport.Write(_fixtures, "kb.yaml", TestSupport.KnowledgeGraph)));
        var log = Path.Combine(workspace, "graphs", "kb", "events.jsonl");
        File.AppendAllText(log, "{\"format\":\"markitect.memory.rec");
        var torn = File.ReadAllBytes(log);
        Fill();

        // Read-only commands on a full disk: they work, report the torn line, and move or write nothing.
        Assert.Equal(0, TestSupport.Run(out var events, "store", "events", "-w", workspace, "-g", "kb"));
        Assert.Contains("ev-decided\tupdated", events, StringComparison.Ordinal);
        Assert.Contains("warning MC5004: the last line (31 bytes) was cut off before it was acknowledged; reads leave it out", events, StringComparison.Ordinal);
        Assert.Equal(0, TestSupport.Run(out var repair, "store", "repair", "-w", workspace));
        Assert.EndsWith("0 error(s), 1 warning(s)\n", repair, StringComparison.Ordinal);
        Assert.Equal(0, TestSupport.Run(out _, "store", "export", "-w", workspace, "-g", "kb"));
        Assert.Equal(torn, File.ReadAllBytes(log));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(log)!, "*.torn-*"));

        // An import that cannot be written leaves no graph: not listed, nothing in its log, repair finds nothing.
        File.WriteAllBytes(log, torn[..^31]);
        var big = TestSupport.Write(_fixtures, "big.yaml", BigGraph());
        Assert.Equal(3, TestSupport.Run(out var refused, "store", "import", "-w", workspace, big));
        Assert.Contains("No space left on device", refused, StringComparison.Ordinal);
        Assert.Equal(0, TestSupport.Run(out var graphs, "store", "graphs", "-w", workspace));
        Assert.DoesNotContain("big", graphs, StringComparison.Ordinal);
        var bigLog = Path.Combine(workspace, "graphs", "big", "events.jsonl");
        Assert.True(!File.Exists(bigLog) || new FileInfo(bigLog).Length == 0, "the refused import left records in its log");
        Assert.Equal(0, TestSupport.Run(out var clean, "store", "repair", "-w", workspace));
        Assert.Equal("0 error(s), 0 warning(s)\n", clean);

        // With room again, the same import goes through whole.
        File.Delete(Path.Combine(_mount, "filler"));
        Assert.Equal(0, TestSupport.Run(out _, "store", "import", "-w", workspace, big));
        Assert.Equal(0, TestSupport.Run(out var listed, "store", "graphs", "-w", workspace));
        Assert.Contains("graph\tbig\t400 nodes", listed, StringComparison.Ordinal);
    }

    [TmpfsFact]
    public void A_full_disk_costs_a_log_its_reserve_never_an_append()
    {
        Assert.True(_mounted, "mounting the tmpfs failed");
        var folder = Path.Combine(_mount, "ws");
        var log = Path.Combine(folder, "graphs", "kb", "events.jsonl");
        using (var workspace = MemoryWorkspace.Create(folder))
        {
            workspace.Import(TestSupport.Write(_fixtures, "kb.yaml", TestSupport.KnowledgeGraph), "kb");

            // Room for a line or two, not for the 64 KB the second flush since opening would reserve.
            Fill();
            using (var filler = new FileStream(Path.Combine(_mount, "filler"), FileMode.Open))
            {
                filler.SetLength(filler.Length - 8192);
            }

            var appended = workspace.Append("kb", TestSupport.Event("on-a-full-disk"));
            Assert.Equal((byte)'\n', File.ReadAllBytes(log)[^1]);
            Assert.Equal(appended.Sequence, workspace.Log.Read("kb").Last().Sequence);

            // With room again, the next append grows the reserve.
            File.Delete(Path.Combine(_mount, "filler"));
            workspace.Append("kb", TestSupport.Event("with-room"));
            Assert.Equal((byte)' ', File.ReadAllBytes(log)[^1]);
        }

        Assert.Equal((byte)'\n', File.ReadAllBytes(log)[^1]);
        using var reopened = MemoryWorkspace.Open(folder);
        Assert.Empty(reopened.Recovered);
        Assert.Equal(["on-a-full-disk", "with-room"], reopened.Log.Read("kb").TakeLast(2).Select(record => record.Event!.Id));
    }

    private void Fill()
    {
        using var filler = new FileStream(Path.Combine(_mount, "filler"), FileMode.Create);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                filler.Write(chunk);
                filler.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // full
        }
    }

    private static string BigGraph()
    {
        var nodes = string.Concat(Enumerable.Range(0, 400).Select(index => $"  - {{id: n{index}, kind: claim, title: Claim number {index}, text: {new string('x', 400)}}}\n"));
        return $"schema_version: markitect.memory.graph.v1\nid: big\nnodes:\n{nodes}";
    }

}

/// <summary>A fact that mounts a small tmpfs: it needs root on Linux; skipped, with the reason, elsewhere.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    /// <remarks>A skipped test is named with its reason (<see cref="SkipReason"/>).</remarks>
    public TmpfsFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/bin/mount"))
        {
            SkipReason.Apply(this, "mounting a small tmpfs to fill the disk needs root on Linux (CI runs as root)", file, test);
        }
    }

    public static int Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
