namespace MemoryContracts.Model;

/// <summary>A query over the nodes of a graph: every given condition must hold.</summary>
public sealed record NodeQuery
{
    private string[]? _words;

    /// <summary>Only nodes of these kinds (all when empty).</summary>
    public IReadOnlyList<string> Kinds { get; init => field = value ?? []; } = [];

    /// <summary>Only nodes whose id matches one of these patterns; <c>*</c> matches any run of characters (all when empty).</summary>
    public IReadOnlyList<string> Ids { get; init => field = value ?? []; } = [];

    /// <summary>Only nodes carrying one of these policy labels (all when empty).</summary>
    public IReadOnlyList<string> Labels { get; init => field = value ?? []; } = [];

    /// <summary>Only nodes whose title or text contains every word of this text, ignoring case.</summary>
    public string? Text { get; init; }

    /// <summary>Whether a node meets every condition of the query.</summary>
    public bool Matches(GraphNode node)
    {
        if (Kinds.Count > 0 && !Kinds.Contains(node.Kind, StringComparer.Ordinal))
        {
            return false;
        }

        if (Ids.Count > 0 && !Ids.Any(pattern => Wildcard(pattern, node.Id)))
        {
            return false;
        }

        if (Labels.Count > 0 && !(node.Policy?.Labels ?? []).Any(label => Labels.Contains(label, StringComparer.Ordinal)))
        {
            return false;
        }

        return Words.All(word => node.Title.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0 || (node.Text?.IndexOf(word, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0);
    }

    /// <summary>Matches <c>*</c> (any run of characters) in an id pattern; everything else literally.</summary>
    private static bool Wildcard(string pattern, string id)
    {
        var parts = pattern.Split('*');
        var last = parts[parts.Length - 1];
        if (parts.Length == 1)
        {
            return string.Equals(pattern, id, StringComparison.Ordinal);
        }

        if (!id.StartsWith(parts[0], StringComparison.Ordinal) || !id.EndsWith(last, StringComparison.Ordinal) || id.Length < parts[0].Length + last.Length)
        {
            return false;
        }

        var position = parts[0].Length;
        for (var index = 1; index < parts.Length - 1; index++)
        {
            var found = id.IndexOf(parts[index], position, StringComparison.Ordinal);
            if (found < 0 || found + parts[index].Length > id.Length - last.Length)
            {
                return false;
            }

            position = found + parts[index].Length;
        }

        return true;
    }

    private string[] Words => _words ??= (Text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A one-line description, such as <c>kinds=decision text="build"</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Kinds.Count > 0) parts.Add("kinds=" + string.Join(",", Kinds));
        if (Ids.Count > 0) parts.Add("ids=" + string.Join(",", Ids));
        if (Labels.Count > 0) parts.Add("labels=" + string.Join(",", Labels));
        if (!string.IsNullOrWhiteSpace(Text)) parts.Add($"text=\"{Text}\"");
        return parts.Count == 0 ? "all nodes" : string.Join(" ", parts);
    }
}

/// <summary>One source of a manifest: a selection file, or a graph file with an optional query.</summary>
/// <param name="Selection">The selection file, relative to the manifest.</param>
/// <param name="Graph">The graph file, relative to the manifest.</param>
/// <param name="Query">The query over the graph; every node when null.</param>
public sealed record ManifestSource(string? Selection, string? Graph, NodeQuery? Query);

/// <summary>A validated <c>markitect.context.manifest</c> fixture: a recipe for a context package.</summary>
public sealed record ContextManifest(string SchemaVersion, string Id)
{
    /// <summary>The title.</summary>
    public string? Title { get; init; }

    /// <summary>What the package is for.</summary>
    public string? Description { get; init; }

    /// <summary>The namespace the package belongs to.</summary>
    public MemoryNamespace? Namespace { get; init; }

    /// <summary>The sources, in order.</summary>
    public IReadOnlyList<ManifestSource> Sources { get; init; } = [];

    /// <summary>The budget.</summary>
    public ActivationLimits? Budget { get; init; }

    /// <summary>The local label policy file, relative to the manifest.</summary>
    public string? Policy { get; init; }
}

/// <summary>A validated <c>markitect.context.policy</c> fixture: a local label policy.</summary>
public sealed record ContextPolicy(string SchemaVersion, string Id)
{
    /// <summary>The title.</summary>
    public string? Title { get; init; }

    /// <summary>Labels that deny a memory.</summary>
    public IReadOnlyList<string> DenyLabels { get; init; } = [];

    /// <summary>When not empty, the only labels a memory may carry.</summary>
    public IReadOnlyList<string> AllowLabels { get; init; } = [];

    /// <summary>The widest trust zone allowed.</summary>
    public string? MaxTrustZone { get; init; }

    /// <summary>Whether an assisted summary layer may be produced.</summary>
    public bool AssistedSummaries { get; init; }

    /// <summary>External policy decisions, as metadata.</summary>
    public IReadOnlyList<ExternalPolicyReference> External { get; init; } = [];
}
