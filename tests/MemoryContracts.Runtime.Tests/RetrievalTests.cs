using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Retrieval;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

public sealed class RetrievalTests
{
    private const string Secret = "SECRET-PAYLOAD-7731";
    private static readonly RetrievalSubject Agent = new("agent-7", ["design"]);

    [Fact]
    public void Denied_items_are_reported_with_a_reason_and_their_text_appears_nowhere_in_the_result()
    {
        using var workspace = Workspace();
        var result = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision", Depth: 1), Agent);
        Assert.Equal(["decision", "fact-public"], result.Items.Select(item => item.Node.Id));
        var denied = Assert.Single(result.Denied);
        Assert.Equal(("fact-secret", "requires label(s) restricted-ops"), (denied.Id, denied.Reason));
        Assert.Equal(["e-supports"], result.Edges.Select(edge => edge.Id));
        var everything = JsonSerializer.Serialize(result);
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret fact", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_decision_is_a_policy_decision_event_and_the_retrieval_is_audited()
    {
        using var workspace = Workspace();
        var result = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision"), Agent);
        var decisions = workspace.Events("kb", "policy_decision").ToList();
        Assert.Equal(3, decisions.Count);
        Assert.Equal(["allow", "allow", "deny"], decisions.Select(graphEvent => graphEvent.Attributes.Single(pair => pair.Key == "decision").Value.Text));
        Assert.Equal(["fact-secret"], decisions[2].Nodes);
        Assert.All(decisions, graphEvent => Assert.Equal("agent-7", graphEvent.Actor));
        var audit = workspace.AuditTrail().Last();
        Assert.Equal(("retrieve", result.Operation, "agent-7"), (audit.Action, audit.Operation, audit.Actor));
        Assert.Equal("2 allowed, 1 denied: fact-secret", audit.Reason);
    }

    [Fact]
    public void A_cleared_subject_sees_the_secret_and_a_trust_zone_limit_still_denies_it()
    {
        using var workspace = Workspace();
        var cleared = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision"), new RetrievalSubject("ops", ["restricted-ops"], "restricted"));
        Assert.Empty(cleared.Denied);
        var zoned = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision"), new RetrievalSubject("ops", ["restricted-ops"], "team"));
        Assert.Equal("trust zone restricted is wider than team", Assert.Single(zoned.Denied).Reason);
    }

    [Fact]
    public void A_failing_gateway_fails_closed()
    {
        using var workspace = Workspace(new ThrowingPolicy());
        var result = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision"), Agent);
        Assert.Empty(result.Items);
        Assert.Equal("scope denied: the policy gateway failed (InvalidOperationException); denied", Assert.Single(result.Denied).Reason);
        Assert.Equal(AuditDecision.Denied, workspace.AuditTrail().Last().Decision);
    }

    [Fact]
    public void Decision_paths_walk_back_and_episodes_follow_a_path_and_denied_nodes_are_not_expanded()
    {
        using var workspace = Workspace();
        var path = workspace.Retrieval.Retrieve(new RetrievalQuery.DecisionPath("kb", "decision"), Agent);
        Assert.Equal(["decision", "fact-public"], path.Items.Select(item => item.Node.Id));
        Assert.Equal(["fact-secret"], path.Denied.Select(item => item.Id));

        var cleared = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "digest", Depth: 3), new RetrievalSubject("x", []));
        Assert.Equal(["digest", "summary-of-secret"], cleared.Items.Select(item => item.Node.Id));

        using var conversation = MemoryWorkspace.InMemory();
        conversation.Import(TestSupport.Example("conversation-path.yaml"), "tester");
        var episode = conversation.Retrieval.Retrieve(new RetrievalQuery.Episode("conversation-path", "shortcut"), new RetrievalSubject("x", ["session"], "team"));
        Assert.NotEmpty(episode.Items);
        Assert.Empty(episode.Denied);
    }

    [Fact]
    public void Retrieval_results_compile_into_a_context_package_without_denied_items()
    {
        using var workspace = Workspace();
        var compilation = workspace.Retrieval.Package(new RetrievalQuery.Neighborhood("kb", "decision"), Agent, "decision-context");
        Assert.Equal(["decision", "fact-public"], compilation.Package.Items.Where(item => item.ItemType == "node").Select(item => item.Id).Order(StringComparer.Ordinal));
        var written = Packing.ContextPackageWriter.Write(compilation.Package, Packing.PackageFormat.Json);
        Assert.DoesNotContain(Secret, written, StringComparison.Ordinal);
        Assert.DoesNotContain("fact-secret", written, StringComparison.Ordinal);
    }

    private static MemoryWorkspace Workspace(IPolicyGateway? policy = null)
    {
        var workspace = MemoryWorkspace.InMemory(policy is null ? null : new WorkspaceOptions { Policy = policy });
        workspace.Import(TestSupport.Write(TestSupport.TempFolder("retrieval"), "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        return workspace;
    }

    private sealed class ThrowingPolicy : IPolicyGateway
    {
        public PolicyDecision DecideScope(RetrievalSubject subject, string graphId) => throw new InvalidOperationException("policy service unreachable");

        public PolicyDecision Decide(RetrievalSubject subject, string graphId, GraphNode node) => throw new InvalidOperationException("policy service unreachable");
    }
}
