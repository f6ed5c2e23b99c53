using MemoryContracts.Model;

namespace MemoryContracts.Runtime;

/// <summary>
/// The one evaluator of label and trust-zone rules, shared by retrieval's label policy (a subject's clearances and
/// widest zone) and the context registry's policies (allowed and denied labels, widest zone): a memory passes when
/// every label it carries is allowed, none is denied, and its zone is no wider than the widest.
/// </summary>
/// <param name="Allowed">The labels a memory may carry; null when any label may.</param>
/// <param name="Denied">Labels a memory may not carry.</param>
/// <param name="WidestZone">The widest trust zone a memory may have; null when any zone may.</param>
internal sealed record LabelRules(IReadOnlyCollection<string>? Allowed, IReadOnlyCollection<string> Denied, string? WidestZone)
{
    /// <summary>What the rules find in a memory's policy.</summary>
    public LabelVerdict Evaluate(MemoryPolicy? memory)
    {
        var labels = memory?.Labels ?? [];
        return new LabelVerdict(
            labels,
            labels.Where(label => Denied.Contains(label, StringComparer.Ordinal)).ToArray(),
            Allowed is null ? [] : labels.Where(label => !Allowed.Contains(label, StringComparer.Ordinal)).ToArray(),
            WidestZone is { } widest && memory?.TrustZone is { } zone && TrustZoneOrder.IsWider(zone, widest) ? zone : null);
    }
}

/// <summary>What <see cref="LabelRules"/> found: each way a memory breaks them, in the memory's label order.</summary>
/// <param name="Labels">The memory's labels.</param>
/// <param name="DeniedLabels">Its labels the rules deny.</param>
/// <param name="NotAllowedLabels">Its labels the rules do not allow.</param>
/// <param name="TooWideZone">Its zone when wider than the rules' widest; null otherwise.</param>
internal sealed record LabelVerdict(IReadOnlyList<string> Labels, IReadOnlyList<string> DeniedLabels, IReadOnlyList<string> NotAllowedLabels, string? TooWideZone);
