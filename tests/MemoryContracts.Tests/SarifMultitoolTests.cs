using System.Diagnostics;
using System.Text.Json;
using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 6: the SARIF the tool writes passes Microsoft's SARIF multitool with the SARIF, GitHub and GitHub
/// Advanced Security rules (zero findings), every result has a partial fingerprint, and artifact URIs are relative to
/// the repository root (with originalUriBaseIds), whichever folder the tool runs from.
/// </summary>
public sealed class SarifMultitoolTests
{
    private static readonly string Multitool = Path.Combine(Repository.Root, "tests", "editor", "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");

    [SarifMultitoolFact]
    public async Task The_sarif_output_passes_the_multitool_with_github_rules()
    {
        var folder = TempFolders.Create("sarif");
        var sarif = Path.Combine(folder, "memory.sarif");
        var output = new StringWriter();
        MemoryCli.Run(["validate", Repository.Examples("invalid-memory-graph.yaml"), Repository.Examples("invalid-memory-profile.yaml"), Path.Combine(Repository.Root, "missing.yaml"), "--format", "sarif"], output, TextWriter.Null);
        File.WriteAllText(sarif, output.ToString());

        using (var log = JsonDocument.Parse(output.ToString()))
        {
            var run = log.RootElement.GetProperty("runs")[0];
            Assert.Equal(new Uri(Repository.Root + Path.DirectorySeparatorChar).AbsoluteUri, run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString());
            var results = run.GetProperty("results").EnumerateArray().ToArray();
            Assert.True(results.Length >= 10);
            Assert.All(results, result => Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("partialFingerprints").GetProperty("memoryContracts/v1").GetString()));
            Assert.Contains(results, result => result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString() == "examples/memory/invalid-memory-graph.yaml");
            Assert.All(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray(), rule => Assert.Contains("**Fix.**", rule.GetProperty("help").GetProperty("markdown").GetString(), StringComparison.Ordinal));
        }

        var findings = Path.Combine(folder, "findings.sarif");
        var start = new ProcessStartInfo(Multitool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "validate", "--rule-kind", "Sarif;Gh;Ghas", "--output", findings, sarif })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr + await stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(findings));
        var problems = report.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(result => result.GetProperty("ruleId").GetString() + ": " + result.GetProperty("message").ToString()).ToArray();
        Assert.True(problems.Length == 0, string.Join('\n', problems));
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>A test that needs the SARIF multitool installed in tests/editor (.ci/run does: npm ci there); skipped with the reason otherwise.</summary>
public sealed class SarifMultitoolFactAttribute : FactAttribute
{
    /// <remarks>A skipped test is named with its reason (<see cref="SkipReason"/>).</remarks>
    public SarifMultitoolFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(Repository.Root, "tests", "editor", "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")))
        {
            SkipReason.Apply(this, "the SARIF multitool is not installed: run 'npm ci --prefix tests/editor' on Linux (.ci/run does)", file, test);
        }
    }
}
