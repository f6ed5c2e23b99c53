using System.Text.Json;
using Xunit;

namespace MemoryContracts.Runtime.Tests.Mcp;

/// <summary>
/// Issue 15: the memory and context tools over MCP. Retrieval goes through the label policy of the server's subject
/// (never a clearance the client claims), appends are validated and idempotent by event id, plans are only proposed,
/// and context packages are activated with their policy checked again.
/// </summary>
public sealed class McpMemoryToolTests
{
    private readonly string _folder = TestSupport.TempFolder("mcp-memory");

    public McpMemoryToolTests()
    {
        Assert.Equal(0, TestSupport.Run(out _, "store", "init", "-w", Path.Combine(_folder, "ledger")));
        var imported = TestSupport.Run(out var output, "store", "import", "-w", Path.Combine(_folder, "ledger"),
            TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), TestSupport.Write(_folder, "kb-profile.yaml", TestSupport.Profile));
        Assert.True(imported == 0, output);
    }

    [Fact]
    public async Task Retrieval_serves_what_the_servers_subject_may_see_and_names_the_rest_by_id_and_reason_only()
    {
        await using (var session = await McpSession.StartAsync(_folder))
        {
            var result = await session.CallAsync("memory_retrieve", """{"graph": "kb", "node": "decision"}""");
            var text = McpSession.Text(result) + result.StructuredContent!.Value.GetRawText();
            Assert.DoesNotContain("SECRET-PAYLOAD-7731", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Secret fact", text, StringComparison.Ordinal);
            var content = result.StructuredContent!.Value;
            Assert.Equal(["decision", "fact-public"], content.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("node").GetProperty("id").GetString()).Order());
            var denied = Assert.Single(content.GetProperty("denied").EnumerateArray());
            Assert.Equal("fact-secret", denied.GetProperty("id").GetString());
            Assert.Equal("requires label(s) restricted-ops", denied.GetProperty("reason").GetString());

            // The decision path of the decision: what supports it, through the same policy.
            var explained = await session.SucceedAsync("memory_explain", """{"graph": "kb", "node": "decision"}""");
            Assert.Contains(explained.GetProperty("items").EnumerateArray(), item => item.GetProperty("node").GetProperty("id").GetString() == "fact-public");
            Assert.Equal("fact-secret", Assert.Single(explained.GetProperty("denied").EnumerateArray()).GetProperty("id").GetString());
            Assert.Equal("MC1003", await session.RefusedAsync("memory_retrieve", """{"graph": "kb", "node": "decision", "episode": "main"}"""));
            // A clearance is no argument: a client cannot claim one.
            Assert.Equal("MC1003", await session.RefusedAsync("memory_retrieve", """{"graph": "kb", "node": "decision", "clearances": ["restricted-ops"]}"""));
        }

        // The operator grants the clearance on the command line; then the secret is served.
        await using (var cleared = await McpSession.StartAsync(_folder, ["--clearance", "restricted-ops", "--trust-zone", "restricted"]))
        {
            var content = await cleared.SucceedAsync("memory_retrieve", """{"graph": "kb", "node": "decision"}""");
            Assert.Contains(content.GetProperty("items").EnumerateArray(), item => item.GetProperty("node").GetProperty("text").GetString() == "SECRET-PAYLOAD-7731 must never leak.");
        }
    }

    [Fact]
    public async Task Appends_are_validated_stamped_with_the_servers_actor_and_idempotent_by_event_id()
    {
        const string Append = """{"graph": "kb", "event": {"id": "ev-mcp-1", "kind": "recorded", "at": "2026-12-01T10:00:00Z", "nodes": ["note-1"], "summary": "noted"}, "changes": {"put_nodes": [{"id": "note-1", "kind": "memory", "title": "A note from the agent"}]}}""";
        await using (var session = await McpSession.StartAsync(_folder))
        {
            var first = await session.SucceedAsync("memory_append", Append);
            Assert.False(first.GetProperty("replayed").GetBoolean());
            var again = await session.SucceedAsync("memory_append", Append);
            Assert.True(again.GetProperty("replayed").GetBoolean());
            Assert.Equal(first.GetProperty("sequence").GetInt64(), again.GetProperty("sequence").GetInt64());

            Assert.Equal("MC5027", await session.RefusedAsync("memory_append", Append.Replace("A note from the agent", "Another note", StringComparison.Ordinal)));
            Assert.Equal("MC2003", await session.RefusedAsync("memory_append", """{"graph": "kb", "event": {"id": "ev-mcp-2", "kind": "not-a-kind", "at": "2026-12-01T10:00:00Z"}}"""));
            Assert.Equal("MC2005", await session.RefusedAsync("memory_append", """{"graph": "kb", "event": {"id": "ev-mcp-3", "kind": "recorded", "at": "2026-12-01T10:00:00Z"}, "changes": {"put_edges": [{"id": "e-x", "kind": "supports", "source": "note-nowhere", "target": "decision"}]}}"""));
            Assert.Equal("MC1003", await session.RefusedAsync("memory_append", """{"graph": "kb", "event": {"id": "ev-mcp-4", "kind": "recorded", "at": "2026-12-01T10:00:00Z", "actor": "admin"}}"""));
            Assert.Equal("MC5014", await session.RefusedAsync("memory_append", """{"graph": "nowhere", "event": {"id": "ev-mcp-5", "kind": "recorded", "at": "2026-12-01T10:00:00Z"}}"""));
        }

        using var workspace = MemoryWorkspace.Open(Path.Combine(_folder, "ledger"), new WorkspaceOptions { ReadOnly = true });
        var logged = Assert.Single(workspace.Events("kb"), graphEvent => graphEvent.Id.StartsWith("ev-mcp", StringComparison.Ordinal));
        Assert.Equal("mcp:mcp-tests", logged.Actor);
        Assert.Equal("A note from the agent", Assert.Single(workspace.Nodes("kb"), node => node.Id == "note-1").Title);
    }

    [Fact]
    public async Task A_plan_is_proposed_and_recorded_and_nothing_the_server_offers_applies_it()
    {
        string planId;
        await using (var session = await McpSession.StartAsync(_folder))
        {
            var plan = await session.SucceedAsync("memory_plan", """{"graph": "kb", "profile": "kb-profile", "forget": ["fact-secret"], "lineage": "forget", "reason": "asked to forget"}""");
            Assert.True(plan.GetProperty("needs_approval").GetBoolean());
            Assert.Contains("no MCP tool applies plans", plan.GetProperty("next_step").GetString(), StringComparison.Ordinal);
            planId = plan.GetProperty("id").GetString()!;
            Assert.Contains(plan.GetProperty("actions").EnumerateArray(), action => action.GetProperty("action").GetString() == "forget" && action.GetProperty("node").GetString() == "fact-secret");
            Assert.Equal("MC1003", await session.RefusedAsync("memory_plan", """{"graph": "kb", "profile": "kb-profile", "lineage": "erase"}"""));
            await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => session.CallAsync("memory_apply", $$"""{"plan": "{{planId}}"}"""));
        }

        using var workspace = MemoryWorkspace.Open(Path.Combine(_folder, "ledger"), new WorkspaceOptions { ReadOnly = true });
        Assert.Contains(workspace.Nodes("kb"), node => node.Id == "fact-secret");
        Assert.NotNull(workspace.Store.LoadPlan("kb", planId));
        Assert.DoesNotContain(workspace.AuditTrail(), record => record.Action == "apply" && record.Decision == AuditDecision.Granted);
    }

    [Fact]
    public async Task Context_packages_are_listed_activated_with_their_policy_and_explained()
    {
        var catalog = Path.Combine(_folder, "catalog");
        Directory.CreateDirectory(catalog);
        foreach (var file in Directory.GetFiles(Path.Combine(TestSupport.Root, "examples", "memory")))
        {
            File.Copy(file, Path.Combine(catalog, Path.GetFileName(file)));
        }

        var registry = Path.Combine(_folder, ".memory", "context");
        Assert.Equal(0, TestSupport.Run(out var packed, "context", "pack", "--graph", Path.Combine(catalog, "decision-graph.yaml"), "--id", "decisions", "--kind", "decision", "--registry", registry, "--root", _folder));
        await using (var session = await McpSession.StartAsync(_folder))
        {
            var listed = await session.SucceedAsync("context_list");
            Assert.Equal("decisions", Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
            var activated = await session.SucceedAsync("context_activate", """{"id": "decisions", "namespace": "project:default"}""");
            Assert.Equal("mcp:mcp-tests", activated.GetProperty("actor").GetString());
            Assert.True(activated.GetProperty("items").GetArrayLength() > 0);
            var explained = await session.SucceedAsync("context_explain", """{"id": "decisions"}""");
            Assert.Equal(activated.GetProperty("items").GetArrayLength(), explained.GetProperty("items").GetArrayLength());
            Assert.Equal("MC1003", await session.RefusedAsync("context_activate", """{"id": "decisions", "namespace": "galaxy:far"}"""));
            Assert.Equal("MC5014", await session.RefusedAsync("context_activate", """{"id": "nothing-here"}"""));
        }

        var registryLog = Directory.GetFiles(registry, "*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText);
        Assert.Contains(registryLog, text => text.Contains("\"activated\"", StringComparison.Ordinal) && text.Contains("mcp:mcp-tests", StringComparison.Ordinal));
    }
}
