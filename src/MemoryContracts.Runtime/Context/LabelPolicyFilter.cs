using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Context;

/// <summary>Applies a local label policy (<c>markitect.context.policy.v1</c>) to one memory, through <see cref="LabelRules"/>.</summary>
internal static class LabelPolicyFilter
{
    /// <summary>Null when the memory may enter; otherwise why not (naming the rule, never the content).</summary>
    public static string? Deny(ContextPolicy? policy, MemoryPolicy? memory)
    {
        if (policy is null)
        {
            return null;
        }

        var verdict = new LabelRules(policy.AllowLabels.Count > 0 ? policy.AllowLabels : null, policy.DenyLabels, policy.MaxTrustZone).Evaluate(memory);
        return verdict.DeniedLabels.Count > 0 ? $"policy '{policy.Id}' denies label '{verdict.DeniedLabels[0]}'"
            : verdict.NotAllowedLabels.Count > 0 ? $"policy '{policy.Id}' does not allow label '{verdict.NotAllowedLabels[0]}'"
            : verdict.TooWideZone is { } zone ? $"policy '{policy.Id}' allows trust zones up to {policy.MaxTrustZone}, not {zone}"
            : null;
    }
}
