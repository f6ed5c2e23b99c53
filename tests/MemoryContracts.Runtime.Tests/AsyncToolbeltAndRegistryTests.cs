using MemoryContracts.Model;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Toolbelt;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 14: the context registry and the toolbelt have asynchronous forms on the blocking forms' code path. They give
/// the same results; a call cancelled before its commit point writes nothing (no file, no ledger event, no lifecycle
/// entry); a call that returns is durable; cancellations at random moments leave each call either absent or whole.
/// </summary>
public sealed class AsyncToolbeltAndRegistryTests : IDisposable
{
    private const string Profile = "users/ada.md";
    private static readonly MemoryNamespace Project = new("project", "memorycontracts");
    private readonly string _folder = TestSupport.TempFolder("async-tools");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_asynchronous_toolbelt_gives_what_the_blocking_one_gives_on_files()
    {
        using var blocking = MemoryWorkspace.Create(Path.Combine(_folder, "ledger-blocking"));
        using var awaited = MemoryWorkspace.Create(Path.Combine(_folder, "ledger-async"));
        await AssertSameScenario(blocking, awaited);
    }

    [PostgresFact]
    public async Task The_asynchronous_toolbelt_gives_what_the_blocking_one_gives_on_PostgreSQL()
    {
        using var blocking = OpenPostgres();
        using var awaited = OpenPostgres();
        await AssertSameScenario(blocking, awaited);
    }

    [Fact]
    public async Task Toolbelt_writes_cancelled_at_random_moments_are_each_absent_or_whole_on_files()
    {
        using var workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ledger-race"));
        await RaceToolbeltWrites(workspace);
    }

    [PostgresFact]
    public async Task Toolbelt_writes_cancelled_at_random_moments_are_each_absent_or_whole_on_PostgreSQL()
    {
        using var workspace = OpenPostgres();
        await RaceToolbeltWrites(workspace);
    }

    [Fact]
    public async Task A_toolbelt_call_cancelled_before_it_starts_writes_and_audits_nothing()
    {
        using var workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ledger-cancelled"));
        var toolbelt = new MemoryToolbelt(Path.Combine(_folder, "memory-cancelled"), workspace);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await toolbelt.WriteAsync(new ToolRequest { Path = "notes.md", Content = "# Notes\n" }, cancelled.Token));

        // A call that would be refused and audited is not audited either: it never ran.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await toolbelt.DeleteAsync(new ToolRequest { Path = "notes.md" }, cancelled.Token));
        Assert.False(File.Exists(Path.Combine(toolbelt.Root, "notes.md")));
        Assert.Empty(workspace.Events(ToolLedger.Graph));
    }

    [Fact]
    public async Task The_asynchronous_registry_gives_what_the_blocking_one_gives()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-21T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var blockingCatalog = TestSupport.CopyCatalog("registry-blocking");
        var awaitedCatalog = TestSupport.CopyCatalog("registry-async");
        var blocking = new ContextRegistry(Path.Combine(blockingCatalog, ".memory", "context"), new ContextRegistryOptions { Clock = clock });
        var awaited = new ContextRegistry(Path.Combine(awaitedCatalog, ".memory", "context"), new ContextRegistryOptions { Clock = clock });
        const string Id = "contract-boundary-decisions";

        var packed = ContextRegistry.ToJson(blocking.Pack(ContextRegistry.RecipeFor(Path.Combine(blockingCatalog, "decision-graph-selection.yaml")), "tester"));
        Assert.Equal(packed, ContextRegistry.ToJson(await awaited.PackAsync(ContextRegistry.RecipeFor(Path.Combine(awaitedCatalog, "decision-graph-selection.yaml")), "tester")));
        Assert.Equal(ContextRegistry.ToJson(blocking.Activate(Project, Id, "agent")), ContextRegistry.ToJson(await awaited.ActivateAsync(Project, Id, "agent")));
        Assert.Equal(ContextRegistry.ToJson(blocking.List()), ContextRegistry.ToJson(await awaited.ListAsync()));
        blocking.Deactivate(Project, Id, "agent");
        await awaited.DeactivateAsync(Project, Id, "agent");
        Assert.Equal(ContextRegistry.ToJson(blocking.Refresh(Project, Id, "tester")), ContextRegistry.ToJson(await awaited.RefreshAsync(Project, Id, "tester")));
        Assert.Equal(ContextRegistry.ToJson(blocking.Explain(Project, Id)), ContextRegistry.ToJson(await awaited.ExplainAsync(Project, Id)));
        Assert.Equal(ContextPackageWriter(blocking.Load(Project, Id)), ContextPackageWriter(await awaited.LoadAsync(Project, Id)));
        Assert.Equal(
            ModelDump.Of(blocking.History(Project, Id).Select(entry => entry with { Operation = null })),
            ModelDump.Of((await awaited.HistoryAsync(Project, Id)).Select(entry => entry with { Operation = null })));
        Assert.Equal(["packed", "activated", "deactivated", "refreshed"], (await awaited.HistoryAsync(Project, Id)).Select(entry => entry.Action));
    }

    [Fact]
    public async Task A_cancelled_registry_call_records_nothing_and_leaves_the_package_as_it_was()
    {
        var catalog = TestSupport.CopyCatalog("registry-cancelled");
        var registry = new ContextRegistry(Path.Combine(catalog, ".memory", "context"));
        const string Id = "contract-boundary-decisions";
        await registry.PackAsync(ContextRegistry.RecipeFor(Path.Combine(catalog, "decision-graph-selection.yaml")), "tester");
        var package = Path.Combine(Directory.GetFiles(registry.Root, "package.json", SearchOption.AllDirectories).Single());
        var (bytes, history) = (File.ReadAllBytes(package), registry.History(Project, Id).Count);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await registry.ActivateAsync(Project, Id, "agent", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await registry.DeactivateAsync(Project, Id, "agent", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await registry.RefreshAsync(Project, Id, "tester", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await registry.PackAsync(ContextRegistry.RecipeFor(Path.Combine(catalog, "knowledge-neighborhood-selection.yaml")), "tester", cancelled.Token));

        Assert.Equal(bytes, File.ReadAllBytes(package));
        Assert.Equal(history, registry.History(Project, Id).Count);
        Assert.Equal([Id], registry.List().Select(entry => entry.Id));
    }

    [Fact]
    public async Task Activations_cancelled_at_random_moments_are_each_recorded_once_or_not_at_all()
    {
        var catalog = TestSupport.CopyCatalog("registry-race");
        var registry = new ContextRegistry(Path.Combine(catalog, ".memory", "context"));
        const string Id = "contract-boundary-decisions";
        await registry.PackAsync(ContextRegistry.RecipeFor(Path.Combine(catalog, "decision-graph-selection.yaml")), "tester");
        var random = new Random(2112);
        var outcomes = new Dictionary<bool, int> { [true] = 0, [false] = 0 };
        var moments = new CancelMoments(random);
        for (var round = 0; round < CancelMoments.WarmUp + Rounds; round++)
        {
            var before = registry.History(Project, Id).Count;
            var activated = await moments.Race(round, token => registry.ActivateAsync(Project, Id, $"agent-{round}", token).AsTask());

            var added = registry.History(Project, Id).Skip(before).Select(entry => $"{entry.Action} {entry.Actor}");
            Assert.Equal(activated ? [$"activated agent-{round}"] : [], added);
            outcomes[activated] += round < CancelMoments.WarmUp ? 0 : 1;
        }

        // Both outcomes happened, or the delays did not race anything.
        Assert.True(outcomes[true] > 0 && outcomes[false] > 0, $"activated {outcomes[true]}, cancelled {outcomes[false]}");
    }

    /// <summary>Rounds of a race after the warm-up.</summary>
    private const int Rounds = 100;

    private static string ContextPackageWriter(Packing.ContextPackage package) => Packing.ContextPackageWriter.Write(package, Packing.PackageFormat.Json);

    private static MemoryWorkspace OpenPostgres() =>
        PostgresWorkspace.Open(new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys));

    /// <summary>The same calls through the blocking forms on one root and the asynchronous forms on another: same files, same results, same ledger.</summary>
    private async Task AssertSameScenario(MemoryWorkspace blockingLedger, MemoryWorkspace awaitedLedger)
    {
        var blocking = new MemoryToolbelt(Path.Combine(_folder, "memory-" + Guid.NewGuid().ToString("N")), blockingLedger);
        var awaited = new MemoryToolbelt(Path.Combine(_folder, "memory-" + Guid.NewGuid().ToString("N")), awaitedLedger);
        var write = new ToolRequest { Path = Profile, Template = "profile", Title = "Ada" };
        var sections = new ToolRequest { Path = Profile };
        Assert.Equal(blocking.Write(write).Hash, (await awaited.WriteAsync(write)).Hash);
        var anchor = blocking.ListSections(sections).Entries[0].Split('\t')[0];
        var patch = new ToolRequest { Path = Profile, Anchor = anchor, Body = "Prefers tea.\n", Rationale = "asked", IdempotencyKey = "k-1" };
        Assert.Equal(blocking.PatchSection(patch).Hash, (await awaited.PatchSectionAsync(patch)).Hash);
        Assert.True((await awaited.PatchSectionAsync(patch)).Replayed);
        Assert.Equal(blocking.Append(new ToolRequest { Path = "notes.md", Text = "one" }).Hash, (await awaited.AppendAsync(new ToolRequest { Path = "notes.md", Text = "one" })).Hash);
        Assert.Equal(blocking.Read(sections).Content, (await awaited.ReadAsync(sections)).Content);
        Assert.Equal(blocking.Hash(sections).Hash, (await awaited.HashAsync(sections)).Hash);
        Assert.Equal(blocking.ListSections(sections).Entries, (await awaited.ListSectionsAsync(sections)).Entries);
        Assert.Equal(blocking.List(new ToolRequest()).Entries, (await awaited.ListAsync(new ToolRequest())).Entries);
        Assert.Equal(blocking.Search(new ToolRequest { Pattern = "tea" }).Entries, (await awaited.SearchAsync(new ToolRequest { Pattern = "tea" })).Entries);
        Assert.Equal(blocking.Lint(sections).Lint, (await awaited.LintAsync(sections)).Lint);
        Assert.Equal(
            blocking.SnapshotHistory(sections).Entries.Select(entry => entry.Split('\t')[2]),
            (await awaited.SnapshotHistoryAsync(sections)).Entries.Select(entry => entry.Split('\t')[2]));
        var first = (await awaited.EventsAsync())[0].Id;
        Assert.Contains("Prefers tea.", (await awaited.ReadAsync(sections)).Content, StringComparison.Ordinal);
        Assert.DoesNotContain("Prefers tea.", (await awaited.ReplayAsync(new ToolRequest { Path = Profile, At = first })).Content, StringComparison.Ordinal);

        // A refusal is audited by either form.
        Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => blocking.Delete(sections)).Code);
        Assert.Equal("MC5019", (await Assert.ThrowsAsync<MemoryStoreException>(async () => await awaited.DeleteAsync(sections))).Code);
        Assert.Equal(Ledger(blockingLedger), Ledger(awaitedLedger));
        Assert.Equal(blocking.Events.Select(entry => (entry.Op, entry.File, entry.Status, entry.FileHashAfter)), (await awaited.EventsAsync()).Select(entry => (entry.Op, entry.File, entry.Status, entry.FileHashAfter)));

        File.WriteAllText(Path.Combine(blocking.Root, "notes.md"), "edited by hand\n");
        File.WriteAllText(Path.Combine(awaited.Root, "notes.md"), "edited by hand\n");
        Assert.Equal(blocking.Drift().Select(diagnostic => diagnostic.Code), (await awaited.DriftAsync()).Select(diagnostic => diagnostic.Code));
        Assert.Equal("MC5021", Assert.Single(await awaited.DriftAsync()).Code);
    }

    /// <summary>The ledger's events as kind and summary, without ids or times.</summary>
    private static string[] Ledger(MemoryWorkspace workspace) =>
        workspace.Events(ToolLedger.Graph).Select(graphEvent => $"{graphEvent.Kind} {string.Join(' ', graphEvent.Summary!.Split(' ').Where(word => !word.StartsWith("tb-", StringComparison.Ordinal)))}").ToArray();

    /// <summary>
    /// 100 writes of new files, each with a token cancelled at a random moment within a typical write's time: each
    /// write is either absent (no file, no ledger event naming it) or whole (the file, a committed event, its history
    /// copy); no saga is left pending.
    /// </summary>
    private async Task RaceToolbeltWrites(MemoryWorkspace workspace)
    {
        var toolbelt = new MemoryToolbelt(Path.Combine(_folder, "memory-race-" + Guid.NewGuid().ToString("N")), workspace);
        var random = new Random(4242);
        var outcomes = new Dictionary<bool, int> { [true] = 0, [false] = 0 };
        var moments = new CancelMoments(random);
        for (var round = 0; round < CancelMoments.WarmUp + Rounds; round++)
        {
            var file = $"notes/n-{round}.md";
            var written = await moments.Race(round, token => toolbelt.WriteAsync(new ToolRequest { Path = file, Content = $"# Note {round}\n" }, token).AsTask());

            var events = (await toolbelt.EventsAsync()).Where(entry => entry.File == file).ToList();
            Assert.Equal(written, File.Exists(Path.Combine(toolbelt.Root, file)));
            Assert.Equal(written ? ["committed"] : [], events.Select(entry => entry.Status));
            Assert.Equal(written, Directory.Exists(Path.Combine(toolbelt.Root, ".history", "notes", $"n-{round}.md")));
            outcomes[written] += round < CancelMoments.WarmUp ? 0 : 1;
        }

        Assert.DoesNotContain(await toolbelt.EventsAsync(), entry => entry.Status == "pending");
        Assert.True(outcomes[true] > 0 && outcomes[false] > 0, $"written {outcomes[true]}, cancelled {outcomes[false]}");
    }
}
