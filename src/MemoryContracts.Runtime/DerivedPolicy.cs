using MemoryContracts.Model;

namespace MemoryContracts.Runtime;

/// <summary>
/// The policy of content derived from other content (a compaction summary, an episode): the most restrictive of its
/// sources, so a summary can never be seen by someone who could not see what it summarizes. Labels are the union of
/// the sources' labels; the trust zone is the widest of theirs; the reauthorization hint is the first one given.
/// </summary>
internal static class DerivedPolicy
{
    public static MemoryPolicy? Of(IEnumerable<GraphNode> sources)
    {
        var policies = sources.Select(source => source.Policy).OfType<MemoryPolicy>().ToArray();
        if (policies.Length == 0)
        {
            return null;
        }

        return new MemoryPolicy
        {
            Labels = policies.SelectMany(policy => policy.Labels).Distinct(StringComparer.Ordinal).ToArray(),
            TrustZone = policies.Select(policy => policy.TrustZone).OfType<string>().OrderByDescending(TrustZoneOrder.Rank).FirstOrDefault(),
            Reauthorize = policies.Select(policy => policy.Reauthorize).OfType<string>().FirstOrDefault(),
        };
    }
}
