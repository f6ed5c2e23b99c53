using System.Globalization;
using System.Text;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage.Files;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime.Context;

/// <summary>
/// A local registry of context packages (by default <c>.memory/context</c>): packages built from a manifest, a
/// selection or a query, stored by namespace and stable id, with a lifecycle (packed, activated, deactivated,
/// refreshed). The local label policy filters items when a package is built and again at every activation;
/// summaries are built from what passed, so denied content cannot leak through them.
/// </summary>
/// <remarks>
/// It lives in the runtime package because it keeps durable state (packages, recipes, lifecycle logs) for agents
/// at run time; the contract core stays free of state and only compiles.
/// Layout: <c>&lt;root&gt;/&lt;namespace kind&gt;/&lt;namespace id&gt;/&lt;package id&gt;/{package.json, recipe.json, lifecycle.jsonl}</c>,
/// ids turned into names by <see cref="IdFileName"/>.
/// </remarks>
public sealed class ContextRegistry
{
    /// <summary>The registry folder used when none is given.</summary>
    public const string DefaultFolder = ".memory/context";

    private readonly ContextRegistryOptions _options;

    /// <summary>Opens (or will create) a registry folder.</summary>
    public ContextRegistry(string root, ContextRegistryOptions? options = null)
    {
        Root = Path.GetFullPath(root);
        _options = options ?? ContextRegistryOptions.Default;
        if (_options.IntegrityKey is { Length: < 16 })
        {
            throw new ArgumentException("the registry's integrity key must be at least 16 bytes", nameof(options));
        }
    }

    /// <summary>The namespace of packages that name none: <c>project/default</c>.</summary>
    public static MemoryNamespace DefaultNamespace { get; } = new("project", "default");

    /// <summary>The registry folder.</summary>
    public string Root { get; }

    /// <summary>
    /// The recipe for a manifest or selection file (detected from its <c>schema_version</c>), in the namespace the
    /// file names, else <paramref name="namespace"/>, else the default.
    /// </summary>
    /// <remarks>With <paramref name="root"/>, the file and everything it names must lie inside that folder (MC4010).</remarks>
    public static ContextRecipe RecipeFor(string path, MemoryNamespace? @namespace = null, string? policy = null, string? root = null)
    {
        var result = Validate(new ContractValidator(new ValidationOptions { Root = root }), path, root);
        if (result.Manifest is { } manifest)
        {
            var manifestPolicy = manifest.Policy is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(result.FullPath)!, manifest.Policy));
            return new ContextRecipe("manifest", result.FullPath, manifest.Id) { Namespace = manifest.Namespace ?? @namespace ?? DefaultNamespace, Policy = policy ?? manifestPolicy };
        }

        if (result.Selection is { } selection)
        {
            return new ContextRecipe("selection", result.FullPath, selection.Id) { Namespace = selection.Namespace ?? @namespace ?? DefaultNamespace, Policy = policy };
        }

        throw MemoryStoreException.Create(DiagnosticCatalog.ImportRefused, path, path, $"it is a {result.Contract?.SchemaVersion ?? "non-contract"} file; a package is packed from a manifest or a selection (or from a query over a graph)");
    }

    /// <summary>Builds a package from its recipe and registers it (replacing a package of the same namespace and id).</summary>
    public RegistryEntry Pack(ContextRecipe recipe, string actor)
    {
        var (package, reasons, withheld) = Build(recipe);
        var folder = Folder(recipe.Namespace, recipe.Id);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, "recipe.json"), JsonSerializer.SerializeToUtf8Bytes(recipe, SnakeCaseJson.Compact.ContextRecipe));
        AtomicFile.WriteAllText(Path.Combine(folder, "package.json"), ContextPackageWriter.Write(package, PackageFormat.Json));
        Record(recipe.Namespace, recipe.Id, new LifecycleEntry(Now(), actor, "packed", ContextPackageWriter.ComputeDigest(package)) { Reasons = reasons, Withheld = withheld });
        return Entry(recipe.Namespace, recipe.Id);
    }

    /// <summary>The registered package.</summary>
    /// <remarks>
    /// The package is verified before it is returned: its content must hash to the digest stored in it and to the
    /// digest its lifecycle log recorded when it was packed or refreshed (MC5029 otherwise), so an edited
    /// <c>package.json</c> is never served by activate, explain or deactivate.
    /// </remarks>
    public ContextPackage Load(MemoryNamespace @namespace, string id)
    {
        var path = Path.Combine(Folder(@namespace, id), "package.json");
        if (!File.Exists(path))
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Root, "package", id, $" (namespace {@namespace.Kind}/{@namespace.Id})");
        }

        var result = Validate(new ContractValidator(), path, root: null);
        var package = result.ContextPackage!;
        var digest = ContextPackageWriter.ComputeDigest(package);
        var stored = result.Document!.Root.GetOptionalString("digest");
        var built = History(@namespace, id).LastOrDefault(entry => entry.Action is "packed" or "refreshed");
        var packed = built?.Digest;
        var which = stored != digest ? $"its own digest ({stored ?? "none"}; its content hashes to {digest})"
            : packed is not null && packed != digest ? $"the digest its lifecycle log recorded when it was packed ({packed})"
            : _options.IntegrityKey is { } key && (built is null || built.Mac is null || !MacMatches(key, @namespace, id, digest, built.Mac))
                ? "the registry's integrity MAC (its lifecycle log has no packed or refreshed entry signed with the configured key for this digest)"
            : null;
        if (which is not null)
        {
            var tampered = DiagnosticCatalog.PackageTampered.Create(SourceLocation.File(path), id, which);
            Telemetry.MemoryTelemetry.IntegrityFindings(Root, [tampered]);
            throw new MemoryStoreException(tampered);
        }

        return package;
    }

    /// <summary>The registered packages, in one namespace or all, ordered by namespace and id.</summary>
    public IReadOnlyList<RegistryEntry> List(MemoryNamespace? @namespace = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory.GetFiles(Root, "recipe.json", SearchOption.AllDirectories)
            .Select(path => SnakeCaseJson.Read(File.ReadAllBytes(path), SnakeCaseJson.Compact.ContextRecipe))
            .Where(recipe => @namespace is null || recipe.Namespace == @namespace)
            .OrderBy(recipe => recipe.Namespace.Kind, StringComparer.Ordinal).ThenBy(recipe => recipe.Namespace.Id, StringComparer.Ordinal).ThenBy(recipe => recipe.Id, StringComparer.Ordinal)
            .Select(recipe => Entry(recipe.Namespace, recipe.Id))
            .ToArray();
    }

    /// <summary>
    /// Activates a package: re-checks the policy on every item (the policy file may have changed since), applies
    /// the budget (the longest prefix that fits, as compiling does), rebuilds the summary from what remains, records the activation, and returns the envelope.
    /// </summary>
    public ActivationEnvelope Activate(MemoryNamespace @namespace, string id, string actor)
    {
        var package = Load(@namespace, id);
        var (items, withheld, policies) = ApplyPolicies(package, ReadRecipe(@namespace, id));
        var policy = policies.FirstOrDefault(candidate => !candidate.AssistedSummaries) ?? policies.FirstOrDefault();

        var itemTokens = items.Select(Tokens).ToArray();
        var fit = BudgetFit.Of(itemTokens, package.Budget.MaxItems, package.Budget.MaxTokens);
        var kept = items.Take(fit.Kept).ToList();
        var tokens = itemTokens.Take(fit.Kept).Sum();
        withheld.AddRange(items.Skip(fit.Kept).Select((item, offset) => new WithheldItem(item.Id, "budget: " + fit.ReasonAt(fit.Kept + offset))));

        var digest = ContextPackageWriter.ComputeDigest(package);
        var envelope = new ActivationEnvelope(package.Id, @namespace, digest, Now(), actor)
        {
            Budget = package.Budget,
            Summary = Summaries(package.Recipe.GraphId ?? package.Id, kept, withheld.Count(item => item.Reason.StartsWith("budget:", StringComparison.Ordinal)), withheld.Count(item => !item.Reason.StartsWith("budget:", StringComparison.Ordinal)), policy),
            TokenEstimate = tokens,
            TokenCounter = (_options.TokenCounter ?? TokenEstimator.Default).Name,
            Items = kept.Select(item => new ActivatedItem(item.Id, item.Kind, item.Title, item.Text, Tokens(item), SpanText(item.Source))).ToArray(),
            Withheld = withheld,
        };
        Record(@namespace, id, new LifecycleEntry(envelope.ActivatedAt, actor, "activated", digest) { Withheld = withheld, Note = $"{kept.Count} item(s), {tokens} tokens" });
        return envelope;
    }

    /// <summary>An item's tokens by the registry's counter, or as the package recorded them when it has none.</summary>
    private int Tokens(PackageItem item) =>
        _options.TokenCounter is { } counter ? counter.CountTokens(TokenEstimator.ItemText(item.Title, item.Text)) : item.TokenEstimate;

    /// <summary>Records that a package is no longer active.</summary>
    public void Deactivate(MemoryNamespace @namespace, string id, string actor)
    {
        var package = Load(@namespace, id);
        Record(@namespace, id, new LifecycleEntry(Now(), actor, "deactivated", ContextPackageWriter.ComputeDigest(package)));
    }

    /// <summary>Rebuilds a package from its recipe (the fixtures and the policy as they are now) and reports what changed.</summary>
    public RefreshReport Refresh(MemoryNamespace @namespace, string id, string actor)
    {
        // A stored package that fails its digest is not compared with: the refresh rebuilds it from the recipe.
        ContextPackage? before;
        try
        {
            before = Load(@namespace, id);
        }
        catch (MemoryStoreException exception) when (exception.Code == DiagnosticCatalog.PackageTampered.Code)
        {
            before = null;
        }

        var recipe = ReadRecipe(@namespace, id);
        var (after, reasons, withheld) = Build(recipe);
        var old = (before?.Items ?? []).ToDictionary(item => item.Id, ContentOf, StringComparer.Ordinal);
        var now = after.Items.ToDictionary(item => item.Id, ContentOf, StringComparer.Ordinal);
        var report = new RefreshReport(
            now.Keys.Where(key => !old.ContainsKey(key)).ToArray(),
            old.Keys.Where(key => !now.ContainsKey(key)).ToArray(),
            now.Keys.Where(key => old.TryGetValue(key, out var content) && content != now[key]).ToArray(),
            ContextPackageWriter.ComputeDigest(after));
        AtomicFile.WriteAllText(Path.Combine(Folder(@namespace, id), "package.json"), ContextPackageWriter.Write(after, PackageFormat.Json));
        Record(@namespace, id, new LifecycleEntry(Now(), actor, "refreshed", report.Digest)
        {
            Reasons = reasons,
            Withheld = withheld,
            Note = (before is null ? "the stored package failed its digest and was rebuilt; " : string.Empty)
                + (report.Unchanged ? "unchanged" : $"{report.Added.Count} added, {report.Removed.Count} removed, {report.Changed.Count} changed"),
        });
        return report;
    }

    /// <summary>Every included item with its source span, token estimate, freshness and the reason it is there.</summary>
    public PackageExplanation Explain(MemoryNamespace @namespace, string id)
    {
        var package = Load(@namespace, id);
        var history = History(@namespace, id);
        var built = history.LastOrDefault(entry => entry.Action is "packed" or "refreshed");
        var now = _options.Clock.GetUtcNow();

        // Explain shows what activation would serve now: the policies as they stand, not as they stood when packed.
        var (items, withheldNow, _) = ApplyPolicies(package, ReadRecipe(@namespace, id));
        return new PackageExplanation(
            package.Id,
            @namespace,
            StateOf(history),
            items.Select(item => new ExplainedItem(item.Id, item.Kind, SpanText(item.Source) ?? SpanText(item.Origin)!, item.TokenEstimate, Freshness(item.Freshness, now), built?.Reasons?.GetValueOrDefault(item.Id) ?? "selected")).ToArray(),
            [.. built?.Withheld ?? [], .. withheldNow],
            package.Dropped.Select(item => new WithheldItem(item.Id, "budget: " + item.Reason)).ToArray());
    }

    /// <summary>
    /// What the package may serve under its policies as they stand now: the policy the recipe names and, for a
    /// manifest, the policy the manifest names today (a stricter file swapped in counts at once); an item either
    /// denies is withheld, and so is an event item that touches a withheld node (its text may describe it).
    /// </summary>
    private (List<PackageItem> Items, List<WithheldItem> Withheld, List<ContextPolicy> Policies) ApplyPolicies(ContextPackage package, ContextRecipe recipe)
    {
        var policies = new List<ContextPolicy>();
        if (LoadPolicy(recipe.Policy) is { } named)
        {
            policies.Add(named);
        }

        if (recipe.Source == "manifest" && Validate(new ContractValidator(new ValidationOptions { Root = _options.FixtureRoot }), recipe.Path).Manifest?.Policy is { } current
            && Path.GetFullPath(Path.Combine(Path.GetDirectoryName(recipe.Path)!, current)) is var currentPath && currentPath != recipe.Policy && LoadPolicy(currentPath) is { } now)
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

    /// <summary>A registered package as indented snake_case JSON for agents.</summary>
    public static string ToJson(RegistryEntry entry) => SnakeCaseJson.Write(entry, SnakeCaseJson.Indented.RegistryEntry);

    /// <summary>The registered packages (<see cref="List"/>) as indented snake_case JSON for agents.</summary>
    public static string ToJson(IReadOnlyList<RegistryEntry> entries) => SnakeCaseJson.Write(entries, SnakeCaseJson.Indented.IReadOnlyListRegistryEntry);

    /// <summary>An activation as indented snake_case JSON for agents.</summary>
    public static string ToJson(ActivationEnvelope envelope) => SnakeCaseJson.Write(envelope, SnakeCaseJson.Indented.ActivationEnvelope);

    /// <summary>A refresh report as indented snake_case JSON for agents.</summary>
    public static string ToJson(RefreshReport report) => SnakeCaseJson.Write(report, SnakeCaseJson.Indented.RefreshReport);

    /// <summary>An explanation as indented snake_case JSON for agents.</summary>
    public static string ToJson(PackageExplanation explanation) => SnakeCaseJson.Write(explanation, SnakeCaseJson.Indented.PackageExplanation);

    /// <summary>The lifecycle log of a package, oldest first.</summary>
    public IReadOnlyList<LifecycleEntry> History(MemoryNamespace @namespace, string id)
    {
        var path = Path.Combine(Folder(@namespace, id), "lifecycle.jsonl");
        return File.Exists(path)
            ? File.ReadAllLines(path).Where(line => line.Length > 0).Select(line => SnakeCaseJson.Read(line, SnakeCaseJson.Compact.LifecycleEntry)).ToArray()
            : [];
    }

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
    private static FixtureResult Validate(ContractValidator validator, string path, string? root)
    {
        if (root is not null && RootedPath.Escape(root, path) is { } outside)
        {
            throw new MemoryStoreException(DiagnosticCatalog.ReferenceOutsideRoot.Create(SourceLocation.File(path), "fixture", path, outside, Path.GetFullPath(root)));
        }

        var result = validator.Validate(path);
        var errors = validator.Results.SelectMany(fixture => fixture.Diagnostics).Where(diagnostic => diagnostic.IsError).Distinct().ToArray();
        return errors.Length == 0 ? result : throw new MemoryStoreException(errors);
    }

    private static string Near(string file, string relative) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, relative));

    private ContextRecipe ReadRecipe(MemoryNamespace @namespace, string id)
    {
        var path = Path.Combine(Folder(@namespace, id), "recipe.json");
        return File.Exists(path)
            ? SnakeCaseJson.Read(File.ReadAllBytes(path), SnakeCaseJson.Compact.ContextRecipe)
            : throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Root, "package", id, $" (namespace {@namespace.Kind}/{@namespace.Id})");
    }

    private RegistryEntry Entry(MemoryNamespace @namespace, string id)
    {
        var package = Load(@namespace, id);
        var history = History(@namespace, id);
        var last = history.LastOrDefault();
        return new RegistryEntry(@namespace, id, package.Items.Count, package.TokenEstimate, StateOf(history), last is null ? "-" : $"{last.Action} {last.At}");
    }

    private static string StateOf(IReadOnlyList<LifecycleEntry> history) =>
        history.LastOrDefault(entry => entry.Action is "activated" or "deactivated")?.Action == "activated" ? "active" : "inactive";

    /// <summary>Appends a lifecycle entry durably, through the same line file as the event log (a torn last line is set aside first).</summary>
    /// <summary>Appends a lifecycle entry, with an operation id of its own, durably.</summary>
    private void Record(MemoryNamespace @namespace, string id, LifecycleEntry entry)
    {
        using var log = LineFile.Open(Path.Combine(Folder(@namespace, id), "lifecycle.jsonl"), out _);
        var recorded = entry with
        {
            Operation = entry.Operation ?? MemoryWorkspace.NewOperationId(),
            Mac = _options.IntegrityKey is { } key && entry.Action is "packed" or "refreshed" ? Mac(key, @namespace, id, entry.Digest) : null,
        };
        log.WaitDurable(log.Enqueue(Encoding.UTF8.GetBytes(SnakeCaseJson.Write(recorded, SnakeCaseJson.Compact.LifecycleEntry)), 1));
    }

    /// <summary>The registry MAC of a package digest: HMAC-SHA256 over the namespace, the package id and the digest.</summary>
    private static string Mac(byte[] key, MemoryNamespace @namespace, string id, string digest) =>
        "hmac-sha256:" + Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"markitect.context.package\n{@namespace.Kind}\n{@namespace.Id}\n{id}\n{digest}"))).ToLowerInvariant();

    private static bool MacMatches(byte[] key, MemoryNamespace @namespace, string id, string digest, string mac) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Mac(key, @namespace, id, digest)), Encoding.UTF8.GetBytes(mac));

    private string Folder(MemoryNamespace @namespace, string id) =>
        Path.Combine(Root, IdFileName.For(@namespace.Kind), IdFileName.For(@namespace.Id), IdFileName.For(id));

    private string Now() => MemoryWorkspace.Format(_options.Clock.GetUtcNow());

    private static string ContentOf(PackageItem item) => string.Join("\u001f", item.Kind, item.Title, item.Text, item.Summary, item.TokenEstimate, item.Freshness?.State, item.Freshness?.UpdatedAt);

    private static string? SpanText(SourceSpan? span) => span is null ? null : Paths.PathOperations.SpanText(span);

    private static string Freshness(MemoryLifecycle? lifecycle, DateTimeOffset now)
    {
        if (lifecycle is null)
        {
            return "no lifecycle recorded";
        }

        var state = lifecycle.State ?? "active";
        var changed = lifecycle.UpdatedAt ?? lifecycle.CreatedAt;
        if (changed is null || !DateTimeOffset.TryParse(changed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
        {
            return state;
        }

        var days = (int)(now - time).TotalDays;
        var stale = lifecycle.StaleAfterDays is { } limit && days > limit ? $", stale after {limit} days" : string.Empty;
        return $"{state}, changed {changed} ({days} days ago){stale}";
    }
}
