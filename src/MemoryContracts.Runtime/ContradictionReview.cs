using MemoryContracts.Model;

namespace MemoryContracts.Runtime;

/// <summary>
/// A new <c>contradicts</c> edge neither deletes nor invalidates anything: it puts both of its ends up for a
/// person's review, in the same record that adds it.
/// </summary>
internal static class ContradictionReview
{
    private static readonly string Contradicts = EdgeKind.Contradicts.ToWireName();

    public static GraphChanges Flag(GraphState state, GraphChanges changes, string cause)
    {
        if (changes.PutEdges.Count == 0)
        {
            return changes;
        }

        var flags = new List<ReviewFlag>();
        foreach (var edge in changes.PutEdges.Where(edge => edge.Kind == Contradicts && state.FindEdge(edge.Id) is null))
        {
            flags.Add(new ReviewFlag(edge.Source, $"contradicts '{edge.Target}' (edge '{edge.Id}')", cause));
            flags.Add(new ReviewFlag(edge.Target, $"contradicted by '{edge.Source}' (edge '{edge.Id}')", cause));
        }

        return flags.Count == 0 ? changes : changes with { OpenReviews = [.. changes.OpenReviews, .. flags] };
    }
}
