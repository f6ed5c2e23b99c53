using System.Security.Cryptography;
using System.Text;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Output;

namespace MemoryContracts.Packing;

/// <summary>
/// Writes context packages byte for byte the same on every run and machine: fixed property order, invariant
/// numbers, LF line ends, and a <c>digest</c> over the canonical JSON of everything else.
/// </summary>
public static class ContextPackageWriter
{
    /// <summary>Writes a package as JSON or YAML.</summary>
    public static string Write(ContextPackage package, PackageFormat format)
    {
        var wire = ToWire(package);
        return format == PackageFormat.Json ? WireJsonWriter.Write(wire) : WireYamlWriter.Write(wire);
    }

    /// <summary>The SHA-256 digest of a package's canonical JSON without its digest, as <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string ComputeDigest(ContextPackage package) => Digest(Body(package));

    /// <summary>The package as an ordered value tree, digest included.</summary>
    internal static WireObject ToWire(ContextPackage package)
    {
        var body = Body(package);
        return body.Add(PackageFields.Digest, Digest(body));
    }

    private static string Digest(WireObject body)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(WireJsonWriter.Write(body)));
        return "sha256:" + string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static WireObject Body(ContextPackage package) => new WireObject()
        .Add(PackageFields.SchemaVersion, ContextPackage.SchemaVersion)
        .Add(PackageFields.Id, package.Id)
        .Add(PackageFields.Title, package.Title)
        .Add(PackageFields.Description, package.Description)
        .Add(PackageFields.Namespace, package.Namespace is { } scope ? new WireObject().Add(SelectionNamespaceFields.Kind, scope.Kind).Add(SelectionNamespaceFields.Id, scope.Id) : null)
        .Add(PackageFields.Recipe, Recipe(package.Recipe))
        .Add(PackageFields.Budget, new WireObject().Add(PackageBudgetFields.MaxItems, package.Budget.MaxItems).Add(PackageBudgetFields.MaxTokens, package.Budget.MaxTokens).Add(PackageBudgetFields.Source, package.Budget.Source))
        .Add(PackageFields.Summary, new WireObject().Add(PackageSummaryFields.Layers, new WireArray(package.Summary.Select(layer => new WireObject().Add(SummaryLayerFields.Kind, layer.Kind).Add(SummaryLayerFields.Text, layer.Text)))))
        .Add(PackageFields.TokenEstimate, package.TokenEstimate)
        .Add(PackageFields.Items, new WireArray(package.Items.Select(Item)))
        .Add(PackageFields.Metadata, new WireObject()
            .Add(PackageMetadataFields.Edges, new WireArray(package.Edges.Select(edge => new WireObject()
                .Add(PackageEdgeFields.Id, edge.Id).Add(PackageEdgeFields.Kind, edge.Kind).Add(PackageEdgeFields.Source, edge.Source).Add(PackageEdgeFields.Target, edge.Target).Add(PackageEdgeFields.Selection, edge.Selection))))
            .Add(PackageMetadataFields.Dropped, new WireArray(package.Dropped.Select(item => new WireObject()
                .Add(DroppedItemFields.Id, item.Id).Add(DroppedItemFields.ItemType, item.ItemType).Add(DroppedItemFields.Reason, item.Reason)))));

    private static WireObject Recipe(PackageRecipe recipe) => new WireObject()
        .Add(PackageRecipeFields.Kind, recipe.Kind)
        .Add(PackageRecipeFields.Selection, recipe.Selection)
        .Add(PackageRecipeFields.Graph, recipe.Graph)
        .Add(PackageRecipeFields.GraphId, recipe.GraphId)
        .Add(PackageRecipeFields.Profile, recipe.Profile)
        .Add(PackageRecipeFields.ProfileId, recipe.ProfileId)
        .Add(PackageRecipeFields.Nodes, WireValue.From(recipe.Nodes))
        .Add(PackageRecipeFields.Edges, WireValue.From(recipe.Edges))
        .Add(PackageRecipeFields.Events, WireValue.From(recipe.Events))
        .Add(PackageRecipeFields.Manifest, recipe.Manifest)
        .Add(PackageRecipeFields.Query, recipe.Query is { } query ? Query(query) : null);

    private static WireObject Query(NodeQuery query) => new WireObject()
        .Add(ManifestQueryFields.Kinds, query.Kinds.Count == 0 ? null : WireValue.From(query.Kinds))
        .Add(ManifestQueryFields.Ids, query.Ids.Count == 0 ? null : WireValue.From(query.Ids))
        .Add(ManifestQueryFields.Labels, query.Labels.Count == 0 ? null : WireValue.From(query.Labels))
        .Add(ManifestQueryFields.Text, query.Text);

    private static WireObject Item(PackageItem item) => new WireObject()
        .Add(PackageItemFields.Id, item.Id)
        .Add(PackageItemFields.ItemType, item.ItemType)
        .Add(PackageItemFields.Kind, item.Kind)
        .Add(PackageItemFields.Title, item.Title)
        .Add(PackageItemFields.Text, item.Text)
        .Add(PackageItemFields.Summary, item.Summary)
        .Add(PackageItemFields.TokenEstimate, item.TokenEstimate)
        .Add(PackageItemFields.Source, item.Source is { } source ? Span(source) : null)
        .Add(PackageItemFields.Origin, Span(item.Origin))
        .Add(PackageItemFields.Provenance, item.Provenance is { } provenance ? ProvenanceWire(provenance) : null)
        .Add(PackageItemFields.Policy, item.Policy is { } policy ? PolicyWire(policy) : null)
        .Add(PackageItemFields.Freshness, item.Freshness is { } lifecycle ? LifecycleWire(lifecycle) : null)
        .Add(PackageItemFields.Event, item.Event is { } detail ? EventWire(detail) : null);

    /// <summary>A source span as a wire value, written by the element writer.</summary>
    internal static WireValue Span(SourceSpan span) => WireJsonReader.Of(writer => ElementJson.WriteSpan(writer, span));

    /// <summary>Provenance as a wire value, written by the element writer.</summary>
    internal static WireValue ProvenanceWire(Provenance provenance) => WireJsonReader.Of(writer => ElementJson.WriteProvenance(writer, provenance));

    /// <summary>Policy metadata as a wire value, written by the element writer.</summary>
    internal static WireValue PolicyWire(MemoryPolicy policy) => WireJsonReader.Of(writer => ElementJson.WritePolicy(writer, policy));

    /// <summary>Lifecycle as a wire value, written by the element writer.</summary>
    internal static WireValue LifecycleWire(MemoryLifecycle lifecycle) => WireJsonReader.Of(writer => ElementJson.WriteLifecycle(writer, lifecycle));

    private static WireObject EventWire(EventDetail detail) => new WireObject()
        .Add(EventDetailFields.At, detail.At)
        .Add(EventDetailFields.Actor, detail.Actor)
        .Add(EventDetailFields.Path, detail.Path)
        .Add(EventDetailFields.Nodes, detail.Nodes.Count == 0 ? null : WireValue.From(detail.Nodes))
        .Add(EventDetailFields.Edges, detail.Edges.Count == 0 ? null : WireValue.From(detail.Edges));
}
