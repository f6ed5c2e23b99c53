using Xunit;
using System.Text.Json;
using ModelContextProtocol;

namespace MemoryContracts.Runtime.Tests.Mcp;

/// <summary>
/// Issue 15: <c>dotnet memory mcp</c> driven by the C# SDK's client over stdio, as an agent host drives it: the tool
/// list, writes and re-reads, every guardrail refusal with its MC code, and one audit record for every call.
/// </summary>
public sealed class McpServerTests
{
    private static readonly string[] ExpectedTools =
    [
        "fs_list", "fs_read", "fs_search", "fs_hash", "fs_write", "fs_patch", "fs_append",
        "md_list_sections", "md_patch_section", "md_curate_list", "md_lint", "md_replay",
        "memory_retrieve", "memory_append", "memory_plan", "memory_explain",
        "context_list", "context_activate", "context_explain",
    ];

    private readonly string _folder = TestSupport.TempFolder("mcp");

    [Fact]
    public async Task The_tools_are_the_catalog_with_schemas_and_annotations_and_none_deletes_or_applies()
    {
        await using var session = await McpSession.StartAsync(_folder);
        var tools = await session.Client.ListToolsAsync();

        Assert.Equal(ExpectedTools, tools.Select(tool => tool.Name));
        Assert.DoesNotContain(tools, tool => tool.Name.Contains("delete", StringComparison.Ordinal) || tool.Name.Contains("apply", StringComparison.Ordinal) || tool.Name.Contains("remove", StringComparison.Ordinal));
        foreach (var tool in tools.Select(tool => tool.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.Equal("object", tool.InputSchema.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.False, tool.InputSchema.GetProperty("additionalProperties").ValueKind);
            Assert.All(tool.InputSchema.GetProperty("properties").EnumerateObject(), property => Assert.False(string.IsNullOrWhiteSpace(property.Value.GetProperty("description").GetString())));
            var annotations = tool.Annotations!;
            var reads = tool.Name is "fs_list" or "fs_read" or "fs_search" or "fs_hash" or "md_list_sections" or "md_lint" or "md_replay" or "memory_retrieve" or "memory_explain" or "context_list" or "context_explain";
            Assert.Equal(reads, annotations.ReadOnlyHint);
            Assert.Equal(tool.Name is "fs_write" or "fs_patch" or "md_patch_section" or "md_curate_list", annotations.DestructiveHint);
            Assert.False(annotations.OpenWorldHint);
        }

        // Served exactly as schemas/ declares them: the file is the one source of the wire shape.
        using var catalog = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.Root, "schemas", "memorycontracts.mcp.tools.v1.json")));
        foreach (var (declared, served) in catalog.RootElement.GetProperty("tools").EnumerateArray().Zip(tools))
        {
            Assert.True(JsonElement.DeepEquals(declared.GetProperty("inputSchema"), served.ProtocolTool.InputSchema), served.Name);
            Assert.Equal(declared.GetProperty("description").GetString(), served.Description);
        }
    }

    [Fact]
    public void The_tool_table_in_agents_md_is_the_catalog()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.Root, "schemas", "memorycontracts.mcp.tools.v1.json")));
        var page = File.ReadAllLines(Path.Combine(TestSupport.Root, "docs", "agents.md"));
        var rows = page.Where(line => line.StartsWith("| `", StringComparison.Ordinal) && ExpectedTools.Any(tool => line.StartsWith($"| `{tool}` |", StringComparison.Ordinal)))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1].Trim('`'), cells => cells[2]);
        foreach (var tool in catalog.RootElement.GetProperty("tools").EnumerateArray())
        {
            var annotations = tool.GetProperty("annotations");
            var kind = annotations.GetProperty("readOnlyHint").GetBoolean() ? "read"
                : (annotations.GetProperty("destructiveHint").GetBoolean() ? "write, destructive" : "write, additive") + (annotations.GetProperty("idempotentHint").GetBoolean() ? ", idempotent" : string.Empty);
            Assert.True(rows.TryGetValue(tool.GetProperty("name").GetString()!, out var documented), $"docs/agents.md does not list {tool.GetProperty("name")}");
            Assert.Equal(kind, documented);
        }

        Assert.Equal(ExpectedTools.Length, rows.Count);
    }

    [Fact]
    public async Task An_agent_writes_patches_and_reads_back_and_every_write_is_one_ledger_event()
    {
        await using (var session = await McpSession.StartAsync(_folder))
        {
            var written = await session.SucceedAsync("fs_write", """{"path": "users/ada.md", "template": "profile", "title": "Ada", "rationale": "new user"}""");
            Assert.Equal("committed", written.GetProperty("event").GetProperty("status").GetString());

            var patched = await session.SucceedAsync("md_patch_section", """{"path": "users/ada.md", "anchor": "identity v1", "body": "Ada maintains the build.", "evidence": ["call-7"]}""");
            Assert.Equal("replace_section", patched.GetProperty("event").GetProperty("op").GetString());

            var read = await session.SucceedAsync("fs_read", """{"path": "users/ada.md"}""");
            Assert.Contains("Ada maintains the build.", read.GetProperty("content").GetString(), StringComparison.Ordinal);
            Assert.Equal(patched.GetProperty("hash").GetString(), read.GetProperty("hash").GetString());

            var appended = await session.SucceedAsync("fs_append", """{"path": "users/ada.md", "text": "- likes tests\n"}""");
            Assert.Equal("append", appended.GetProperty("event").GetProperty("op").GetString());

            var sections = await session.SucceedAsync("md_list_sections", """{"path": "users/ada.md"}""");
            Assert.Equal(5, sections.GetProperty("entries").GetArrayLength());
        }

        using var workspace = MemoryWorkspace.Open(Path.Combine(_folder, "ledger"), new WorkspaceOptions { ReadOnly = true });
        var events = await new Toolbelt.ToolLedger(workspace.Kernel, workspace.Appender).EventsAsync(useAsync: true, CancellationToken.None);
        Assert.Equal(["write", "replace_section", "append"], events.Select(toolEvent => toolEvent.Op));
        Assert.All(events, toolEvent => Assert.Equal("committed", toolEvent.Status));
        Assert.All(events, toolEvent => Assert.StartsWith("mcp-", toolEvent.ToolCallId, StringComparison.Ordinal));
        Assert.All(events, toolEvent => Assert.Equal("users/ada.md", toolEvent.File));
    }

    [Fact]
    public async Task Every_guardrail_refuses_with_its_code_and_every_call_is_audited()
    {
        File.WriteAllText(Path.Combine(_folder, "secret.txt"), "outside the memory root");
        await using (var session = await McpSession.StartAsync(_folder, ["--allow", "users"]))
        {
            await session.SucceedAsync("fs_write", """{"path": "users/ada.md", "template": "profile", "title": "Ada"}""");
            Assert.Equal("MC5019", await session.RefusedAsync("fs_read", """{"path": "../secret.txt"}"""));
            Assert.Equal("MC5019", await session.RefusedAsync("fs_read", $$"""{"path": {{JsonSerializer.Serialize(Path.Combine(_folder, "secret.txt"))}}}"""));
            Assert.Equal("MC5019", await session.RefusedAsync("fs_write", """{"path": "notes/outside-allow.md", "content": "x"}"""));
            Assert.Equal("MC5019", await session.RefusedAsync("fs_read", """{"path": "users/.history/ada.md"}"""));
            // Protected anchors and front matter: an anchored heading cannot be renamed away, front matter cannot change.
            Assert.Equal("MC5019", await session.RefusedAsync("fs_patch", """{"path": "users/ada.md", "old_text": "## Identity <!-- anchor: identity v1 -->", "new_text": "## Who"}"""));
            Assert.Equal("MC5019", await session.RefusedAsync("fs_patch", """{"path": "users/ada.md", "old_text": "type: profile", "new_text": "type: admin"}"""));
            Assert.Equal("MC5022", await session.RefusedAsync("fs_patch", """{"path": "users/ada.md", "old_text": "not in the file", "new_text": "x"}"""));
            // The schema is enforced, not advised: undeclared, missing and mistyped arguments never reach a tool.
            Assert.Equal("MC1003", await session.RefusedAsync("fs_read", """{"path": "users/ada.md", "force": true}"""));
            Assert.Equal("MC1003", await session.RefusedAsync("md_patch_section", """{"path": "users/ada.md", "anchor": "identity v1"}"""));
            Assert.Equal("MC1003", await session.RefusedAsync("fs_write", """{"path": 7}"""));
            Assert.Equal("MC1003", await session.RefusedAsync("fs_write", """{"path": "users/x.md", "template": "admin"}"""));
            Assert.Equal("MC1003", await session.RefusedAsync("memory_retrieve", """{"graph": "kb", "node": "a", "depth": 99}"""));
            // An idempotency key replays its first outcome and refuses another request.
            var first = await session.SucceedAsync("fs_append", """{"path": "users/ada.md", "text": "- one\n", "idempotency_key": "k1"}""");
            var again = await session.SucceedAsync("fs_append", """{"path": "users/ada.md", "text": "- one\n", "idempotency_key": "k1"}""");
            Assert.True(again.GetProperty("replayed").GetBoolean());
            Assert.Equal(first.GetProperty("event").GetProperty("id").GetString(), again.GetProperty("event").GetProperty("id").GetString());
            Assert.Equal("MC5027", await session.RefusedAsync("fs_append", """{"path": "users/ada.md", "text": "- two\n", "idempotency_key": "k1"}"""));

            // A tool that does not exist is a protocol error, whatever it is called.
            foreach (var name in new[] { "fs_delete", "memory_apply", "store_apply" })
            {
                var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => session.CallAsync(name, """{"path": "users/ada.md"}"""));
                Assert.Equal(McpErrorCode.InvalidParams, unknown.ErrorCode);
            }
        }

        Assert.Equal("outside the memory root", File.ReadAllText(Path.Combine(_folder, "secret.txt")));
        Assert.False(File.Exists(Path.Combine(_folder, "memory", "notes", "outside-allow.md")));
        Assert.Contains("type: profile", File.ReadAllText(Path.Combine(_folder, "memory", "users", "ada.md")), StringComparison.Ordinal);

        var audit = McpSession.Audit(_folder);
        Assert.Equal(19, audit.Count);
        Assert.Equal(3, audit.Count(record => record.Decision == AuditDecision.Granted));
        var denied = audit.Where(record => record.Decision == AuditDecision.Denied).ToArray();
        Assert.Equal(["MC5019", "MC5019", "MC5019", "MC5019", "MC5019", "MC5019", "MC5022", "MC1003", "MC1003", "MC1003", "MC1003", "MC1003", "MC5027", "", "", ""], denied.Select(record => System.Text.RegularExpressions.Regex.Match(record.Reason!, "MC[0-9]{4}").Value));
        Assert.Equal(["mcp.fs_delete", "mcp.memory_apply", "mcp.store_apply"], denied[^3..].Select(record => record.Action));
        Assert.All(audit, record => Assert.Equal("mcp:mcp-tests", record.Actor));
        Assert.Contains(denied, record => record.Action == "mcp.fs_read" && record.Affected.SequenceEqual(["../secret.txt"]));
    }

    [Fact]
    public async Task Client_roots_narrow_the_allowed_folders_and_never_widen_them()
    {
        var memory = Path.Combine(_folder, "memory");
        Directory.CreateDirectory(Path.Combine(memory, "users"));
        Directory.CreateDirectory(Path.Combine(memory, "teams"));
        File.WriteAllText(Path.Combine(memory, "users", "ada.md"), "# Ada\n");
        File.WriteAllText(Path.Combine(memory, "teams", "core.md"), "# Core\n");
        File.WriteAllText(Path.Combine(memory, "top.md"), "# Top\n");

        // Narrowed: the client's root is users/, inside the whole memory root the command line allows.
        await using (var session = await McpSession.StartAsync(_folder, roots: [Path.Combine(memory, "users")]))
        {
            await session.SucceedAsync("fs_read", """{"path": "users/ada.md"}""");
            Assert.Equal("MC5019", await session.RefusedAsync("fs_read", """{"path": "teams/core.md"}"""));
            Assert.Equal("MC5019", await session.RefusedAsync("fs_read", """{"path": "top.md"}"""));
        }

        // Never widened: the client offers the whole folder, the command line allows users/ only.
        await using (var session = await McpSession.StartAsync(_folder, ["--allow", "users"], roots: [_folder]))
        {
            await session.SucceedAsync("fs_read", """{"path": "users/ada.md"}""");
            Assert.Equal("MC5019", await session.RefusedAsync("fs_read", """{"path": "teams/core.md"}"""));
        }

        // Roots elsewhere leave nothing of the memory root: every file tool is refused.
        await using (var session = await McpSession.StartAsync(_folder, roots: [Path.GetTempPath()[..^1] + "-elsewhere"]))
        {
            Assert.Equal("MC5019", await session.RefusedAsync("fs_list", "{}"));
            Assert.Equal("MC5019", await session.RefusedAsync("md_lint", """{"path": "users/ada.md"}"""));
        }
    }
}
