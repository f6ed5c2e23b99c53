using System.Text;
using MemoryContracts.Runtime.Toolbelt;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 12, "crashes with stack traces, and failures that leave debris": each case is a diagnostic with a code (and a
/// position where there is one), nothing is left behind, and text output cannot be forged.
/// </summary>
public sealed class NoStackTraceTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("no-trace");

    private string Workspace => Path.Combine(_folder, "ws");

    public NoStackTraceTests() => TestSupport.Run(out _, "store", "init", "-w", Workspace);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_alias_string_bomb_is_refused_at_validation_and_import_stays_small_and_leaves_no_graph()
    {
        var bomb = new StringBuilder("schema_version: markitect.memory.graph.v1\nid: bomb\nnodes:\n  - id: n0\n    kind: claim\n    title: &big \"")
            .Append('x', 1 << 20).Append("\"\n");
        for (var index = 1; index < 5000; index++)
        {
            bomb.Append($"  - {{id: n{index}, kind: claim, title: *big}}\n");
        }

        var path = TestSupport.Write(_folder, "bomb.yaml", bomb.ToString());
        var before = GC.GetTotalAllocatedBytes();
        Assert.Equal(1, TestSupport.Run(out var output, "store", "import", "-w", Workspace, path));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 512L << 20, "the refused import allocated more than 512 MB");
        Assert.Contains("error MC1007: alias '*big' would make aliases repeat more than 16777216 bytes of text", output, StringComparison.Ordinal);
        Assert.Contains("error MC5015:", output, StringComparison.Ordinal);
        TestSupport.Run(out var graphs, "store", "graphs", "-w", Workspace);
        Assert.DoesNotContain("bomb", graphs, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_a_hundred_thousand_problems_lists_a_thousand_and_counts_the_rest()
    {
        var graph = new StringBuilder("schema_version: markitect.memory.graph.v1\nid: many\nnodes:\n");
        for (var index = 0; index < 100_000; index++)
        {
            graph.Append($"  - {{id: n{index}, kind: gizmo, title: t}}\n");
        }

        var path = TestSupport.Write(_folder, "many.yaml", graph.ToString());
        Assert.Equal(1, TestSupport.Run(out var text, "validate", path));
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(1002, lines.Length);
        Assert.EndsWith("more error(s) in this file are not listed; the first 1000 problems are", lines[^2], StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var sarif, "validate", path, "--format", "sarif"));
        Assert.True(sarif.Length < 4 << 20, $"the SARIF report is {sarif.Length} characters");
    }

    [Fact]
    public void Unpaired_surrogates_and_nul_are_diagnostics_with_positions()
    {
        TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "g.yaml", "schema_version: markitect.memory.graph.v1\nid: g\nnodes: [{id: n, kind: claim, title: n}]\n"));
        var append = TestSupport.Write(_folder, "surrogate.json", """{"event": {"id": "e\ud800", "kind": "recorded", "at": "2026-11-21T10:00:00Z"}}""");
        Assert.Equal(1, TestSupport.Run(out var appended, "store", "append", "-w", Workspace, "-g", "g", "--record", append));
        Assert.Contains("surrogate.json(1,18): error MC1003: not an append request: a string holds an unpaired surrogate escape", appended, StringComparison.Ordinal);

        var fixture = TestSupport.Write(_folder, "surrogate-fixture.json", """{"schema_version": "markitect.memory.graph.v1", "id": "g2", "nodes": [{"id": "n\ud800", "kind": "claim", "title": "n"}]}""");
        Assert.Equal(1, TestSupport.Run(out var validated, "validate", fixture));
        Assert.Contains("surrogate-fixture.json(1,78): error MC1001: not well-formed JSON: the string holds an unpaired surrogate escape", validated, StringComparison.Ordinal);

        var nul = TestSupport.Write(_folder, "nul.yaml", "schema_version: markitect.memory.graph.v1\nid: g3\nnodes: [{id: n, kind: claim, title: \"a\\0b\"}]\n");
        Assert.Equal(1, TestSupport.Run(out var nulled, "validate", nul));
        Assert.Contains("nul.yaml(3,37): error MC1001: not well-formed YAML: the string holds U+0000 (NUL)", nulled, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nul_in_a_toolbelt_path_and_an_unknown_template_are_refused_and_audited()
    {
        using var workspace = MemoryWorkspace.InMemory();
        var toolbelt = new MemoryToolbelt(Path.Combine(_folder, "memory"), workspace);
        Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => toolbelt.Write(new ToolRequest { Path = "users/a\0b.md", Content = "x" })).Code);
        Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => toolbelt.Read(new ToolRequest { Path = "users/a\nb.md" })).Code);
        Assert.Equal("MC5022", Assert.Throws<MemoryStoreException>(() => toolbelt.Write(new ToolRequest { Path = "users/new.md", Template = "nosuch" })).Code);
        var audits = workspace.Events(ToolLedger.Graph, "policy_decision").ToList();
        Assert.Equal(3, audits.Count);
        Assert.Equal("blocked fs.write users/a\\u0000b.md", audits[0].Summary);
    }

    [Fact]
    public void Ids_with_a_newline_or_a_bidi_control_cannot_forge_output_lines()
    {
        var graph = TestSupport.Write(_folder, "forge.json", "{\"schema_version\": \"markitect.memory.graph.v1\", \"id\": \"g\\nerror MC9999: forged\", \"nodes\": [{\"id\": \"n\\u202Egnp.exe\", \"kind\": \"claim\", \"title\": \"t\"}]}");
        Assert.Equal(0, TestSupport.Run(out _, "store", "import", "-w", Workspace, graph));
        Assert.Equal(0, TestSupport.Run(out var graphs, "store", "graphs", "-w", Workspace));
        Assert.Equal("graph\tg\\u000Aerror MC9999: forged\t1 nodes\t0 edges\t1 records\n", graphs);
        Assert.Equal(0, TestSupport.Run(out var nodes, "store", "nodes", "-w", Workspace, "-g", "g\nerror MC9999: forged"));
        Assert.Equal("n\\u202Egnp.exe\tclaim\t-\tt\n", nodes);
        Assert.Equal(1, TestSupport.Run(out var unknown, "store", "nodes", "-w", Workspace, "-g", "x\ny"));
        Assert.Single(unknown.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_profile_with_an_unusable_reviewer_key_is_refused_on_import()
    {
        var profile = TestSupport.Profile.Replace(TestSupport.Keys["carol"].PublicKey, "ecdsa-p256:AAAA", StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var refused, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "bad-key.yaml", profile)));
        Assert.Contains("error MC5015:", refused, StringComparison.Ordinal);
        Assert.Contains("review.reviewer_keys.carol is not an ECDSA P-256 public key", refused, StringComparison.Ordinal);
        var stranger = TestSupport.Profile.Replace("reviewer_keys:\n    carol:", "reviewer_keys:\n    mallory:", StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var notReviewer, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "stranger-key.yaml", stranger)));
        Assert.Contains("review.reviewer_keys names 'mallory', who is not in review.reviewers", notReviewer, StringComparison.Ordinal);
    }
}
