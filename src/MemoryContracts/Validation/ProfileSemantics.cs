using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>
/// Profile checks: every declared memory kind has a store (MC3001), every store belongs to a declared kind
/// (MC3002), retention rules apply to declared kinds (MC3003) and have unique ids (MC3004).
/// </summary>
internal sealed class ProfileSemantics : IContractSemantics
{
    public string Family => "profile";

    public void Check(FixtureContext context)
    {
        var root = context.Root;
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var stores = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty(ProfileFields.Stores, out var storeMap) && storeMap.IsMapping)
        {
            foreach (var (key, _) in storeMap.EnumerateProperties())
            {
                stores.Add(key.GetString());
            }
        }

        var memoryKinds = context.Contract.Vocabularies.FirstOrDefault(vocabulary => vocabulary.DiagnosticCode == DiagnosticCatalog.UnknownMemoryKind.Code);
        foreach (var kind in DocumentItems.Of(root, ProfileFields.MemoryKinds).Where(kind => kind.IsString))
        {
            declared.Add(kind.GetString());

            // A kind the schema refuses (MC3006: not in the contract's vocabulary) gets no second diagnostic here.
            if (storeMap.IsMapping && !stores.Contains(kind.GetString()) && (memoryKinds is null || memoryKinds.Terms.Any(term => term.Value == kind.GetString())))
            {
                context.Report(DiagnosticCatalog.MemoryKindWithoutStore, kind, kind.GetString());
            }
        }

        if (storeMap.IsMapping)
        {
            foreach (var (key, _) in storeMap.EnumerateProperties())
            {
                if (!declared.Contains(key.GetString()))
                {
                    context.Report(DiagnosticCatalog.StoreForUndeclaredKind, key, key.GetString());
                }
            }
        }

        var ruleIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rule in DocumentItems.Of(root, ProfileFields.Retention))
        {
            if (rule.TryGetProperty(RetentionRuleFields.Id, out var id) && id.IsString)
            {
                if (ruleIds.TryGetValue(id.GetString(), out var line))
                {
                    context.Report(DiagnosticCatalog.DuplicateRetentionRule, id, id.GetString(), line);
                }
                else
                {
                    ruleIds.Add(id.GetString(), id.Location.Line);
                }
            }

            if (rule.TryGetProperty(RetentionRuleFields.MemoryKind, out var kind) && kind.IsString && !declared.Contains(kind.GetString()))
            {
                context.Report(DiagnosticCatalog.RetentionForUndeclaredKind, kind, rule.GetOptionalString(RetentionRuleFields.Id) ?? "?", kind.GetString());
            }
        }
    }
}
