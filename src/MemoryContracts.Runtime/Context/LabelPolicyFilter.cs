using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Context;

/// <summary>Applies a local label policy (<c>markitect.context.policy.v1</c>) to one memory.</summary>
internal static class LabelPolicyFilter
{
    /// <summary>Null when the memory may enter; otherwise why not (naming the rule, never the content).</summary>
    public static string? Deny(ContextPolicy? policy, MemoryPolicy? memory)
    {
        if (policy is null)
        {
            return null;
        }

        var labels = memory?.Labels ?? [];
        if (labels.FirstOrDefault(label => policy.DenyLabels.Contains(label, StringComparer.Ordinal)) is { } denied)
        {
            return $"policy '{policy.Id}' denies label '{denied}'";
        }

        if (policy.AllowLabels.Count > 0 && labels.FirstOrDefault(label => !policy.AllowLabels.Contains(label, StringComparer.Ordinal)) is { } other)
        {
            return $"policy '{policy.Id}' does not allow label '{other}'";
        }

        if (policy.MaxTrustZone is { } widest && memory?.TrustZone is { } zone && TrustZoneOrder.IsWider(zone, widest))
        {
            return $"policy '{policy.Id}' allows trust zones up to {widest}, not {zone}";
        }

        return null;
    }
}
