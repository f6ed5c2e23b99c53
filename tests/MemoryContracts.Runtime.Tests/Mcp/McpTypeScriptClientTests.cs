using System.Text.Json;
using Xunit;

namespace MemoryContracts.Runtime.Tests.Mcp;

/// <summary>
/// Issue 15: a client no one here wrote, the MCP TypeScript SDK's (<c>@modelcontextprotocol/sdk</c>, pinned in
/// tests/editor), drives the real server over stdio: tool list and annotations, a write and re-read, refusals with
/// their MC codes, and a delete that does not exist.
/// </summary>
public sealed class McpTypeScriptClientTests
{
    [TypeScriptMcpClientFact]
    public async Task The_TypeScript_SDK_client_lists_writes_reads_and_is_refused_with_codes()
    {
        var folder = TestSupport.TempFolder("mcp-ts");
        Directory.CreateDirectory(Path.Combine(folder, "memory"));
        using var seen = JsonDocument.Parse(await ChildProcess.RunAsync("node", [TypeScriptMcpClientFactAttribute.Script, TestSupport.ToolPath, folder], folder));
        var root = seen.RootElement;

        Assert.Equal("memorycontracts", root.GetProperty("server").GetProperty("name").GetString());
        var tools = root.GetProperty("tools").EnumerateArray().ToDictionary(tool => tool.GetProperty("name").GetString()!);
        Assert.Equal(19, tools.Count);
        Assert.True(tools["fs_read"].GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean());
        Assert.True(tools["fs_write"].GetProperty("annotations").GetProperty("destructiveHint").GetBoolean());
        Assert.False(tools["fs_append"].GetProperty("annotations").GetProperty("destructiveHint").GetBoolean());
        Assert.Equal(["path", "anchor", "body"], tools["md_patch_section"].GetProperty("required").EnumerateArray().Select(name => name.GetString()));

        Assert.False(root.GetProperty("written").GetProperty("isError").GetBoolean());
        Assert.Equal("committed", root.GetProperty("written").GetProperty("structured").GetProperty("event").GetProperty("status").GetString());
        Assert.Equal("# From TypeScript\n\n- first\n", root.GetProperty("read").GetProperty("structured").GetProperty("content").GetString());
        Assert.Equal("# From TypeScript\n\n- first\n", File.ReadAllText(Path.Combine(folder, "memory", "notes", "ts.md")));
        foreach (var (name, code) in new[] { ("escape", "MC5019"), ("outside", "MC5019"), ("undeclared", "MC1003") })
        {
            var refusal = root.GetProperty(name);
            Assert.True(refusal.GetProperty("isError").GetBoolean(), name);
            Assert.StartsWith(code + ": ", refusal.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal(code, refusal.GetProperty("structured").GetProperty("error")[0].GetProperty("code").GetString());
        }

        Assert.Equal(-32602, root.GetProperty("unknownTool").GetProperty("code").GetInt32());
        Assert.False(File.Exists(Path.Combine(folder, "memory", "elsewhere", "x.md")));
        var audit = McpSession.Audit(folder);
        Assert.Equal(6, audit.Count);
        Assert.All(audit, record => Assert.Equal("mcp:ts-sdk-check", record.Actor));
    }
}

/// <summary>Runs where Node and the pinned MCP TypeScript SDK are installed (<c>npm ci --prefix tests/editor</c>; .ci/run does).</summary>
public sealed class TypeScriptMcpClientFactAttribute : FactAttribute
{
    public static string Script => Path.Combine(TestSupport.Root, "tests", "editor", "mcp-check.mjs");

    /// <remarks>A skipped test is named with its reason (<see cref="SkipReason"/>).</remarks>
    public TypeScriptMcpClientFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "node")));
        if (!node || !Directory.Exists(Path.Combine(TestSupport.Root, "tests", "editor", "node_modules", "@modelcontextprotocol", "sdk")))
        {
            SkipReason.Apply(this, "the MCP TypeScript SDK is not installed: run 'npm ci --prefix tests/editor' (.ci/run does) to drive the server with it", file, test);
        }
    }
}
