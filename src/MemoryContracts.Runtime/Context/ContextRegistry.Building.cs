using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime.Context;

/// <summary>How the registry builds a package from its recipe: the fixtures validated (inside the root), the policy applied to what is picked, the package compiled.</summary>
public sealed partial class ContextRegistry
{
    /// <summary>
    /// Builds a package from its recipe. Asynchronously (<paramref name="useAsync"/>), each fixture and the files it
    /// names are read without blocking before they are validated; cancellation is honoured while they are read.
    /// </summary>
    private async ValueTask<(ContextPackage Package, Dictionary<string, string> Reasons, List<WithheldItem> Withheld)> BuildAsync(bool useAsync, ContextRecipe recipe, CancellationToken cancellationToken)
    {
        var validator = FixtureValidator();
        var policy = await LoadPolicyAsync(useAsync, recipe.Policy, cancellationToken).ConfigureAwait(false);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var withheld = new List<WithheldItem>();
        ContextPackage template;
        var picks = new List<PackagePick>();
        switch (recipe.Source)
        {
            case "selection":
            {
                var result = await ValidateAsync(useAsync, validator, recipe.Path, cancellationToken).ConfigureAwait(false);
                var selection = result.Selection!;
                var graph = (await ValidateAsync(useAsync, validator, Near(recipe.Path, selection.Graph), cancellationToken).ConfigureAwait(false)).Graph!;
                var profile = selection.Profile is null ? null : (await ValidateAsync(useAsync, validator, Near(recipe.Path, selection.Profile), cancellationToken).ConfigureAwait(false)).Profile;
                var pick = Filter(new PackagePick(graph, selection.Graph, selection.Nodes, selection.Edges, selection.Events), policy, withheld);
                Explain(reasons, pick, $"selected by {Path.GetFileName(recipe.Path)}");
                var compiled = SelectionCompiler.Compile(selection with { Nodes = pick.Nodes, Edges = pick.Edges, Events = pick.Events }, graph, profile, Path.GetFileName(recipe.Path), _options.TokenCounter).Package;
                return (Finish(compiled with { Namespace = recipe.Namespace }, policy), reasons, withheld);
            }

            case "manifest":
            {
                var manifest = (await ValidateAsync(useAsync, validator, recipe.Path, cancellationToken).ConfigureAwait(false)).Manifest!;
                var index = 0;
                foreach (var source in manifest.Sources)
                {
                    index++;
                    PackagePick pick;
                    string why;
                    if (source.Selection is { } selectionPath)
                    {
                        var selection = (await ValidateAsync(useAsync, validator, Near(recipe.Path, selectionPath), cancellationToken).ConfigureAwait(false)).Selection!;
                        var graph = (await ValidateAsync(useAsync, validator, Near(Near(recipe.Path, selectionPath), selection.Graph), cancellationToken).ConfigureAwait(false)).Graph!;
                        pick = new PackagePick(graph, selection.Graph, selection.Nodes, selection.Edges, selection.Events);
                        why = $"source {index}: selection {selectionPath}";
                    }
                    else
                    {
                        var graph = (await ValidateAsync(useAsync, validator, Near(recipe.Path, source.Graph!), cancellationToken).ConfigureAwait(false)).Graph!;
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
                var graph = (await ValidateAsync(useAsync, validator, recipe.Path, cancellationToken).ConfigureAwait(false)).Graph!;
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

    private async ValueTask<ContextPolicy?> LoadPolicyAsync(bool useAsync, string? path, CancellationToken cancellationToken) =>
        path is null ? null : (await ValidateAsync(useAsync, FixtureValidator(), path, cancellationToken).ConfigureAwait(false)).Policy
            ?? throw MemoryStoreException.Create(DiagnosticCatalog.ImportRefused, path, path, "it is not a markitect.context.policy.v1 file");

    /// <summary>A validator for the fixtures recipes name, which must stay inside the fixture root.</summary>
    private ContractValidator FixtureValidator() => new(new ValidationOptions { Root = _options.FixtureRoot });

    /// <summary>
    /// Validates a fixture the registry reads, refusing one outside the root (MC4010) before reading it; asynchronously,
    /// the fixture and the files it names are read without blocking first.
    /// </summary>
    private async ValueTask<FixtureResult> ValidateAsync(bool useAsync, ContractValidator validator, string path, CancellationToken cancellationToken)
    {
        RefuseOutsideRoot(path, _options.FixtureRoot);
        return Checked(validator, useAsync ? await validator.ValidateAsync(path, cancellationToken).ConfigureAwait(false) : validator.Validate(path));
    }

    /// <summary>Validates a fixture (or content read already), refusing one outside the root (MC4010) before reading it.</summary>
    private static FixtureResult Validate(ContractValidator validator, string path, string? root, byte[]? content = null)
    {
        RefuseOutsideRoot(path, root);
        return Checked(validator, content is null ? validator.Validate(path) : validator.Validate(path, content));
    }

    private static void RefuseOutsideRoot(string path, string? root)
    {
        if (root is not null && RootedPath.Escape(root, path) is { } outside)
        {
            throw new MemoryStoreException(DiagnosticCatalog.ReferenceOutsideRoot.Create(SourceLocation.File(path), "fixture", path, outside, Path.GetFullPath(root)));
        }
    }

    /// <summary>The result, unless the validator found an error in it or in a file it names.</summary>
    private static FixtureResult Checked(ContractValidator validator, FixtureResult result)
    {
        var errors = validator.Results.SelectMany(fixture => fixture.Diagnostics).Where(diagnostic => diagnostic.IsError).Distinct().ToArray();
        return errors.Length == 0 ? result : throw new MemoryStoreException(errors);
    }

    private static string Near(string file, string relative) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, relative));
}
