using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary><c>dotnet memory store ...</c> end to end, in process, on a real workspace folder.</summary>
public sealed class StoreCommandTests
{
    private readonly string _folder = TestSupport.TempFolder("cli");

    private string Workspace => Path.Combine(_folder, "ws");

    [Fact]
    public void Init_import_list_export_and_repair()
    {
        Assert.Equal(0, TestSupport.Run(out var init, "store", "init", "-w", Workspace));
        Assert.Equal($"workspace {Workspace} (layout 1)\n", init);
        Assert.Equal(0, TestSupport.Run(out var imported, "store", "import", "-w", Workspace, TestSupport.Example("decision-graph.yaml"), TestSupport.Example("memory-profile.local.yaml")));
        Assert.Equal($"imported decision-graph from {TestSupport.Example("decision-graph.yaml")}\nimported local-agent-memory from {TestSupport.Example("memory-profile.local.yaml")}\n", imported);

        Assert.Equal(1, TestSupport.Run(out var refused, "store", "import", "-w", Workspace, TestSupport.Example("invalid-memory-graph.yaml")));
        Assert.Contains("invalid-memory-graph.yaml(14,11): error MC2005: edge 'e3' targets node 'n9', which the graph does not define", refused, StringComparison.Ordinal);
        Assert.EndsWith("error MC5015: '" + TestSupport.Example("invalid-memory-graph.yaml") + "' was not imported: it has 5 contract error(s); nothing was written\n", refused, StringComparison.Ordinal);

        Assert.Equal(0, TestSupport.Run(out var decisions, "store", "nodes", "-w", Workspace, "-g", "decision-graph", "--kind", "decision"));
        Assert.Equal("validate-in-build\tdecision\tactive\tValidate every fixture during dotnet build\nkeep-compiler-boundary\tdecision\tactive\tKeep the contract compiler separate from the runtime\n", decisions);
        Assert.Equal(0, TestSupport.Run(out var edges, "store", "edges", "-w", Workspace, "-g", "decision-graph", "--target", "validate-in-build"));
        Assert.NotEmpty(edges);
        Assert.All(edges.TrimEnd('\n').Split('\n'), line => Assert.Equal("validate-in-build", line.Split('\t')[3]));

        var exported = Path.Combine(_folder, "decision-graph.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "export", "-w", Workspace, "-g", "decision-graph", "-o", exported));
        Assert.Equal(0, TestSupport.Run(out var validated, "validate", exported));
        Assert.Equal(0, TestSupport.Run(out var printed, "store", "export", "-w", Workspace, "-g", "decision-graph"));
        Assert.Equal(File.ReadAllText(exported), printed);

        Assert.Equal(0, TestSupport.Run(out var repair, "store", "repair", "-w", Workspace));
        Assert.Equal("0 error(s), 0 warning(s)\n", repair);
        Assert.Equal(1, TestSupport.Run(out var unknown, "store", "nodes", "-w", Workspace, "-g", "nope"));
        Assert.Equal($"{Workspace}(1,1): error MC5014: graph 'nope' is not in the workspace\n", unknown);
        Assert.Equal(1, TestSupport.Run(out var notWorkspace, "store", "graphs", "-w", _folder));
        Assert.Contains("error MC5001:", notWorkspace, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_replay_paths_plan_apply_retrieve_and_audit()
    {
        TestSupport.Run(out _, "store", "init", "-w", Workspace);
        TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), TestSupport.Write(_folder, "profile.yaml", TestSupport.Profile));
        var record = TestSupport.Write(_folder, "record.json", """{"event": {"id": "cli-1", "kind": "recorded", "at": "2026-11-21T10:00:00Z", "nodes": ["cli-node"]}, "changes": {"put_nodes": [{"id": "cli-node", "kind": "claim", "title": "From the command line"}]}}""");
        Assert.Equal(0, TestSupport.Run(out var appended, "store", "append", "-w", Workspace, "-g", "kb", "--record", record));
        Assert.Matches("^appended cli-1 at \\d+\n$", appended);
        Assert.Equal(1, TestSupport.Run(out var duplicate, "store", "append", "-w", Workspace, "-g", "kb", "--record", record));
        Assert.Contains("error MC5008: event 'cli-1' is already in the log of graph 'kb'", duplicate, StringComparison.Ordinal);
        Assert.Equal(0, TestSupport.Run(out var before, "store", "replay", "-w", Workspace, "-g", "kb", "--until-event", "ev-decided"));
        Assert.DoesNotContain("cli-node", before, StringComparison.Ordinal);
        Assert.Equal(0, TestSupport.Run(out var events, "store", "events", "-w", Workspace, "-g", "kb", "--kind", "recorded"));
        Assert.Equal("ev-recorded\trecorded\t2026-01-01T00:00:00Z\tmain\t\ncli-1\trecorded\t2026-11-21T10:00:00Z\tmain\t\n", events);

        Assert.Equal(0, TestSupport.Run(out _, "store", "branch", "-w", Workspace, "-g", "kb", "--path", "side"));
        Assert.Equal(0, TestSupport.Run(out _, "store", "abandon", "-w", Workspace, "-g", "kb", "--path", "side", "--reason", "not needed"));
        Assert.Equal(0, TestSupport.Run(out var paths, "store", "paths", "-w", Workspace, "-g", "kb"));
        Assert.StartsWith("* main\t-\topen\t", paths, StringComparison.Ordinal);
        Assert.Contains("  side\tmain\tabandoned\t2 events\tnot needed", paths, StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var merge, "store", "merge", "-w", Workspace, "-g", "kb", "--path", "side"));
        Assert.Contains("error MC5013: path 'side' is already abandoned", merge, StringComparison.Ordinal);

        var plan = Path.Combine(_folder, "plan.json");
        Assert.Equal(0, TestSupport.Run(out var planned, "store", "plan", "-w", Workspace, "-g", "kb", "--profile", "kb-profile", "--forget", "fact-secret", "--reason", "request 17", "-o", plan));
        Assert.Contains("forget\tfact-secret\treview required\tforget requested: request 17\tfrom docs/secret.md:4-9; manual by bob\tlabels [restricted-ops], trust zone restricted, reauthorize (none)", planned, StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var refused, "store", "apply", "-w", Workspace, "--plan", plan));
        Assert.Contains("error MC5009: plan '", refused, StringComparison.Ordinal);
        var malloryKey = TestSupport.Write(_folder, "mallory.pem", TestSupport.Keys["mallory"].PrivateKeyPem);
        var byMallory = Path.Combine(_folder, "mallory-approval.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "approve", "--plan", plan, "--reviewer", "mallory", "--key", malloryKey, "--reason", "trust me", "-o", byMallory));
        Assert.Equal(1, TestSupport.Run(out var stranger, "store", "apply", "-w", Workspace, "--plan", plan, "--approval", byMallory));
        Assert.Contains("error MC5010: 'mallory' is not a reviewer of profile 'kb-profile' (reviewers: carol)", stranger, StringComparison.Ordinal);
        var carolKey = TestSupport.Write(_folder, "carol.pem", TestSupport.Keys["carol"].PrivateKeyPem);
        var byCarol = Path.Combine(_folder, "carol-approval.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "approve", "--plan", plan, "--reviewer", "carol", "--key", carolKey, "--reason", "request 17 checked", "-o", byCarol));
        Assert.Equal(0, TestSupport.Run(out var applied, "store", "apply", "-w", Workspace, "--plan", plan, "--approval", byCarol, "--actor", "agent"));
        Assert.StartsWith("applied plan-", applied, StringComparison.Ordinal);

        var package = Path.Combine(_folder, "decision-context.json");
        Assert.Equal(0, TestSupport.Run(out var retrieved, "store", "retrieve", "-w", Workspace, "-g", "kb", "--node", "decision", "--actor", "agent-7", "--package", package));
        Assert.Equal("allow\tdecision\tdecision\tCheck at build time\nallow\tfact-public\tsource_fact\tPublic fact\n", retrieved);
        Assert.Equal(0, TestSupport.Run(out var validatedPackage, "validate", package));

        Assert.Equal(0, TestSupport.Run(out var audit, "store", "audit", "-w", Workspace));
        var lines = audit.TrimEnd('\n').Split('\n');
        Assert.Equal(["import", "import", "append", "branch", "abandon", "merge", "apply", "apply", "apply", "retrieve"], lines.Select(line => line.Split('\t')[3]));
        Assert.Equal(["granted", "granted", "denied", "granted", "granted", "denied", "denied", "denied", "granted", "granted"], lines.Select(line => line.Split('\t')[4]));
        Assert.EndsWith("approved by carol at " + lines[8].Split("approved by carol at ")[1], lines[8], StringComparison.Ordinal);
        Assert.DoesNotContain("must never leak", string.Concat(Directory.GetFiles(Workspace, "*", SearchOption.AllDirectories).Where(path => !path.EndsWith(".lock", StringComparison.Ordinal)).Select(File.ReadAllText)), StringComparison.Ordinal);
    }

    [PostgresFact]
    public void The_same_commands_run_on_postgres_with_migrate_verify_and_reconcile()
    {
        Environment.SetEnvironmentVariable("MEMORYCONTRACTS_HMAC_KEYS", "v1=" + Convert.ToBase64String("cli-test-key-0123456789abcdef"u8.ToArray()));
        var connection = PostgresServer.MigratedConnectionString;
        var owner = PostgresServer.NewOwner();
        string[] Target(params string[] args) => [.. args, "--postgres", connection, "--owner", owner];

        Assert.Equal(0, TestSupport.Run(out var migrate, "store", "migrate", "--postgres", PostgresServer.OwnerConnectionString!, "--grant-to", PostgresServer.ApplicationRole));
        Assert.Equal("the database is up to date\n", migrate);
        Assert.Equal(0, TestSupport.Run(out _, Target("store", "import", TestSupport.Example("decision-graph.yaml"))));
        Assert.Equal(0, TestSupport.Run(out var decisions, Target("store", "nodes", "-g", "decision-graph", "--kind", "decision")));
        Assert.Equal("validate-in-build\tdecision\tactive\tValidate every fixture during dotnet build\nkeep-compiler-boundary\tdecision\tactive\tKeep the contract compiler separate from the runtime\n", decisions);
        Assert.Equal(0, TestSupport.Run(out var verified, Target("store", "verify", "-g", "decision-graph")));
        Assert.Matches("^checkpoint decision-graph 4:[0-9A-F]{64}:v1:[0-9A-F]{64}\n0 broken row\\(s\\)\n$", verified);
        var witness = Path.Combine(_folder, "witness.json");
        Assert.Equal(0, TestSupport.Run(out _, Target("store", "verify", "-g", "decision-graph", "--witness", witness, "--audit")));
        Assert.Contains("\"decision-graph\": \"4:", File.ReadAllText(witness), StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var unknown, Target("store", "verify", "-g", "no-such-graph")));
        Assert.Contains("error MC5014: graph 'no-such-graph' is not in the workspace", unknown, StringComparison.Ordinal);
        Assert.Equal(0, TestSupport.Run(out var stuck, Target("store", "reconcile")));
        Assert.Equal("0 stuck write(s)\n", stuck);
        Assert.Equal(0, TestSupport.Run(out var repair, Target("store", "repair")));
        Assert.Equal("0 error(s), 0 warning(s)\n", repair);

        Assert.Equal(0, TestSupport.Run(out var exported, Target("store", "export", "-g", "decision-graph")));
        TestSupport.Run(out _, "store", "init", "-w", Workspace);
        TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Example("decision-graph.yaml"));
        Assert.Equal(0, TestSupport.Run(out var fromFiles, "store", "export", "-w", Workspace, "-g", "decision-graph"));
        Assert.Equal(fromFiles, exported);

        Assert.Equal(1, TestSupport.Run(out var neither, "store", "graphs"));
        Assert.Contains("error MC5001: give the workspace: --workspace <folder>, or --postgres <connection-string>", neither, StringComparison.Ordinal);
    }
}

/// <summary>Issue 18, finding 9: store commands print paths as validate does, relative to the current folder.</summary>
public sealed class StorePathDisplayTests
{
    [Fact]
    public void A_store_diagnostic_names_a_workspace_under_the_current_folder_relative_to_it()
    {
        var workspace = Path.Combine(AppContext.BaseDirectory, "ws-relative-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Assert.Equal(0, TestSupport.Run(out _, "store", "init", "-w", workspace));
            Assert.Equal(1, TestSupport.Run(out var output, "store", "nodes", "-w", workspace, "-g", "nosuch"));
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, workspace).Replace('\\', '/');
            Assert.False(Path.IsPathRooted(relative));
            Assert.Equal($"{relative}(1,1): error MC5014: graph 'nosuch' is not in the workspace\n", output);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
