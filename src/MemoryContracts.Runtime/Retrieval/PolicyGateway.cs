using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Retrieval;

/// <summary>Who is asking: an actor with clearances (policy labels they may see) and the widest trust zone they may receive.</summary>
/// <param name="Actor">The person, agent or tool.</param>
/// <param name="Clearances">The policy labels the actor may see.</param>
/// <param name="TrustZone">
/// The widest trust zone the actor may receive (a <c>TrustZone</c> term, spelled exactly); the narrowest zone
/// (<c>public</c>) when null, so leaving it out never widens what is served. An unknown zone is refused (MC5028).
/// </param>
public sealed record RetrievalSubject(string Actor, IReadOnlyList<string> Clearances, string? TrustZone = null);

/// <summary>A permission decision with its reason.</summary>
/// <param name="Allowed">Whether access is allowed.</param>
/// <param name="Reason">Why, in words a reviewer can check.</param>
public sealed record PolicyDecision(bool Allowed, string Reason);

/// <summary>
/// Answers permission questions for retrieval. Implementations must be side-effect free; any exception is taken
/// as a denial (the gateway fails closed).
/// </summary>
public interface IPolicyGateway
{
    /// <summary>May the subject retrieve from this graph at all?</summary>
    PolicyDecision DecideScope(RetrievalSubject subject, string graphId);

    /// <summary>May the subject see this node?</summary>
    PolicyDecision Decide(RetrievalSubject subject, string graphId, GraphNode node);
}

/// <summary>
/// The built-in local label policy: a node is visible when the subject holds every one of its policy labels and its
/// trust zone is no wider than the subject's (zones ordered as the schema lists them). A node without labels is
/// visible to anyone in its zone.
/// </summary>
public sealed class LabelPolicy : IPolicyGateway
{
    /// <inheritdoc />
    public PolicyDecision DecideScope(RetrievalSubject subject, string graphId) =>
        string.IsNullOrWhiteSpace(subject.Actor) ? new(false, "no actor named") : new(true, "any named actor may query");

    /// <inheritdoc />
    public PolicyDecision Decide(RetrievalSubject subject, string graphId, GraphNode node)
    {
        var widest = subject.TrustZone ?? TrustZoneOrder.Narrowest;
        var verdict = new LabelRules(subject.Clearances, [], widest).Evaluate(node.Policy);
        return verdict.NotAllowedLabels.Count > 0 ? new(false, $"requires label(s) {string.Join(", ", verdict.NotAllowedLabels)}")
            : !TrustZoneOrder.IsKnown(widest) ? new(false, $"'{widest}' is not a trust zone")
            : verdict.TooWideZone is { } zone ? new(false, $"trust zone {zone} is wider than {widest}")
            : new(true, verdict.Labels.Count == 0 ? "no labels" : $"holds {string.Join(", ", verdict.Labels)}");
    }
}
