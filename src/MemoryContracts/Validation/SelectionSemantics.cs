using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Packing;

namespace MemoryContracts.Validation;

/// <summary>
/// Selection checks: the graph and profile files exist, follow the right contracts and are valid (MC4001,
/// MC4004, MC4005, MC4007); every selected id is in the graph (MC4002) and selected once (MC4006). A valid
/// selection is compiled, so budget overflow (MC4003) is reported by validation as well as by packing.
/// </summary>
internal sealed class SelectionSemantics : IContractSemantics
{
    /// <summary>The family this checks, as the schema's <c>x-contract</c> names it.</summary>
    internal const string FamilyName = "selection";

    public string Family => FamilyName;

    public void Check(FixtureContext context)
    {
        var root = context.Root;
        root.TryGetProperty(SelectionFields.Graph, out var graphReference);
        var graph = FixtureReferences.Resolve(context, graphReference, "graph", "graph")?.Graph;
        var hasProfile = root.TryGetProperty(SelectionFields.Profile, out var profileReference);
        var profile = hasProfile ? FixtureReferences.Resolve(context, profileReference, "profile", "profile")?.Profile : null;

        root.TryGetProperty(SelectionFields.Select, out var select);
        if (graph is not null)
        {
            CheckIds(context, select, SelectionSelectFields.Nodes, "node", graph, id => graph.FindNode(id) is not null);
            CheckIds(context, select, SelectionSelectFields.Edges, "edge", graph, id => graph.FindEdge(id) is not null);
            CheckIds(context, select, SelectionSelectFields.Events, "event", graph, id => graph.FindEvent(id) is not null);
        }

        if (graph is null || (hasProfile && profile is null) || context.Fixture.HasErrors)
        {
            return;
        }

        var compilation = SelectionCompiler.Compile(context.Fixture.Selection!, graph, profile, Path.GetFileName(context.Fixture.Path));
        context.Fixture.Package = compilation;
        if (compilation.Overflow is { } overflow)
        {
            var at = root.TryGetProperty(SelectionFields.Budget, out var budget) ? budget : hasProfile ? profileReference : root;
            var limits = compilation.Package.Budget;
            var described = string.Join(", ", new[]
            {
                limits.MaxItems is { } items ? "max_items " + items.ToString(CultureInfo.InvariantCulture) : null,
                limits.MaxTokens is { } tokens ? "max_tokens " + tokens.ToString(CultureInfo.InvariantCulture) : null,
            }.Where(part => part is not null)) + " from the " + limits.Source;
            var dropped = overflow.Dropped.Count.ToString(CultureInfo.InvariantCulture) + " item(s): " + string.Join(", ", overflow.Dropped.Select(item => item.Id));
            context.Report(DiagnosticCatalog.BudgetExceeded, at, compilation.Package.Id, described, overflow.SelectedItems, overflow.SelectedTokens, dropped);
        }
    }

    private static void CheckIds(FixtureContext context, DocumentNode select, string list, string element, MemoryGraph graph, Func<string, bool> exists)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in DocumentItems.Of(select, list).Where(item => item.IsString))
        {
            var id = item.GetString();
            if (seen.TryGetValue(id, out var line))
            {
                context.Report(DiagnosticCatalog.DuplicateSelection, item, id, line);
                continue;
            }

            seen.Add(id, item.Location.Line);
            if (!exists(id))
            {
                context.Report(DiagnosticCatalog.SelectedIdMissing, item, element, id, graph.Id);
            }
        }
    }
}
