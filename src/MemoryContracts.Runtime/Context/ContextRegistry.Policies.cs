using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime.Context;

/// <summary>Which items of a stored package the policies let through now, at activation and explanation.</summary>
public sealed partial class ContextRegistry
{
    /// <summary>
    /// What the package may serve under its policies as they stand now: the policy the recipe names and, for a
    /// manifest, the policy the manifest names today (a stricter file swapped in counts at once); an item either
    /// denies is withheld, and so is an event item that touches a withheld node (its text may describe it).
    /// </summary>
    private async ValueTask<(List<PackageItem> Items, List<WithheldItem> Withheld, List<ContextPolicy> Policies)> ApplyPoliciesAsync(bool useAsync, ContextPackage package, ContextRecipe recipe, CancellationToken cancellationToken)
    {
        var policies = new List<ContextPolicy>();
        if (await LoadPolicyAsync(useAsync, recipe.Policy, cancellationToken).ConfigureAwait(false) is { } named)
        {
            policies.Add(named);
        }

        if (recipe.Source == "manifest" && (await ValidateAsync(useAsync, FixtureValidator(), recipe.Path, cancellationToken).ConfigureAwait(false)).Manifest?.Policy is { } current
            && Path.GetFullPath(Path.Combine(Path.GetDirectoryName(recipe.Path)!, current)) is var currentPath && currentPath != recipe.Policy
            && await LoadPolicyAsync(useAsync, currentPath, cancellationToken).ConfigureAwait(false) is { } now)
        {
            policies.Add(now);
        }

        var withheld = new List<WithheldItem>();
        var items = new List<PackageItem>();
        var deniedNodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in package.Items.Where(item => item.Event is null))
        {
            if (policies.Select(policy => LabelPolicyFilter.Deny(policy, item.Policy)).FirstOrDefault(reason => reason is not null) is { } reason)
            {
                withheld.Add(new WithheldItem(item.Id, reason));
                deniedNodes.Add(item.Id);
            }
        }

        foreach (var item in package.Items)
        {
            if (deniedNodes.Contains(item.Id))
            {
                continue;
            }

            if (item.Event?.Nodes.FirstOrDefault(deniedNodes.Contains) is { } touched)
            {
                withheld.Add(new WithheldItem(item.Id, $"touches '{touched}', which the policy withholds"));
            }
            else
            {
                items.Add(item);
            }
        }

        return (items, withheld, policies);
    }
}
