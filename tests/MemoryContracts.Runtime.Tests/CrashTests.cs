using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Kills a child process that appends and applies (SIGKILL, at random moments) and proves after each kill that
/// every acknowledged event is there, every acknowledged plan is applied whole, nothing is applied in part, and the
/// workspace opens.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 12;

    [Fact]
    public void Every_acknowledged_write_survives_a_kill_at_any_moment()
    {
        var folder = TestSupport.TempFolder("crash");
        using (var workspace = MemoryWorkspace.Create(folder))
        {
            var setup = TestSupport.TempFolder("crash-setup");
            workspace.Import(TestSupport.Write(setup, "crash.yaml", "schema_version: markitect.memory.graph.v1\nid: crash\nnodes: [{id: seed, kind: observation, title: seed}]\n"), "tester");
            workspace.Import(TestSupport.Write(setup, "profile.yaml", "schema_version: markitect.memory.profile.v1\nid: crash-profile\nmemory_kinds: [conversation]\nstores: {conversation: local-event-log}\nactivation: {max_items: 5}\n"), "tester");
        }

        var random = new Random(20261121);
        var acknowledged = new List<string>();
        var applied = new List<(string Plan, string Node)>();
        var torn = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var (acks, plans) = RunAndKill(folder, $"r{kill}", TimeSpan.FromMilliseconds(random.Next(30, 400)));
            acknowledged.AddRange(acks);
            applied.AddRange(plans);

            using var reopened = MemoryWorkspace.Open(folder);
            torn += reopened.Recovered.Count;
            Assert.All(reopened.Recovered, diagnostic => Assert.Equal("MC5004", diagnostic.Code));
            var state = reopened.Copy("crash");
            Assert.All(acknowledged, id => Assert.True(reopened.Log.ContainsEvent("crash", "ev-" + id), $"acknowledged event {id} lost after kill {kill}"));
            Assert.All(acknowledged, id => Assert.NotNull(state.FindNode(id)));
            foreach (var (plan, node) in applied)
            {
                var record = reopened.Log.Read("crash").Single(logged => logged.Event?.Attributes.Any(pair => pair.Key == "plan" && pair.Value.Text == plan) == true);
                Assert.Equal([node], record.Changes.PutNodes.Select(put => put.Id));
            }

            // Nothing half-applied: an apply is one record, present whole with its change in the state, or absent.
            foreach (var record in reopened.Log.Read("crash").Where(logged => logged.Event?.Kind == "refreshed"))
            {
                var put = Assert.Single(record.Changes.PutNodes);
                Assert.Equal("active", put.Lifecycle!.State);
                Assert.NotEqual("2026-01-01T00:00:00Z", put.Lifecycle.UpdatedAt);
                Assert.Equal(put.Lifecycle.UpdatedAt, state.FindNode(put.Id)!.Lifecycle!.UpdatedAt);
            }

            Assert.DoesNotContain(reopened.Repair(), diagnostic => diagnostic.IsError);
        }

        output.WriteLine($"{Kills} kills, {acknowledged.Count} acknowledged appends, {applied.Count} acknowledged applies, {torn} torn last lines recovered");
        Assert.True(acknowledged.Count > Kills, "the child acknowledged too few appends to prove anything");
        Assert.NotEmpty(applied);
        Assert.Equal(torn, new DirectoryInfo(folder).GetFiles("*.torn-*", SearchOption.AllDirectories).Length);
    }

    private static (List<string> Acks, List<(string Plan, string Node)> Plans) RunAndKill(string folder, string run, TimeSpan after)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "MemoryContracts.Runtime.CrashChild", "bin", Configuration, "net10.0", "MemoryContracts.Runtime.CrashChild.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.GetFullPath(child));
        start.ArgumentList.Add(folder);
        start.ArgumentList.Add(run);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var ready = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                if (line == "ready")
                {
                    ready.Set();
                }
            }
        });
        reader.Start();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(60)), "the child did not start");
        Thread.Sleep(after);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        reader.Join();
        lock (lines)
        {
            return (
                lines.Where(line => line.StartsWith("ack ", StringComparison.Ordinal)).Select(line => line[4..]).ToList(),
                lines.Where(line => line.StartsWith("applied ", StringComparison.Ordinal)).Select(line => line.Split(' ')).Select(parts => (parts[1], parts[2])).ToList());
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
