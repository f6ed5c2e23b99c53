using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Toolbelt;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>The toolbelt's guardrails, events, saga, history and drift, run on every ledger (files and PostgreSQL).</summary>
public abstract class ToolbeltScenario : IDisposable
{
    private const string File1 = "users/ada.md";
    private readonly string _root = TestSupport.TempFolder("toolbelt-root");
    private readonly MemoryWorkspace _workspace;

    protected ToolbeltScenario()
    {
        _workspace = OpenWorkspace();
    }

    protected abstract MemoryWorkspace OpenWorkspace();

    public void Dispose() => _workspace.Dispose();

    [ConformanceFact]
    public void Every_hard_block_is_refused_with_MC5019_and_audited()
    {
        var toolbelt = Toolbelt(new ToolbeltOptions { AllowedPaths = ["users", "notes"] });
        toolbelt.Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" });
        var outside = TempFolders.Create("outside");
        Directory.CreateSymbolicLink(Path.Combine(_root, "users", "linked"), outside);
        var attempts = new (string What, Func<ToolResult> Call)[]
        {
            ("delete", () => toolbelt.Delete(new ToolRequest { Path = File1 })),
            ("dot-dot", () => toolbelt.Write(new ToolRequest { Path = "users/../../escape.md", Content = "x" })),
            ("absolute", () => toolbelt.Write(new ToolRequest { Path = "/etc/escape.md", Content = "x" })),
            ("history", () => toolbelt.Write(new ToolRequest { Path = ".history/users/ada.md/forged.md", Content = "x" })),
            ("not allowed", () => toolbelt.Write(new ToolRequest { Path = "secrets/keys.md", Content = "x" })),
            ("symlink", () => toolbelt.Write(new ToolRequest { Path = "users/linked/escape.md", Content = "x" })),
            ("anchor removal", () => toolbelt.Patch(new ToolRequest { Path = File1, OldText = "## Evidence <!-- anchor: evidence v1 -->\n", NewText = string.Empty })),
            ("anchor edit", () => toolbelt.Patch(new ToolRequest { Path = File1, OldText = "anchor: notes v1", NewText = "anchor: notes v2" })),
            ("front matter", () => toolbelt.Patch(new ToolRequest { Path = File1, OldText = "type: profile", NewText = "type: part" })),
            ("emptying", () => toolbelt.Write(new ToolRequest { Path = File1, Content = "  \n" })),
        };

        foreach (var (what, call) in attempts)
        {
            var blocked = Assert.Throws<MemoryStoreException>(call);
            Assert.True(blocked.Code == "MC5019", $"{what}: {blocked.Message}");
        }

        Assert.Empty(Directory.GetFiles(outside));
        File.WriteAllText(Path.Combine(outside, "secret.md"), "SECRET outside the root\n");
        Assert.DoesNotContain(toolbelt.List(new ToolRequest()).Entries, entry => entry.Contains("secret", StringComparison.Ordinal));
        Assert.Empty(toolbelt.Search(new ToolRequest { Pattern = "SECRET" }).Entries);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escape.md")));
        Assert.Equal(attempts.Length, _workspace.Events(ToolLedger.Graph, "policy_decision").Count(graphEvent => graphEvent.Attributes.Any(pair => pair.Key == "type" && pair.Value.Text == "audit")));
        Assert.Contains("never allowed", Assert.Throws<MemoryStoreException>(() => toolbelt.Delete(new ToolRequest { Path = File1 })).Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void A_cap_is_a_warning_that_needs_a_recorded_rationale_to_exceed()
    {
        var toolbelt = Toolbelt();
        toolbelt.Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" });
        var long_ = string.Join("\n", Enumerable.Range(0, 40).Select(index => $"- preference {index}"));
        var refused = Assert.Throws<MemoryStoreException>(() => toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "preferences v1", Body = long_ }));
        Assert.Equal("MC5020", refused.Code);
        Assert.Contains("section 'preferences v1' lists 40 items, over the cap of 30", refused.Message, StringComparison.Ordinal);

        Assert.Equal("MC5022", Assert.Throws<MemoryStoreException>(() => toolbelt.Patch(new ToolRequest { Path = File1, OldText = "not in the file", NewText = "x" })).Code);
        Assert.Equal("MC5022", Assert.Throws<MemoryStoreException>(() => toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "hobbies v1", Body = "x" })).Code);
        var written = toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "preferences v1", Body = long_, Rationale = "imported", OverrideRationale = "the import keeps every preference; curation follows" });
        Assert.Equal("the import keeps every preference; curation follows", written.Event!.OverrideRationale);
        Assert.Equal("cap list-items (preferences v1)", written.Event.Lint);
        Assert.Contains(written.Lint, finding => finding.Rule == "list-items" && finding.IsCap);
    }

    [ConformanceFact]
    public void Every_write_is_one_event_with_the_sections_before_and_after_hashes_and_correlation()
    {
        var toolbelt = Toolbelt();
        toolbelt.Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" });
        var before = File.ReadAllText(Path.Combine(_root, File1));
        var result = toolbelt.PatchSection(new ToolRequest
        {
            Path = File1, Anchor = "identity v1", Body = "Ada is a maintainer.\n", Rationale = "from the onboarding call", Evidence = ["call-2026-11-20#12"],
            IdempotencyKey = "k-1", ToolCallId = "call-7", TransactionId = "tx-3",
        });
        var entry = result.Event!;
        Assert.Equal(("profile_update", "replace_section", "identity v1", "committed"), (entry.Type, entry.Op, entry.SectionAnchor, entry.Status));
        Assert.Equal(CanonicalText.Hash(string.Empty), entry.BeforeHash);
        Assert.Equal(CanonicalText.Hash("Ada is a maintainer.\n"), entry.AfterHash);
        Assert.Equal(CanonicalText.Hash(File.ReadAllText(Path.Combine(_root, File1))), entry.FileHashAfter);
        Assert.Equal(["call-2026-11-20#12"], entry.Evidence);
        Assert.Equal(("call-7", "tx-3", "k-1"), (entry.ToolCallId, entry.TransactionId, entry.IdempotencyKey));
        Assert.Contains("-", result.Diff, StringComparison.Ordinal);
        Assert.Contains("+Ada is a maintainer.", result.Diff, StringComparison.Ordinal);
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(_root, File1)));

        var reopened = new MemoryToolbelt(_root, _workspace).Events.Single(logged => logged.Id == entry.Id);
        Assert.Equal(entry with { Evidence = reopened.Evidence }, reopened);
        Assert.Equal(2, _workspace.Events(ToolLedger.Graph).Count(graphEvent => graphEvent.Id.StartsWith(entry.Id, StringComparison.Ordinal)));
    }

    [ConformanceFact]
    public void A_retried_call_with_the_same_idempotency_key_writes_once_and_a_dry_run_writes_nothing()
    {
        var toolbelt = Toolbelt();
        toolbelt.Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" });
        var first = toolbelt.CurateList(new ToolRequest { Path = File1, Anchor = "preferences v1", Add = ["tea"], IdempotencyKey = "curate-1" });
        var content = File.ReadAllText(Path.Combine(_root, File1));
        var retry = toolbelt.CurateList(new ToolRequest { Path = File1, Anchor = "preferences v1", Add = ["tea"], IdempotencyKey = "curate-1" });
        Assert.True(retry.Replayed);
        Assert.Equal(first.Event!.Id, retry.Event!.Id);
        Assert.Equal(content, File.ReadAllText(Path.Combine(_root, File1)));
        Assert.Single(toolbelt.Events, entry => entry.IdempotencyKey == "curate-1");

        var events = toolbelt.Events.Count;
        var plan = toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "notes v1", Body = "Planned note.", DryRun = true });
        Assert.True(plan.DryRun);
        Assert.Equal("planned", plan.Event!.Status);
        Assert.Contains("+Planned note.", plan.Diff, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(Path.Combine(_root, File1)));
        Assert.Equal(events, toolbelt.Events.Count);
    }

    [ConformanceFact]
    public void A_failed_write_leaves_a_failed_event_and_the_file_unchanged()
    {
        Toolbelt().Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" });
        var content = File.ReadAllText(Path.Combine(_root, File1));
        var failing = Toolbelt(new ToolbeltOptions { WriteFile = (_, _) => throw new IOException("disk full") });
        var failed = Assert.Throws<MemoryStoreException>(() => failing.PatchSection(new ToolRequest { Path = File1, Anchor = "notes v1", Body = "lost" }));
        Assert.Equal("MC5018", failed.Code);
        Assert.EndsWith(": disk full", failed.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(Path.Combine(_root, File1)));
        var entry = failing.Events[^1];
        Assert.Equal(("failed", "disk full"), (entry.Status, entry.FailureReason));
        Assert.Empty(failing.Drift());
    }

    [ConformanceFact]
    public void Replay_rebuilds_the_file_at_three_past_points_and_drift_is_reported_never_fixed()
    {
        var toolbelt = Toolbelt();
        var points = new List<(string EventId, string Content)>();
        void Keep(ToolResult result) => points.Add((result.Event!.Id, File.ReadAllText(Path.Combine(_root, File1))));
        Keep(toolbelt.Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" }));
        Keep(toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "identity v1", Body = "Ada maintains the build." }));
        Keep(toolbelt.CurateList(new ToolRequest { Path = File1, Anchor = "preferences v1", Add = ["short answers", "examples first"] }));
        toolbelt.Append(new ToolRequest { Path = File1, Text = "A closing remark." });

        foreach (var (eventId, content) in points)
        {
            Assert.Equal(content, toolbelt.Replay(new ToolRequest { Path = File1, At = eventId }).Content);
        }

        // One history copy per committed write (beside them, .lock: the root's write lock).
        Assert.Equal(points.Count + 1, Directory.GetFiles(Path.Combine(_root, ".history"), "*", SearchOption.AllDirectories).Count(file => Path.GetFileName(file) != ".lock"));
        Assert.Equal(string.Empty, toolbelt.Replay(new ToolRequest { Path = File1, At = "2000-01-01T00:00:00Z" }).Content);
        Assert.Empty(toolbelt.Drift());

        File.AppendAllText(Path.Combine(_root, File1), "edited by hand\n");
        var edited = File.ReadAllText(Path.Combine(_root, File1));
        var drift = Assert.Single(toolbelt.Drift());
        Assert.Equal("MC5021", drift.Code);
        Assert.StartsWith("'users/ada.md' has hash sha256:", drift.Message, StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllText(Path.Combine(_root, File1)));
        Assert.Equal(4, toolbelt.SnapshotHistory(new ToolRequest { Path = File1 }).Entries.Count);
    }

    [ConformanceFact]
    public void An_idempotency_key_reused_for_another_request_is_refused_and_nothing_is_reported_as_committed()
    {
        var toolbelt = Toolbelt();
        toolbelt.Write(new ToolRequest { Path = "notes/a.md", Content = "first\n", IdempotencyKey = "k-1" });
        var attempts = new Func<ToolResult>[]
        {
            () => toolbelt.Write(new ToolRequest { Path = "notes/b.md", Content = "first\n", IdempotencyKey = "k-1" }),
            () => toolbelt.Write(new ToolRequest { Path = "notes/a.md", Content = "second\n", IdempotencyKey = "k-1" }),
            () => toolbelt.Append(new ToolRequest { Path = "notes/a.md", Text = "first\n", IdempotencyKey = "k-1" }),
        };
        foreach (var attempt in attempts)
        {
            var refused = Assert.Throws<MemoryStoreException>(attempt);
            Assert.Equal("MC5027", refused.Code);
            Assert.Contains("idempotency key 'k-1' was first used for a different request (event '", refused.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Path.Combine(_root, "notes", "b.md")));
        Assert.Equal("first\n", File.ReadAllText(Path.Combine(_root, "notes", "a.md")));
        Assert.Single(toolbelt.Events, entry => entry.IdempotencyKey == "k-1");
        Assert.True(toolbelt.Write(new ToolRequest { Path = "notes/a.md", Content = "first\n", IdempotencyKey = "k-1", ToolCallId = "retry" }).Replayed);
    }

    private MemoryToolbelt Toolbelt(ToolbeltOptions? options = null) => new(_root, _workspace, options);
}

/// <summary>The toolbelt scenario on the file workspace's ledger.</summary>
public sealed class FileToolbeltTests : ToolbeltScenario
{
    protected override MemoryWorkspace OpenWorkspace() => MemoryWorkspace.Create(TestSupport.TempFolder("toolbelt-ledger"));
}

/// <summary>The same scenario with the events in PostgreSQL.</summary>
public sealed class PostgresToolbeltTests : ToolbeltScenario, IPostgresTests
{
    protected override MemoryWorkspace OpenWorkspace() =>
        PostgresWorkspace.Open(new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys));
}
