using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>
/// Context manifest checks: each source names exactly one of a selection or a graph, a query goes with a graph
/// (MC4008), and every named file exists, follows the right contract and is valid (MC4001, MC4004, MC4005).
/// </summary>
internal sealed class ManifestSemantics : IContractSemantics
{
    /// <summary>The family this checks, as the schema's <c>x-contract</c> names it.</summary>
    internal const string FamilyName = "manifest";

    public string Family => FamilyName;

    public void Check(FixtureContext context)
    {
        var index = 0;
        foreach (var source in DocumentItems.Of(context.Root, ManifestFields.Sources))
        {
            var hasSelection = source.TryGetProperty(ManifestSourceFields.Selection, out var selection);
            var hasGraph = source.TryGetProperty(ManifestSourceFields.Graph, out var graph);
            var hasQuery = source.TryGetProperty(ManifestSourceFields.Query, out _);
            if (hasSelection == hasGraph)
            {
                context.Report(DiagnosticCatalog.ManifestSourceShape, source, $"source {index} must name exactly one of 'selection' or 'graph'");
            }
            else if (hasSelection && hasQuery)
            {
                context.Report(DiagnosticCatalog.ManifestSourceShape, source, $"source {index} has a 'query' but no 'graph'; a query runs over a graph, and a selection already names its ids");
            }
            else if (hasSelection)
            {
                FixtureReferences.Resolve(context, selection, "selection", "selection");
            }
            else
            {
                FixtureReferences.Resolve(context, graph, "graph", "graph");
            }

            index++;
        }

        if (context.Root.TryGetProperty(ManifestFields.Policy, out var policy) && policy.IsString)
        {
            FixtureReferences.Locate(context, policy, "policy");
        }
    }
}
