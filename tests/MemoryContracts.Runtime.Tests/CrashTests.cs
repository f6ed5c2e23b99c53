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
        var folder = CrashWorkspace("crash");

        var random = new Random(20261121);
        var acknowledged = new List<string>();
        var applied = new List<(string Plan, string Node)>();
        var torn = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var lines = RunAndKill(folder, $"r{kill}", TimeSpan.FromMilliseconds(random.Next(30, 400)));
            acknowledged.AddRange(lines.Where(line => line.StartsWith("ack ", StringComparison.Ordinal)).Select(line => line[4..]));
            applied.AddRange(lines.Where(line => line.StartsWith("applied ", StringComparison.Ordinal)).Select(line => line.Split(' ')).Select(parts => (parts[1], parts[2])));

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

    /// <summary>
    /// Issue 13, finding 5: a child records a secret and forgets it, over and over, and is killed at 30 random moments.
    /// After each recovery (opening the workspace), a forget is there with its one audit record, its secret in no byte
    /// of any file (log, snapshot, history, quarantined tails, temporary files, audit, plans), or it is not there at
    /// all (the node live, no audit record of a forget); every forget the child saw return is there.
    /// </summary>
    [Fact]
    public void A_forget_and_its_audit_record_are_both_there_or_neither_after_a_kill_at_any_moment()
    {
        var folder = CrashWorkspace("forget-crash");

        var random = new Random(20261203);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var forgotten = new List<string>();
        var recovered = 0;
        const int ForgetKills = 30;
        for (var kill = 0; kill < ForgetKills; kill++)
        {
            // Killed a few milliseconds after its n-th secret is recorded (n random), so every run dies inside or near a
            // forget however slow the machine is: right after that line the child plans and applies one.
            var lines = RunAndKill(folder, $"f{kill}", TimeSpan.FromMilliseconds(random.Next(0, 40)), "forget", afterLines: ("secret ", random.Next(2, 5)));
            foreach (var parts in lines.Where(line => line.StartsWith("secret ", StringComparison.Ordinal)).Select(line => line.Split(' ')))
            {
                secrets[parts[1]] = parts[2];
            }

            forgotten.AddRange(lines.Where(line => line.StartsWith("forgot ", StringComparison.Ordinal)).Select(line => line[7..]));
            var journals = Directory.GetFiles(folder, "apply-journal.json", SearchOption.AllDirectories).Length;
            recovered += journals;

            using var reopened = MemoryWorkspace.Open(folder);
            Assert.Empty(Directory.GetFiles(folder, "apply-journal.json", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
            var state = reopened.Copy("crash");
            var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(path => !path.EndsWith("workspace.lock", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToArray();
            var forgets = reopened.AuditTrail().Where(entry => entry.Action == "apply" && entry.Decision == AuditDecision.Granted).ToArray();
            foreach (var (id, secret) in secrets)
            {
                var audited = forgets.Count(entry => entry.Affected.Contains(id));
                if (state.Tombstones.ContainsKey(id))
                {
                    Assert.Equal(1, audited);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
                    Assert.All(files, content => Assert.True(content.AsSpan().IndexOf(bytes) < 0, $"forgotten {secret} is still on disk after kill {kill}"));
                }
                else
                {
                    Assert.DoesNotContain(id, forgotten);
                    Assert.NotNull(state.FindNode(id));
                    Assert.Equal(0, audited);
                }
            }

            Assert.DoesNotContain(reopened.Repair(), diagnostic => diagnostic.IsError);
        }

        output.WriteLine($"{ForgetKills} kills, {secrets.Count} secrets recorded, {forgotten.Count} forgets acknowledged, {recovered} cut-off applies finished on open");
        Assert.True(forgotten.Count >= ForgetKills, $"the child acknowledged only {forgotten.Count} forgets in {ForgetKills} runs");
        Assert.True(recovered > 0, "no kill landed between a forget's record and its audit record; the test proved nothing about recovery");
    }

    /// <summary>A workspace the crash child writes to: the graph 'crash' with one node, and the profile 'crash-profile' (no review).</summary>
    private static string CrashWorkspace(string prefix)
    {
        var folder = TestSupport.TempFolder(prefix);
        using var workspace = MemoryWorkspace.Create(folder);
        var setup = TestSupport.TempFolder(prefix + "-setup");
        workspace.Import(TestSupport.Write(setup, "crash.yaml", "schema_version: markitect.memory.graph.v1\nid: crash\nnodes: [{id: seed, kind: observation, title: seed}]\n"), "tester");
        workspace.Import(TestSupport.Write(setup, "profile.yaml", "schema_version: markitect.memory.profile.v1\nid: crash-profile\nmemory_kinds: [conversation]\nstores: {conversation: local-event-log}\nactivation: {max_items: 5}\n"), "tester");
        return folder;
    }

    private static List<string> RunAndKill(string folder, string run, TimeSpan after, string? mode = null, (string Prefix, int Count)? afterLines = null)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "MemoryContracts.Runtime.CrashChild", "bin", Configuration, "net10.0", "MemoryContracts.Runtime.CrashChild.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.GetFullPath(child));
        start.ArgumentList.Add(folder);
        start.ArgumentList.Add(run);
        if (mode is not null)
        {
            start.ArgumentList.Add(mode);
        }

        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var ready = new ManualResetEventSlim();
        var seen = 0;
        var reader = new Thread(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                if (afterLines is { } wanted ? line.StartsWith(wanted.Prefix, StringComparison.Ordinal) && ++seen == wanted.Count : line == "ready")
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
            return [.. lines];
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
