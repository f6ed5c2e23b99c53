using System.Globalization;
using System.Text;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
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
public sealed partial class ContextRegistry
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
    public RegistryEntry Pack(ContextRecipe recipe, string actor) => Synchronously.Run(PackAsync(useAsync: false, recipe, actor, CancellationToken.None));

    /// <summary>
    /// Builds a package from its recipe and registers it, asynchronously. Cancellation is honoured until the first
    /// registry file is written; from then on the pack finishes, so a package never lacks its lifecycle entry.
    /// </summary>
    public ValueTask<RegistryEntry> PackAsync(ContextRecipe recipe, string actor, CancellationToken cancellationToken = default) =>
        PackAsync(useAsync: true, recipe, actor, cancellationToken);

    private async ValueTask<RegistryEntry> PackAsync(bool useAsync, ContextRecipe recipe, string actor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (package, reasons, withheld) = await BuildAsync(useAsync, recipe, cancellationToken).ConfigureAwait(false);
        var folder = Folder(recipe.Namespace, recipe.Id);
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(folder);
        await RegistryFiles.WriteAsync(useAsync, Path.Combine(folder, "recipe.json"), JsonSerializer.SerializeToUtf8Bytes(recipe, SnakeCaseJson.Compact.ContextRecipe)).ConfigureAwait(false);
        await RegistryFiles.WriteAsync(useAsync, Path.Combine(folder, "package.json"), Encoding.UTF8.GetBytes(ContextPackageWriter.Write(package, PackageFormat.Json))).ConfigureAwait(false);
        await RecordAsync(useAsync, recipe.Namespace, recipe.Id, new LifecycleEntry(Now(), actor, "packed", ContextPackageWriter.ComputeDigest(package)) { Reasons = reasons, Withheld = withheld }).ConfigureAwait(false);
        return await EntryAsync(useAsync, recipe.Namespace, recipe.Id, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The registered package.</summary>
    /// <remarks>
    /// The package is verified before it is returned: its content must hash to the digest stored in it and to the
    /// digest its lifecycle log recorded when it was packed or refreshed (MC5029 otherwise), so an edited
    /// <c>package.json</c> is never served by activate, explain or deactivate.
    /// </remarks>
    public ContextPackage Load(MemoryNamespace @namespace, string id) => Synchronously.Run(LoadAsync(useAsync: false, @namespace, id, CancellationToken.None));

    /// <summary>The registered package, read and verified asynchronously (see <see cref="Load"/>).</summary>
    public ValueTask<ContextPackage> LoadAsync(MemoryNamespace @namespace, string id, CancellationToken cancellationToken = default) =>
        LoadAsync(useAsync: true, @namespace, id, cancellationToken);

    private async ValueTask<ContextPackage> LoadAsync(bool useAsync, MemoryNamespace @namespace, string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder(@namespace, id), "package.json");
        if (!File.Exists(path))
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Root, "package", id, $" (namespace {@namespace.Kind}/{@namespace.Id})");
        }

        var content = await RegistryFiles.ReadAsync(useAsync, path, cancellationToken).ConfigureAwait(false);
        var result = Validate(new ContractValidator(), path, root: null, content);
        var package = result.ContextPackage!;
        var digest = ContextPackageWriter.ComputeDigest(package);
        var stored = result.Document!.Root.GetOptionalString("digest");
        var built = (await HistoryAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false)).LastOrDefault(entry => entry.Action is "packed" or "refreshed");
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
    public IReadOnlyList<RegistryEntry> List(MemoryNamespace? @namespace = null) => Synchronously.Run(ListAsync(useAsync: false, @namespace, CancellationToken.None));

    /// <summary>The registered packages, in one namespace or all, ordered by namespace and id, read asynchronously.</summary>
    public ValueTask<IReadOnlyList<RegistryEntry>> ListAsync(MemoryNamespace? @namespace = null, CancellationToken cancellationToken = default) =>
        ListAsync(useAsync: true, @namespace, cancellationToken);

    private async ValueTask<IReadOnlyList<RegistryEntry>> ListAsync(bool useAsync, MemoryNamespace? @namespace, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var recipes = new List<ContextRecipe>();
        foreach (var path in Directory.GetFiles(Root, "recipe.json", SearchOption.AllDirectories))
        {
            var recipe = SnakeCaseJson.Read(await RegistryFiles.ReadAsync(useAsync, path, cancellationToken).ConfigureAwait(false), SnakeCaseJson.Compact.ContextRecipe);
            if (@namespace is null || recipe.Namespace == @namespace)
            {
                recipes.Add(recipe);
            }
        }

        var entries = new List<RegistryEntry>(recipes.Count);
        foreach (var recipe in recipes.OrderBy(recipe => recipe.Namespace.Kind, StringComparer.Ordinal).ThenBy(recipe => recipe.Namespace.Id, StringComparer.Ordinal).ThenBy(recipe => recipe.Id, StringComparer.Ordinal))
        {
            entries.Add(await EntryAsync(useAsync, recipe.Namespace, recipe.Id, cancellationToken).ConfigureAwait(false));
        }

        return entries;
    }

    /// <summary>
    /// Activates a package: re-checks the policy on every item (the policy file may have changed since), applies
    /// the budget (the longest prefix that fits, as compiling does), rebuilds the summary from what remains, records the activation, and returns the envelope.
    /// </summary>
    public ActivationEnvelope Activate(MemoryNamespace @namespace, string id, string actor) => Synchronously.Run(ActivateAsync(useAsync: false, @namespace, id, actor, CancellationToken.None));

    /// <summary>
    /// Activates a package asynchronously (see <see cref="Activate"/>). Cancellation is honoured until the activation
    /// is recorded; a recorded activation is returned.
    /// </summary>
    public ValueTask<ActivationEnvelope> ActivateAsync(MemoryNamespace @namespace, string id, string actor, CancellationToken cancellationToken = default) =>
        ActivateAsync(useAsync: true, @namespace, id, actor, cancellationToken);

    private async ValueTask<ActivationEnvelope> ActivateAsync(bool useAsync, MemoryNamespace @namespace, string id, string actor, CancellationToken cancellationToken)
    {
        var package = await LoadAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        var (items, withheld, policies) = await ApplyPoliciesAsync(useAsync, package, await ReadRecipeAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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
        cancellationToken.ThrowIfCancellationRequested();
        await RecordAsync(useAsync, @namespace, id, new LifecycleEntry(envelope.ActivatedAt, actor, "activated", digest) { Withheld = withheld, Note = $"{kept.Count} item(s), {tokens} tokens" }).ConfigureAwait(false);
        return envelope;
    }

    /// <summary>An item's tokens by the registry's counter, or as the package recorded them when it has none.</summary>
    private int Tokens(PackageItem item) =>
        _options.TokenCounter is { } counter ? counter.CountTokens(TokenEstimator.ItemText(item.Title, item.Text)) : item.TokenEstimate;

    /// <summary>Records that a package is no longer active.</summary>
    public void Deactivate(MemoryNamespace @namespace, string id, string actor) => Synchronously.Run(DeactivateAsync(useAsync: false, @namespace, id, actor, CancellationToken.None));

    /// <summary>Records that a package is no longer active, asynchronously; cancellation is honoured until it is recorded.</summary>
    public ValueTask DeactivateAsync(MemoryNamespace @namespace, string id, string actor, CancellationToken cancellationToken = default) =>
        DeactivateAsync(useAsync: true, @namespace, id, actor, cancellationToken);

    private async ValueTask DeactivateAsync(bool useAsync, MemoryNamespace @namespace, string id, string actor, CancellationToken cancellationToken)
    {
        var package = await LoadAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await RecordAsync(useAsync, @namespace, id, new LifecycleEntry(Now(), actor, "deactivated", ContextPackageWriter.ComputeDigest(package))).ConfigureAwait(false);
    }

    /// <summary>Rebuilds a package from its recipe (the fixtures and the policy as they are now) and reports what changed.</summary>
    public RefreshReport Refresh(MemoryNamespace @namespace, string id, string actor) => Synchronously.Run(RefreshAsync(useAsync: false, @namespace, id, actor, CancellationToken.None));

    /// <summary>
    /// Rebuilds a package asynchronously (see <see cref="Refresh"/>). Cancellation is honoured until the rebuilt
    /// package is written; from then on the refresh finishes and records itself.
    /// </summary>
    public ValueTask<RefreshReport> RefreshAsync(MemoryNamespace @namespace, string id, string actor, CancellationToken cancellationToken = default) =>
        RefreshAsync(useAsync: true, @namespace, id, actor, cancellationToken);

    private async ValueTask<RefreshReport> RefreshAsync(bool useAsync, MemoryNamespace @namespace, string id, string actor, CancellationToken cancellationToken)
    {
        // A stored package that fails its digest is not compared with: the refresh rebuilds it from the recipe.
        ContextPackage? before;
        try
        {
            before = await LoadAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        }
        catch (MemoryStoreException exception) when (exception.Code == DiagnosticCatalog.PackageTampered.Code)
        {
            before = null;
        }

        var recipe = await ReadRecipeAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        var (after, reasons, withheld) = await BuildAsync(useAsync, recipe, cancellationToken).ConfigureAwait(false);
        var old = (before?.Items ?? []).ToDictionary(item => item.Id, ContentOf, StringComparer.Ordinal);
        var now = after.Items.ToDictionary(item => item.Id, ContentOf, StringComparer.Ordinal);
        var report = new RefreshReport(
            now.Keys.Where(key => !old.ContainsKey(key)).ToArray(),
            old.Keys.Where(key => !now.ContainsKey(key)).ToArray(),
            now.Keys.Where(key => old.TryGetValue(key, out var content) && content != now[key]).ToArray(),
            ContextPackageWriter.ComputeDigest(after));
        cancellationToken.ThrowIfCancellationRequested();
        await RegistryFiles.WriteAsync(useAsync, Path.Combine(Folder(@namespace, id), "package.json"), Encoding.UTF8.GetBytes(ContextPackageWriter.Write(after, PackageFormat.Json))).ConfigureAwait(false);
        await RecordAsync(useAsync, @namespace, id, new LifecycleEntry(Now(), actor, "refreshed", report.Digest)
        {
            Reasons = reasons,
            Withheld = withheld,
            Note = (before is null ? "the stored package failed its digest and was rebuilt; " : string.Empty)
                + (report.Unchanged ? "unchanged" : $"{report.Added.Count} added, {report.Removed.Count} removed, {report.Changed.Count} changed"),
        }).ConfigureAwait(false);
        return report;
    }

    /// <summary>Every included item with its source span, token estimate, freshness and the reason it is there.</summary>
    public PackageExplanation Explain(MemoryNamespace @namespace, string id) => Synchronously.Run(ExplainAsync(useAsync: false, @namespace, id, CancellationToken.None));

    /// <summary>Explains a package asynchronously (see <see cref="Explain(MemoryNamespace, string)"/>); nothing is written.</summary>
    public ValueTask<PackageExplanation> ExplainAsync(MemoryNamespace @namespace, string id, CancellationToken cancellationToken = default) =>
        ExplainAsync(useAsync: true, @namespace, id, cancellationToken);

    private async ValueTask<PackageExplanation> ExplainAsync(bool useAsync, MemoryNamespace @namespace, string id, CancellationToken cancellationToken)
    {
        var package = await LoadAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        var history = await HistoryAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        var built = history.LastOrDefault(entry => entry.Action is "packed" or "refreshed");
        var now = _options.Clock.GetUtcNow();

        // Explain shows what activation would serve now: the policies as they stand, not as they stood when packed.
        var (items, withheldNow, _) = await ApplyPoliciesAsync(useAsync, package, await ReadRecipeAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return new PackageExplanation(
            package.Id,
            @namespace,
            StateOf(history),
            items.Select(item => new ExplainedItem(item.Id, item.Kind, SpanText(item.Source) ?? SpanText(item.Origin)!, item.TokenEstimate, Freshness(item.Freshness, now), built?.Reasons?.GetValueOrDefault(item.Id) ?? "selected")).ToArray(),
            [.. built?.Withheld ?? [], .. withheldNow],
            package.Dropped.Select(item => new WithheldItem(item.Id, "budget: " + item.Reason)).ToArray());
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
    public IReadOnlyList<LifecycleEntry> History(MemoryNamespace @namespace, string id) => Synchronously.Run(HistoryAsync(useAsync: false, @namespace, id, CancellationToken.None));

    /// <summary>The lifecycle log of a package, oldest first, read asynchronously.</summary>
    public ValueTask<IReadOnlyList<LifecycleEntry>> HistoryAsync(MemoryNamespace @namespace, string id, CancellationToken cancellationToken = default) =>
        HistoryAsync(useAsync: true, @namespace, id, cancellationToken);

    private async ValueTask<IReadOnlyList<LifecycleEntry>> HistoryAsync(bool useAsync, MemoryNamespace @namespace, string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder(@namespace, id), "lifecycle.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        var content = Encoding.UTF8.GetString(await RegistryFiles.ReadAsync(useAsync, path, cancellationToken).ConfigureAwait(false));
        return content.Split('\n').Where(line => line.Length > 0).Select(line => SnakeCaseJson.Read(line, SnakeCaseJson.Compact.LifecycleEntry)).ToArray();
    }

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
