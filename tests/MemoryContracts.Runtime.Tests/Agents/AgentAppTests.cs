using System.Text.RegularExpressions;
using Xunit;

namespace MemoryContracts.Runtime.Tests.Agents;

/// <summary>Issue 15: examples/AgentApp runs offline and prints what docs/agents.md shows, ids and hashes aside.</summary>
public sealed class AgentAppTests
{
    [Fact]
    public async Task The_agent_app_injects_context_writes_through_MCP_and_proposes_a_plan_waiting_for_approval()
    {
        var folder = TestSupport.TempFolder("agent-app");
        var app = Path.Combine(TestSupport.Root, "examples", "AgentApp", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "AgentApp.dll");
        var stdout = await ChildProcess.RunAsync("dotnet", [app, folder, "--tool", TestSupport.ToolPath]);

        var shown = DocumentedOutput();
        var printed = stdout.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        Assert.Equal(shown.Length, printed.Length);
        foreach (var (expected, actual) in shown.Zip(printed))
        {
            Assert.Matches("^" + string.Join(".+", expected.Split("...").Select(Regex.Escape)) + "$", actual);
        }

        Assert.Contains("- From memory: [validate-in-build]", File.ReadAllText(Path.Combine(folder, "memory", "notes", "validation.md")), StringComparison.Ordinal);
    }

    /// <summary>The output block that follows the AgentApp command in docs/agents.md.</summary>
    private static string[] DocumentedOutput()
    {
        var page = File.ReadAllText(Path.Combine(TestSupport.Root, "docs", "agents.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var command = page.IndexOf("dotnet run --project examples/AgentApp", StringComparison.Ordinal);
        var start = page.IndexOf("```text\n", command, StringComparison.Ordinal) + "```text\n".Length;
        return page[start..page.IndexOf("\n```", start, StringComparison.Ordinal)].Split('\n');
    }
}
