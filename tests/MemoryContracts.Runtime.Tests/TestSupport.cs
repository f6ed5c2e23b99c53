using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Tests;

/// <summary>Paths of the repository, temporary folders and fixtures for the runtime tests.</summary>
internal static class TestSupport
{
    public static string Root => RepositoryRoot.Path;

    public static string Example(string name) => Path.Combine(Root, "examples", "memory", name);

    public static string TempFolder(string prefix) => TempFolders.Create(prefix);

    /// <summary>The command line built with these tests (dotnet-memory.dll), for tests that run it as its own process.</summary>
    public static string ToolPath => Path.Combine(Root, "src", "MemoryContracts.Tool", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net8.0", "dotnet-memory.dll");

    /// <summary>Writes a fixture file into a folder and returns its path.</summary>
    public static string Write(string folder, string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A knowledge graph with policy labels, lineage and dates, for lifecycle and retrieval tests.</summary>
    public const string KnowledgeGraph = """
        schema_version: markitect.memory.graph.v1
        id: kb
        title: Knowledge
        nodes:
          - id: fact-public
            kind: source_fact
            title: Public fact
            text: The build validates fixtures.
            source: {path: docs/a.md, start_line: 1, end_line: 3}
            provenance: {author: alice, method: extracted, recorded_at: "2026-01-01T00:00:00Z"}
            lifecycle: {state: active, updated_at: "2026-01-01T00:00:00Z"}
          - id: fact-secret
            kind: source_fact
            title: Secret fact
            text: SECRET-PAYLOAD-7731 must never leak.
            source: {path: docs/secret.md, start_line: 4, end_line: 9}
            provenance: {author: bob, method: manual}
            policy: {labels: [restricted-ops], trust_zone: restricted}
            lifecycle: {state: active, updated_at: "2026-11-01T00:00:00Z"}
          - id: assumption-old
            kind: assumption
            title: Old assumption
            text: Nobody edits fixtures by hand.
            lifecycle: {state: active, updated_at: "2026-01-01T00:00:00Z"}
          - id: summary-of-secret
            kind: memory
            title: Summary built from the secret fact
            text: Derived from SECRET-PAYLOAD-7731.
            provenance: {method: derived, derived_from: [fact-secret]}
          - id: digest
            kind: memory
            title: Digest of the summary
            text: Second-level derivation.
          - id: decision
            kind: decision
            title: Check at build time
            text: Decided to validate in the build.
        edges:
          - {id: e-supports, kind: supports, source: fact-public, target: decision}
          - {id: e-secret-supports, kind: supports, source: fact-secret, target: decision}
          - {id: e-digest, kind: derived_from, source: digest, target: summary-of-secret}
        events:
          - {id: ev-recorded, kind: recorded, at: "2026-01-01T00:00:00Z", nodes: [fact-public]}
          - {id: ev-decided, kind: updated, at: "2026-02-01T00:00:00Z", nodes: [decision], summary: decided}
        """;

    /// <summary>Reviewer key pairs made once per test run: carol is declared in <see cref="Profile"/>, mallory is not.</summary>
    public static IReadOnlyDictionary<string, (string PrivateKeyPem, string PublicKey)> Keys { get; } = new Dictionary<string, (string, string)>
    {
        ["carol"] = Review.ApprovalSigner.CreateKey(),
        ["mallory"] = Review.ApprovalSigner.CreateKey(),
    };

    /// <summary>An approval of a plan signed by a reviewer with their own key (or with <paramref name="signedBy"/>'s key, to forge one).</summary>
    public static Approval Approve(Lifecycle.LifecyclePlan plan, string reviewer, string at = "2026-11-21T12:00:00Z", string reason = "checked the lineage", string? signedBy = null) =>
        Review.ApprovalSigner.Sign(plan.Id, reviewer, at, reason, Keys[signedBy ?? reviewer].PrivateKeyPem);

    public static string Profile { get; } = $$"""
        schema_version: markitect.memory.profile.v1
        id: kb-profile
        memory_kinds: [reasoning, knowledge]
        stores: {reasoning: local-event-log, knowledge: local-graph-store}
        activation: {max_items: 10, max_tokens: 4000}
        retention:
          - {id: stale-assumptions, memory_kind: reasoning, node_kinds: [assumption], action: mark_stale, after_days: 30}
          - {id: old-facts, memory_kind: knowledge, node_kinds: [source_fact], action: request_delete, after_days: 180}
        review:
          required_for: [request_delete, forget]
          reviewers: [carol]
          reviewer_keys:
            carol: {{Keys["carol"].PublicKey}}
        """;

    /// <summary>A temporary copy of the example catalog (examples/memory), for tests that change or pack it.</summary>
    public static string CopyCatalog(string prefix)
    {
        var folder = TempFolder(prefix);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "examples", "memory")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    /// <summary>Runs the command line in process, as a user would, with standard output and error in one text.</summary>
    public static int Run(out string output, params string[] args)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var code = Tool.MemoryCli.Run(args, writer, writer);
        output = writer.ToString();
        return code;
    }

    public static GraphNode Node(string id, string kind = "claim", string? title = null, string? text = null) =>
        new(id, kind, title ?? id) { Text = text };

    public static GraphEvent Event(string id, string kind = "recorded", string at = "2026-11-21T10:00:00Z", string? path = null, params string[] nodes) =>
        new(id, kind, at) { Path = path, Nodes = nodes };
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
