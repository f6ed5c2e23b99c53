using Xunit;

namespace MemoryContracts.Runtime.Tests.Mcp;

/// <summary>
/// Issue 15: two real server processes on one workspace (a folder, or PostgreSQL) and one memory root, each writing
/// the same file and the same graph at once. The reference memory server rewrites one JSONL file without a lock and
/// loses writes this way; here every write lands exactly once.
/// </summary>
public sealed class McpTwoProcessTests
{
    private const int CallsPerServer = 20;
    private readonly string _folder = TestSupport.TempFolder("mcp-two");

    [Fact]
    public async Task Two_servers_on_one_folder_workspace_never_lose_or_repeat_a_write()
    {
        Assert.Equal(0, TestSupport.Run(out _, "store", "init", "-w", Path.Combine(_folder, "ledger")));
        Assert.Equal(0, TestSupport.Run(out _, "store", "import", "-w", Path.Combine(_folder, "ledger"), TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph)));
        await WriteFromTwoServersAsync([], null);

        using var workspace = MemoryWorkspace.Open(Path.Combine(_folder, "ledger"), new WorkspaceOptions { ReadOnly = true });
        AssertEveryWriteOnce(workspace);
    }

    [PostgresFact]
    public async Task Two_servers_on_one_PostgreSQL_ledger_never_lose_or_repeat_a_write()
    {
        var owner = PostgresServer.NewOwner();
        var keys = "v1=" + Convert.ToBase64String("test-key-version-1-0123456789"u8.ToArray());
        var options = new Postgres.PostgresStoreOptions(PostgresServer.MigratedConnectionString, owner, PostgresServer.Keys);
        using (var setup = Postgres.PostgresWorkspace.Open(options))
        {
            setup.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "test");
        }

        await WriteFromTwoServersAsync(["--postgres", PostgresServer.MigratedConnectionString, "--owner", owner], new Dictionary<string, string?> { ["MEMORYCONTRACTS_HMAC_KEYS"] = keys });

        using var workspace = Postgres.PostgresWorkspace.Open(options);
        AssertEveryWriteOnce(workspace);
    }

    private async Task WriteFromTwoServersAsync(string[] ledger, IDictionary<string, string?>? environment)
    {
        await using var first = await McpSession.StartAsync(_folder, ledger, clientName: "agent-a", environment: environment);
        await using var second = await McpSession.StartAsync(_folder, ledger, clientName: "agent-b", environment: environment);
        await first.SucceedAsync("fs_write", """{"path": "shared/log.md", "content": "# Log\n"}""");

        async Task Agent(McpSession session, string name)
        {
            for (var call = 0; call < CallsPerServer; call++)
            {
                await session.SucceedAsync("fs_append", $$"""{"path": "shared/log.md", "text": "- {{name}}-{{call}}\n"}""");
                await session.SucceedAsync("memory_append", $$$"""{"graph": "kb", "event": {"id": "ev-{{{name}}}-{{{call}}}", "kind": "recorded", "at": "2026-12-01T10:00:00Z", "nodes": ["n-{{{name}}}-{{{call}}}"]}, "changes": {"put_nodes": [{"id": "n-{{{name}}}-{{{call}}}", "kind": "memory", "title": "from {{{name}}}"}]}}""");
            }
        }

        await Task.WhenAll(Agent(first, "a"), Agent(second, "b"));
    }

    private void AssertEveryWriteOnce(MemoryWorkspace workspace)
    {
        var expected = new[] { "a", "b" }.SelectMany(name => Enumerable.Range(0, CallsPerServer).Select(call => $"{name}-{call}")).Order(StringComparer.Ordinal).ToArray();
        var lines = File.ReadAllLines(Path.Combine(_folder, "memory", "shared", "log.md")).Where(line => line.StartsWith("- ", StringComparison.Ordinal)).Select(line => line[2..]);
        Assert.Equal(expected, lines.Order(StringComparer.Ordinal));

        var writes = new Toolbelt.MemoryToolbelt(Path.Combine(_folder, "memory"), workspace).Events;
        Assert.Equal(1 + expected.Length, writes.Count);
        Assert.All(writes, write => Assert.Equal("committed", write.Status));

        var events = workspace.Events("kb").Where(graphEvent => graphEvent.Id.StartsWith("ev-a-", StringComparison.Ordinal) || graphEvent.Id.StartsWith("ev-b-", StringComparison.Ordinal)).Select(graphEvent => graphEvent.Id[3..]);
        Assert.Equal(expected, events.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, workspace.Nodes("kb").Count(node => node.Id.StartsWith("n-", StringComparison.Ordinal)));
    }
}
