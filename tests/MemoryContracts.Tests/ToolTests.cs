using System.Text.Json;
using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>The <c>dotnet memory</c> command line, run in process with captured output.</summary>
public sealed class ToolTests
{
    /// <summary>Codes whose trigger is a command-line situation.</summary>
    internal static readonly string[] CodesCoveredHere = ["MC1012", "MC1014"];

    private static readonly string InvalidGraph = Repository.Examples("invalid-memory-graph.yaml");

    [Fact]
    public void Graph_validate_prints_canonical_lines_and_exits_1()
    {
        var run = Run("graph", "validate", InvalidGraph);
        Assert.Equal(ExitCodes.ContractErrors, run.ExitCode);
        Assert.Equal(
            [
                "examples/memory/invalid-memory-graph.yaml(8,18): error MC2001: unknown node kind 'assumpton' (did you mean 'assumption'?); 34 node kinds are defined",
                "examples/memory/invalid-memory-graph.yaml(9,8): error MC2004: id 'n1' is already used by the node at line 5",
                "examples/memory/invalid-memory-graph.yaml(14,11): error MC2005: edge 'e3' targets node 'n9', which the graph does not define",
                "examples/memory/invalid-memory-graph.yaml(16,9): error MC2002: unknown edge kind 'causes'; 13 edge kinds are defined",
                "examples/memory/invalid-memory-graph.yaml(23,15): error MC2006: event 'ev1' names node 'n7', which the graph does not define",
            ],
            run.OutputLines);
        Assert.Equal("1 file(s): 5 error(s), 0 warning(s).\n", run.Error);
    }

    [Fact]
    public void The_valid_catalog_exits_0_and_prints_no_diagnostic()
    {
        var run = Run("validate", Path.Combine(Repository.Root, "examples", "memory"), "--exclude", "**/invalid-*");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Equal("10 file(s): 0 error(s), 0 warning(s).\n", run.Error);
    }

    [Fact]
    public void Several_files_are_validated_in_parallel_and_reported_in_the_order_given()
    {
        var profile = Repository.Examples("invalid-memory-profile.yaml");
        for (var run = 0; run < 5; run++)
        {
            var output = Run("validate", InvalidGraph, profile, Path.Combine(Repository.DiagnosticFixtures, "MC4005.yaml")).OutputLines;
            var files = output.Select(line => line.Substring(0, line.IndexOf('('))).Distinct().ToArray();
            Assert.Equal(
                [
                    "examples/memory/invalid-memory-graph.yaml",
                    "examples/memory/invalid-memory-profile.yaml",
                    "tests/MemoryContracts.Tests/Fixtures/Diagnostics/MC4005.yaml",
                    "tests/MemoryContracts.Tests/Fixtures/Diagnostics/MC2005.yaml",
                ],
                files);
            Assert.Equal(13, output.Length);
        }
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        var run = Run("validate", "--format", "xml", InvalidGraph);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Run 'dotnet memory validate --help' for usage.", run.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Run("unknown-command").ExitCode);
    }

    [Fact]
    public void Help_lists_the_commands_and_exit_codes()
    {
        var run = Run("--help");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var word in new[] { "validate", "graph", "blueprint", "compile", "Exit codes: 0 valid, 1 contract errors, 2 usage, 3" })
        {
            Assert.Contains(word, run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Missing_files_and_empty_patterns_exit_3()
    {
        var missing = Run("validate", "no/such/file.yaml");
        Assert.Equal(ExitCodes.IoError, missing.ExitCode);
        Assert.Equal(["no/such/file.yaml(1,1): error MC1010: cannot read 'no/such/file.yaml': file not found"], missing.OutputLines);

        var pattern = Path.Combine(Repository.Root, "examples", "memory", "*.nothing");
        var empty = Run("validate", pattern);
        Assert.Equal(ExitCodes.IoError, empty.ExitCode);
        Assert.Equal([$"{Relative(pattern)}(1,1): error MC1012: '{Relative(pattern)}' matched no file"], empty.OutputLines);
    }

    [Fact]
    public void Contract_specific_commands_reject_other_contracts_with_MC1014()
    {
        var run = Run("graph", "validate", Repository.Examples("memory-profile.local.yaml"));
        Assert.Equal(ExitCodes.ContractErrors, run.ExitCode);
        Assert.Equal(["examples/memory/memory-profile.local.yaml(2,17): error MC1014: expected a graph contract, but the file follows 'markitect.memory.profile.v1'"], run.OutputLines);
    }

    [Fact]
    public void Json_format_reports_files_diagnostics_and_summary()
    {
        var run = Run("validate", InvalidGraph, "--format", "json");
        using var report = JsonDocument.Parse(run.Output);
        var diagnostic = report.RootElement.GetProperty("diagnostics")[2];
        Assert.Equal("MC2005", diagnostic.GetProperty("code").GetString());
        Assert.Equal(14, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(11, diagnostic.GetProperty("column").GetInt32());
        Assert.Equal(14, diagnostic.GetProperty("endLine").GetInt32());
        Assert.Equal(13, diagnostic.GetProperty("endColumn").GetInt32());
        Assert.EndsWith("/docs/diagnostics/MC2005.md", diagnostic.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, report.RootElement.GetProperty("summary").GetProperty("errors").GetInt32());
        Assert.Equal("markitect.memory.graph.v1", report.RootElement.GetProperty("files")[0].GetProperty("contract").GetString());
    }

    [Fact]
    public void Sarif_format_is_sarif_2_1_0_with_regions()
    {
        var run = Run("validate", InvalidGraph, "--format", "sarif");
        using var sarif = JsonDocument.Parse(run.RawOutput);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var sarifRun = sarif.RootElement.GetProperty("runs")[0];
        var rules = sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Equal(["MC2001", "MC2002", "MC2004", "MC2005", "MC2006"], rules.EnumerateArray().Select(rule => rule.GetProperty("id").GetString()));
        Assert.Equal("EdgeEndpointMissing", rules[3].GetProperty("name").GetString());
        var result = sarifRun.GetProperty("results")[2];
        Assert.Equal("MC2005", result.GetProperty("ruleId").GetString());
        Assert.Equal(3, result.GetProperty("ruleIndex").GetInt32());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        // Relative to the repository root (%SRCROOT%, given in originalUriBaseIds), although the path given was absolute.
        Assert.Equal("examples/memory/invalid-memory-graph.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(14, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(11, location.GetProperty("region").GetProperty("startColumn").GetInt32());
        Assert.Equal(13, location.GetProperty("region").GetProperty("endColumn").GetInt32());
    }

    [Fact]
    public void Sarif_names_files_relative_to_the_repository_root()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, InvalidGraph).Replace('\\', '/');
        var run = Run("validate", relative, "--format", "sarif");
        using var sarif = JsonDocument.Parse(run.RawOutput);
        var artifact = sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("examples/memory/invalid-memory-graph.yaml", artifact.GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", artifact.GetProperty("uriBaseId").GetString());
    }

    [Theory]
    [InlineData("decision-graph-selection.yaml", "json")]
    [InlineData("decision-graph-selection.yaml", "yaml")]
    [InlineData("conversation-path-selection.yaml", "json")]
    [InlineData("conversation-path-selection.yaml", "yaml")]
    [InlineData("knowledge-neighborhood-selection.yaml", "json")]
    [InlineData("knowledge-neighborhood-selection.yaml", "yaml")]
    public void Pack_output_matches_the_approved_package(string selection, string format)
    {
        var run = Run("graph", "pack", Repository.Examples(selection), "--format", format);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Approvals.Verify(run.Output, Path.Combine(Repository.TestsRoot, "Approvals", Path.GetFileNameWithoutExtension(selection) + ".verified." + format));
    }

    [Fact]
    public void Plan_explains_the_profile()
    {
        var run = Run("blueprint", "plan", Repository.Examples("memory-profile.local.yaml"));
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Approvals.Verify(run.Output, Path.Combine(Repository.TestsRoot, "Approvals", "memory-profile.local.plan.verified.txt"));

        var json = Run("blueprint", "plan", Repository.Examples("memory-profile.local.yaml"), "--format", "json");
        using var plan = JsonDocument.Parse(json.Output);
        Assert.False(plan.RootElement.GetProperty("started").GetBoolean());
        Assert.Equal("local-event-log", plan.RootElement.GetProperty("stores")[0].GetProperty("store").GetString());
    }

    [Fact]
    public void Plan_of_an_invalid_profile_reports_its_errors()
    {
        var run = Run("blueprint", "plan", Repository.Examples("invalid-memory-profile.yaml"));
        Assert.Equal(ExitCodes.ContractErrors, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains("invalid-memory-profile.yaml(8,3): error MC3002:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_writes_one_package_per_selection_identical_to_pack()
    {
        var output = TempFolders.Create("compile");
        var run = Run("compile", Path.Combine(Repository.Root, "examples", "memory"), "--exclude", "**/invalid-*", "--output", output);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(
            ["add-node-kind-episode.context.json", "contract-boundary-decisions.context.json", "contract-knowledge.context.json"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            File.ReadAllText(Path.Combine(Repository.TestsRoot, "Approvals", "decision-graph-selection.verified.json")),
            File.ReadAllText(Path.Combine(output, "contract-boundary-decisions.context.json")));
    }

    [Fact]
    public void Warnings_follow_warnaserror_and_nowarn()
    {
        var overBudget = Path.Combine(Repository.DiagnosticFixtures, "MC4003.yaml");
        Assert.Equal(ExitCodes.Success, Run("validate", overBudget).ExitCode);

        var strict = Run("validate", overBudget, "--warnaserror");
        Assert.Equal(ExitCodes.ContractErrors, strict.ExitCode);
        Assert.Contains(": error MC4003:", strict.Output, StringComparison.Ordinal);

        var quiet = Run("validate", overBudget, "--nowarn", "MC4003");
        Assert.Equal(ExitCodes.Success, quiet.ExitCode);
        Assert.Equal(string.Empty, quiet.Output);
    }

    [Fact]
    public void Pack_of_an_invalid_selection_writes_no_package()
    {
        var run = Run("graph", "pack", Path.Combine(Repository.DiagnosticFixtures, "MC4005.yaml"));
        Assert.Equal(ExitCodes.ContractErrors, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains("MC4005.yaml(3,8): error MC4005: graph file 'MC2005.yaml' has 2 error(s); no package is produced until they are fixed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reference_engine_finds_the_same_problems_at_the_same_positions()
    {
        var compiled = Run("validate", InvalidGraph, "--format", "json");
        var reference = Run("validate", InvalidGraph, "--format", "json", "--engine", "reference");
        Assert.Equal(Positions(compiled.Output), Positions(reference.Output));
    }

    private static string[] Positions(string json)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("diagnostics").EnumerateArray()
            .Select(d => $"{d.GetProperty("code").GetString()}@{d.GetProperty("line").GetInt32()},{d.GetProperty("column").GetInt32()}")
            .ToArray();
    }

    private static string Relative(string path) => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');

    private static CliRun Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = MemoryCli.Run(args, output, error);
        var root = Repository.Root + Path.DirectorySeparatorChar;
        return new CliRun(exitCode, output.ToString().Replace(root, string.Empty), error.ToString().Replace(root, string.Empty), output.ToString());
    }

    private sealed record CliRun(int ExitCode, string Output, string Error, string RawOutput)
    {
        public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
