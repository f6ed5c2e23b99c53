using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime.Context;

/// <summary>How the registry builds a package from its recipe: the fixtures validated (inside the root), the policy applied to what is picked, the package compiled.</summary>
public sealed partial class ContextRegistry
{
    private (ContextPackage Package, Dictionary<string, string> Reasons, List<WithheldItem> Withheld) Build(ContextRecipe recipe)
    {
        var validator = new ContractValidator(new ValidationOptions { Root = _options.FixtureRoot });
        var policy = LoadPolicy(recipe.Policy);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var withheld = new List<WithheldItem>();
        ContextPackage template;
        var picks = new List<PackagePick>();
        switch (recipe.Source)
        {
            case "selection":
            {
                var result = Validate(validator, recipe.Path);
                var selection = result.Selection!;
                var graph = Validate(validator, Near(recipe.Path, selection.Graph)).Graph!;
                var profile = selection.Profile is null ? null : Validate(validator, Near(recipe.Path, selection.Profile)).Profile;
                var pick = Filter(new PackagePick(graph, selection.Graph, selection.Nodes, selection.Edges, selection.Events), policy, withheld);
                Explain(reasons, pick, $"selected by {Path.GetFileName(recipe.Path)}");
                var compiled = SelectionCompiler.Compile(selection with { Nodes = pick.Nodes, Edges = pick.Edges, Events = pick.Events }, graph, profile, Path.GetFileName(recipe.Path), _options.TokenCounter).Package;
                return (Finish(compiled with { Namespace = recipe.Namespace }, policy), reasons, withheld);
            }

            case "manifest":
            {
                var manifest = Validate(validator, recipe.Path).Manifest!;
                var index = 0;
                foreach (var source in manifest.Sources)
                {
                    index++;
                    PackagePick pick;
                    string why;
                    if (source.Selection is { } selectionPath)
                    {
                        var selection = Validate(validator, Near(recipe.Path, selectionPath)).Selection!;
                        var graph = Validate(validator, Near(Near(recipe.Path, selectionPath), selection.Graph)).Graph!;
                        pick = new PackagePick(graph, selection.Graph, selection.Nodes, selection.Edges, selection.Events);
                        why = $"source {index}: selection {selectionPath}";
                    }
                    else
                    {
                        var graph = Validate(validator, Near(recipe.Path, source.Graph!)).Graph!;
                        var query = source.Query ?? new NodeQuery();
                        pick = new PackagePick(graph, source.Graph!, graph.Nodes.Where(query.Matches).Select(node => node.Id).ToArray(), [], []);
                        why = $"source {index}: {source.Graph} matched {query}";
                    }

                    pick = Filter(pick, policy, withheld);
                    Explain(reasons, pick, why);
                    picks.Add(pick);
                }

                var budget = manifest.Budget is { } limits ? new PackageBudget(limits.MaxItems, limits.MaxTokens, BudgetSource.Manifest.ToWireName()) : new PackageBudget(null, null, BudgetSource.None.ToWireName());
                template = new ContextPackage(manifest.Id, new PackageRecipe(RecipeKind.Manifest.ToWireName()) { Manifest = Path.GetFileName(recipe.Path), GraphId = picks.Count == 0 ? null : SelectionCompiler.GraphLabel(picks) }, budget)
                {
                    Title = manifest.Title,
                    Description = manifest.Description,
                };
                break;
            }

            case "query":
            {
                var graph = Validate(validator, recipe.Path).Graph!;
                var query = recipe.Query ?? new NodeQuery();
                var pick = Filter(new PackagePick(graph, Path.GetFileName(recipe.Path), graph.Nodes.Where(query.Matches).Select(node => node.Id).ToArray(), [], []), policy, withheld);
                Explain(reasons, pick, $"{Path.GetFileName(recipe.Path)} matched {query}");
                picks.Add(pick);
                var budget = recipe.Budget is { } limits ? new PackageBudget(limits.MaxItems, limits.MaxTokens, BudgetSource.Query.ToWireName()) : new PackageBudget(null, null, BudgetSource.None.ToWireName());
                template = new ContextPackage(recipe.Id, new PackageRecipe(RecipeKind.Query.ToWireName()) { Graph = Path.GetFileName(recipe.Path), GraphId = graph.Id, Query = query }, budget) { Title = recipe.Title };
                break;
            }

            default:
                throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, recipe.Path, "recipe source", recipe.Source, string.Empty);
        }

        var package = SelectionCompiler.Compile(template with { Namespace = recipe.Namespace }, picks, _options.TokenCounter).Package;
        return (Finish(package, policy), reasons, withheld);
    }

    /// <summary>Adds the assisted summary layer where a summarizer is configured and the policy allows it.</summary>
    private ContextPackage Finish(ContextPackage package, ContextPolicy? policy) =>
        _options.AssistedSummarizer is { } assisted && policy?.AssistedSummaries == true
            ? package with { Summary = [.. package.Summary, new SummaryLayer(SummaryKind.Assisted.ToWireName(), assisted.Summarize(package.Items))] }
            : package;

    /// <summary>The summary layers of an activation; items the budget dropped and items the policy withheld are told apart.</summary>
    private IReadOnlyList<SummaryLayer> Summaries(string graphLabel, IReadOnlyList<PackageItem> items, int dropped, int withheldByPolicy, ContextPolicy? policy)
    {
        var extractive = SelectionCompiler.Summarize(graphLabel, items, dropped) + (withheldByPolicy == 0 ? string.Empty : $" {withheldByPolicy} item(s) were withheld by policy.");
        var layers = new List<SummaryLayer> { new(SummaryKind.Extractive.ToWireName(), extractive) };
        if (_options.AssistedSummarizer is { } assisted && policy?.AssistedSummaries == true)
        {
            layers.Add(new SummaryLayer(SummaryKind.Assisted.ToWireName(), assisted.Summarize(items)));
        }

        return layers;
    }

    /// <summary>Leaves out denied nodes, the events that touch them and the edges that end at them.</summary>
    private static PackagePick Filter(PackagePick pick, ContextPolicy? policy, List<WithheldItem> withheld)
    {
        if (policy is null)
        {
            return pick;
        }

        var denied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in pick.Nodes)
        {
            if (LabelPolicyFilter.Deny(policy, pick.Graph.FindNode(id)!.Policy) is { } reason)
            {
                denied.Add(id);
                withheld.Add(new WithheldItem(id, reason));
            }
        }

        var events = pick.Events.Where(id => !pick.Graph.FindEvent(id)!.Nodes.Any(denied.Contains)).ToArray();
        withheld.AddRange(pick.Events.Except(events, StringComparer.Ordinal).Select(id => new WithheldItem(id, "it touches a denied node")));
        return pick with
        {
            Nodes = pick.Nodes.Where(id => !denied.Contains(id)).ToArray(),
            Edges = pick.Edges.Where(id => pick.Graph.FindEdge(id) is { } edge && !denied.Contains(edge.Source) && !denied.Contains(edge.Target)).ToArray(),
            Events = events,
        };
    }

    private static void Explain(Dictionary<string, string> reasons, PackagePick pick, string why)
    {
        foreach (var id in pick.Nodes.Concat(pick.Events))
        {
            reasons.TryAdd(id, why);
        }
    }

    private ContextPolicy? LoadPolicy(string? path) =>
        path is null ? null : Validate(new ContractValidator(new ValidationOptions { Root = _options.FixtureRoot }), path).Policy ?? throw MemoryStoreException.Create(DiagnosticCatalog.ImportRefused, path, path, "it is not a markitect.context.policy.v1 file");

    private FixtureResult Validate(ContractValidator validator, string path) => Validate(validator, path, _options.FixtureRoot);

    /// <summary>Validates a fixture the registry reads, refusing one outside the root (MC4010) before reading it.</summary>
    private static FixtureResult Validate(ContractValidator validator, string path, string? root, byte[]? content = null)
    {
        if (root is not null && RootedPath.Escape(root, path) is { } outside)
        {
            throw new MemoryStoreException(DiagnosticCatalog.ReferenceOutsideRoot.Create(SourceLocation.File(path), "fixture", path, outside, Path.GetFullPath(root)));
        }

        var result = content is null ? validator.Validate(path) : validator.Validate(path, content);
        var errors = validator.Results.SelectMany(fixture => fixture.Diagnostics).Where(diagnostic => diagnostic.IsError).Distinct().ToArray();
        return errors.Length == 0 ? result : throw new MemoryStoreException(errors);
    }

    private static string Near(string file, string relative) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, relative));
}
