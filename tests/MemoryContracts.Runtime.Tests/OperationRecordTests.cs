using MemoryContracts.Runtime.Context;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>Issue 13, audit: what each operation records says who did it, what it touched, and under which operation id.</summary>
public sealed class OperationRecordTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("operations");

    private string Workspace => Path.Combine(_folder, "ws");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Append_takes_the_actor_and_import_records_the_node_ids()
    {
        TestSupport.Run(out _, "store", "init", "-w", Workspace);
        Assert.Equal(0, TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "--actor", "importer"));
        var record = TestSupport.Write(_folder, "record.json", """{"event": {"id": "by-alice", "kind": "recorded", "at": "2026-11-21T10:00:00Z"}}""");
        Assert.Equal(0, TestSupport.Run(out var appended, "store", "append", "-w", Workspace, "-g", "kb", "--record", record, "--actor", "alice"));
        Assert.StartsWith("appended by-alice at ", appended, StringComparison.Ordinal);

        using var workspace = MemoryWorkspace.Open(Workspace);
        Assert.Equal("alice", workspace.Events("kb").Single(graphEvent => graphEvent.Id == "by-alice").Actor);
        var import = workspace.AuditTrail().Single(entry => entry.Action == "import");
        Assert.Equal(["kb", "fact-public", "fact-secret", "assumption-old", "summary-of-secret", "digest", "decision"], import.Affected);
        Assert.Equal("importer", import.Actor);
    }

    [Fact]
    public void Every_registry_lifecycle_entry_carries_an_operation_id_of_its_own()
    {
        var catalog = TestSupport.CopyCatalog("operations-catalog");
        var registry = new ContextRegistry(Path.Combine(catalog, ".memory", "context"), new ContextRegistryOptions { FixtureRoot = catalog });
        var entry = registry.Pack(ContextRegistry.RecipeFor(Path.Combine(catalog, "decision-graph-selection.yaml"), root: catalog), "tester");
        registry.Activate(entry.Namespace, entry.Id, "agent");
        registry.Deactivate(entry.Namespace, entry.Id, "agent");
        var operations = registry.History(entry.Namespace, entry.Id).Select(item => item.Operation).ToArray();
        Assert.Equal(3, operations.Length);
        Assert.All(operations, operation => Assert.Matches("^op-[0-9a-f]{16}$", operation));
        Assert.Equal(3, operations.Distinct().Count());
    }
}
