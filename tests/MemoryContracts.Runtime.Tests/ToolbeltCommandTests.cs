using System.Text.Json;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary><c>dotnet memory fs|md</c>: JSON in, JSON out, as an agent framework calls them.</summary>
public sealed class ToolbeltCommandTests
{
    private readonly string _folder = TestSupport.TempFolder("toolbelt-cli");

    [Fact]
    public void An_agent_session_writes_patches_curates_and_is_refused_a_delete_in_json()
    {
        var root = Path.Combine(_folder, "memory");
        var ledger = Path.Combine(_folder, "ledger");
        string[] Call(string group, string op, string json) =>
            [group, op, "--root", root, "--workspace", ledger, "--allow", "users", "--request", TestSupport.Write(_folder, $"{op}.json", json)];

        var (code, written) = Run(Call("fs", "write", """{"path": "users/ada.md", "template": "profile", "title": "Ada", "rationale": "new user", "tool_call_id": "call-1"}"""));
        Assert.Equal(0, code);
        Assert.Equal("profile_update", written.RootElement.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("committed", written.RootElement.GetProperty("event").GetProperty("status").GetString());

        var (_, patched) = Run(Call("md", "patch_section", """{"path": "users/ada.md", "anchor": "identity v1", "body": "Ada maintains the build.", "evidence": ["call-2026-11-20#12"], "idempotency_key": "k-1"}"""));
        Assert.Equal("replace_section", patched.RootElement.GetProperty("event").GetProperty("op").GetString());
        Assert.StartsWith("sha256:", patched.RootElement.GetProperty("event").GetProperty("after_hash").GetString(), StringComparison.Ordinal);

        var (_, sections) = Run(Call("md", "list_sections", """{"path": "users/ada.md"}"""));
        Assert.Equal(5, sections.RootElement.GetProperty("entries").GetArrayLength());

        var (refusedCode, refused) = Run(Call("fs", "delete", """{"path": "users/ada.md"}"""));
        Assert.Equal(1, refusedCode);
        Assert.Equal("MC5019", refused.RootElement.GetProperty("error")[0].GetProperty("code").GetString());

        var (badCode, bad) = Run(Call("fs", "read", "{ not json"));
        Assert.Equal(2, badCode);
        Assert.Equal("MC1001", bad.RootElement.GetProperty("error")[0].GetProperty("code").GetString());

        var identity = patched.RootElement.GetProperty("event").GetProperty("id").GetString()!;
        var (_, replayed) = Run(["md", "replay", "users/ada.md", "--at", identity, "--root", root, "--workspace", ledger]);
        Assert.Contains("Ada maintains the build.", replayed.RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);

        var (_, drift) = Run(["md", "drift", "--root", root, "--workspace", ledger]);
        Assert.Equal(0, drift.RootElement.GetArrayLength());
    }

    private static (int Code, JsonDocument Json) Run(string[] args)
    {
        var output = new StringWriter();
        var code = Tool.MemoryCli.Run(args, output, output);
        return (code, JsonDocument.Parse(output.ToString()));
    }
}

/// <summary>Issue 18: a request file that is not there is MC1010 in the JSON result (exit 3), never an unhandled exception.</summary>
public sealed class ToolbeltRequestFileTests
{
    [Fact]
    public void A_missing_request_file_is_MC1010_with_exit_3()
    {
        var folder = TestSupport.TempFolder("toolbelt-request");
        var missing = Path.Combine(folder, "nope.json");
        Assert.Equal(3, TestSupport.Run(out var output, "md", "patch_section", "--root", Path.Combine(folder, "memory"), "--workspace", Path.Combine(folder, "ledger"), "--request", missing));
        Assert.Contains("\"code\": \"MC1010\"", output, StringComparison.Ordinal);
        Assert.Contains($"cannot read '{missing}': file not found", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
