using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;

namespace MemoryContracts.Packing;

/// <summary>
/// Compiles a selection into a context package. Selected nodes become items (in selection order), selected
/// events become synthetic items after them, and edges go to metadata. Over budget, the items after the longest
/// prefix that fits are dropped (<see cref="BudgetFit"/>, the rule activation and agent runs apply too).
/// </summary>
public static class SelectionCompiler
{
    private const string NodeItem = "node";
    private const string EventItem = "event";

    /// <summary>Compiles a validated selection against its validated graph and optional profile.</summary>
    /// <param name="selection">The selection.</param>
    /// <param name="graph">The graph the selection names; every selected id must exist in it.</param>
    /// <param name="profile">The profile the selection names, if any.</param>
    /// <param name="selectionFileName">The selection's file name, recorded in the recipe.</param>
    /// <param name="tokens">What counts item tokens for the budget; the deterministic estimate when null (build-time packages use it).</param>
    public static PackageCompilation Compile(MemorySelection selection, MemoryGraph graph, MemoryProfile? profile, string selectionFileName, ITokenCounter? tokens = null)
    {
        var recipe = new PackageRecipe("selection")
        {
            Selection = selectionFileName,
            Graph = selection.Graph,
            GraphId = graph.Id,
            Profile = selection.Profile,
            ProfileId = profile?.Id,
            Nodes = selection.Nodes,
            Edges = selection.Edges,
            Events = selection.Events,
        };
        var package = new ContextPackage(selection.Id, recipe, ChooseBudget(selection, profile))
        {
            Title = selection.Title,
            Description = selection.Description,
            Namespace = selection.Namespace,
        };
        return Compile(package, [new PackagePick(graph, selection.Graph, selection.Nodes, selection.Edges, selection.Events)], tokens);
    }

    /// <summary>
    /// Compiles picks from one or more graphs (a manifest's sources, a query's matches) into the package given as a
    /// template (id, recipe, budget, title, namespace): picked nodes in pick order (a node picked twice counts once),
    /// then picked events; selected and implied edges; the budget; the extractive summary. Item tokens are counted
    /// by <paramref name="tokens"/> (the deterministic estimate when null).
    /// </summary>
    public static PackageCompilation Compile(ContextPackage template, IReadOnlyList<PackagePick> picks, ITokenCounter? tokens = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var candidates = picks.SelectMany(pick => pick.Nodes.Where(seen.Add).Select(id => NodeToItem(pick.Graph.FindNode(id)!, pick.GraphPath, tokens ?? TokenEstimator.Default)))
            .Concat(picks.SelectMany(pick => pick.Events.Where(seen.Add).Select(id => EventToItem(pick.Graph.FindEvent(id)!, pick.GraphPath, tokens ?? TokenEstimator.Default))))
            .ToList();
        var selectedTokens = candidates.Sum(item => item.TokenEstimate);
        var dropped = ApplyBudget(candidates, template.Budget);

        var keptNodes = new HashSet<string>(candidates.Where(item => item.ItemType == NodeItem).Select(item => item.Id), StringComparer.Ordinal);
        var edgeIds = new HashSet<string>(StringComparer.Ordinal);
        var edges = picks.SelectMany(pick => pick.Edges.Where(edgeIds.Add).Select(id => ToPackageEdge(pick.Graph.FindEdge(id)!, "selected")))
            .ToList();
        edges.AddRange(picks.SelectMany(pick => pick.Graph.Edges
            .Where(edge => keptNodes.Contains(edge.Source) && keptNodes.Contains(edge.Target) && edgeIds.Add(edge.Id))
            .Select(edge => ToPackageEdge(edge, "implied"))));

        var package = template with
        {
            Summary = [new SummaryLayer("extractive", Summarize(GraphLabel(picks), candidates, dropped.Count))],
            TokenEstimate = candidates.Sum(item => item.TokenEstimate),
            Items = candidates,
            Edges = edges,
            Dropped = dropped,
        };

        var overflow = dropped.Count == 0 ? null : new BudgetOverflow(dropped.Count + candidates.Count, selectedTokens, dropped);
        return new PackageCompilation(package, overflow);
    }

    /// <summary>
    /// The deterministic extractive summary of a package's items: how many of each kind, and the first titles.
    /// Built from the items alone, so filtering items first leaves nothing of the filtered ones in it.
    /// </summary>
    public static string Summarize(string graphLabel, IReadOnlyList<PackageItem> items, int droppedCount)
    {
        if (items.Count == 0)
        {
            return $"No items from graph '{graphLabel}'.";
        }

        var counts = items.GroupBy(item => item.ItemType == EventItem ? "event" : item.Kind)
            .Select(group => group.Key + ": " + group.Count().ToString(CultureInfo.InvariantCulture));
        var titles = items.Take(5).Select(item => item.Title.TrimEnd('.'));
        var summary = $"{items.Count} item(s) from graph '{graphLabel}' ({string.Join(", ", counts)}): {string.Join("; ", titles)}{(items.Count > 5 ? $" and {items.Count - 5} more" : string.Empty)}.";
        return droppedCount == 0 ? summary : summary + $" {droppedCount} item(s) were dropped to fit the budget.";
    }

    /// <summary>The graph ids of the picks, as one label (<c>a</c>, or <c>a', 'b</c> inside the summary's quotes).</summary>
    public static string GraphLabel(IEnumerable<PackagePick> picks) => string.Join("', '", picks.Select(pick => pick.Graph.Id).Distinct(StringComparer.Ordinal));

    private static PackageBudget ChooseBudget(MemorySelection selection, MemoryProfile? profile)
    {
        if (selection.Budget is { } own)
        {
            return new PackageBudget(own.MaxItems, own.MaxTokens, "selection");
        }

        if (profile?.Activation is { } activation && (activation.MaxItems is not null || activation.MaxTokens is not null))
        {
            return new PackageBudget(activation.MaxItems, activation.MaxTokens, "profile");
        }

        return new PackageBudget(null, null, "none");
    }

    /// <summary>Keeps what <see cref="BudgetFit"/> keeps; returns the rest in drop order (from the end, those over <c>max_items</c> first).</summary>
    private static List<DroppedItem> ApplyBudget(List<PackageItem> items, PackageBudget budget)
    {
        var fit = BudgetFit.Of(items.Select(item => item.TokenEstimate).ToArray(), budget.MaxItems, budget.MaxTokens);
        var dropped = new List<DroppedItem>();
        for (var index = items.Count - 1; index >= fit.Kept; index--)
        {
            dropped.Add(new DroppedItem(items[index].Id, items[index].ItemType, fit.ReasonAt(index)));
        }

        items.RemoveRange(fit.Kept, items.Count - fit.Kept);
        return dropped;
    }

    private static PackageItem NodeToItem(GraphNode node, string graphPath, ITokenCounter tokens) =>
        new(node.Id, NodeItem, node.Kind, node.Title, ExtractiveSummarizer.Summarize(node.Text, node.Title), tokens.CountTokens(TokenEstimator.ItemText(node.Title, node.Text)), OriginSpan(graphPath, node.Origin))
        {
            Text = node.Text,
            Source = node.Source,
            Provenance = node.Provenance,
            Policy = node.Policy,
            Freshness = node.Lifecycle,
        };

    private static PackageItem EventToItem(GraphEvent graphEvent, string graphPath, ITokenCounter tokens)
    {
        var title = graphEvent.Summary ?? string.Format(CultureInfo.InvariantCulture, "{0} at {1}", graphEvent.Kind, graphEvent.At);
        var touched = graphEvent.Nodes.Concat(graphEvent.Edges).ToArray();
        var text = touched.Length == 0 ? null : graphEvent.Kind + ": " + string.Join(", ", touched);
        return new PackageItem(graphEvent.Id, EventItem, graphEvent.Kind, title, ExtractiveSummarizer.Summarize(text, title), tokens.CountTokens(TokenEstimator.ItemText(title, text)), OriginSpan(graphPath, graphEvent.Origin))
        {
            Text = text,
            Event = new EventDetail(graphEvent.At)
            {
                Actor = graphEvent.Actor,
                Path = graphEvent.Path,
                Nodes = graphEvent.Nodes,
                Edges = graphEvent.Edges,
            },
        };
    }

    private static PackageEdge ToPackageEdge(GraphEdge edge, string selection) => new(edge.Id, edge.Kind, edge.Source, edge.Target, selection);

    /// <summary>The lines of the graph file that define the item; the file alone for items that come from a store, which have no position.</summary>
    private static SourceSpan OriginSpan(string graphPath, SourceLocation origin) =>
        origin.HasPosition
            ? new(graphPath.Replace('\\', '/'), origin.Line, Math.Max(origin.Line, origin.EndLine))
            : new(graphPath.Replace('\\', '/'));
}

/// <summary>What one source contributes to a package: ids picked from one graph.</summary>
/// <param name="Graph">The graph.</param>
/// <param name="GraphPath">The graph file as the recipe names it (recorded in each item's origin).</param>
/// <param name="Nodes">Picked node ids, in order.</param>
/// <param name="Edges">Picked edge ids.</param>
/// <param name="Events">Picked event ids, in order.</param>
public sealed record PackagePick(MemoryGraph Graph, string GraphPath, IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges, IReadOnlyList<string> Events);

/// <summary>A compiled package and, when the budget forced drops, what was dropped.</summary>
/// <param name="Package">The package.</param>
/// <param name="Overflow">What the budget forced out, or null when everything fit.</param>
public sealed record PackageCompilation(ContextPackage Package, BudgetOverflow? Overflow);

/// <summary>What a budget forced out of a package.</summary>
/// <param name="SelectedItems">How many items were selected.</param>
/// <param name="SelectedTokens">How many tokens they held.</param>
/// <param name="Dropped">The dropped items, in drop order.</param>
public sealed record BudgetOverflow(int SelectedItems, int SelectedTokens, IReadOnlyList<DroppedItem> Dropped);
