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
        return body.Add("digest", Digest(body));
    }

    private static string Digest(WireObject body)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(WireJsonWriter.Write(body)));
        return "sha256:" + string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static WireObject Body(ContextPackage package) => new WireObject()
        .Add("schema_version", ContextPackage.SchemaVersion)
        .Add("id", package.Id)
        .Add("title", package.Title)
        .Add("description", package.Description)
        .Add("namespace", package.Namespace is { } scope ? new WireObject().Add("kind", scope.Kind).Add("id", scope.Id) : null)
        .Add("recipe", Recipe(package.Recipe))
        .Add("budget", new WireObject().Add("max_items", package.Budget.MaxItems).Add("max_tokens", package.Budget.MaxTokens).Add("source", package.Budget.Source))
        .Add("summary", new WireObject().Add("layers", new WireArray(package.Summary.Select(layer => new WireObject().Add("kind", layer.Kind).Add("text", layer.Text)))))
        .Add("token_estimate", package.TokenEstimate)
        .Add("items", new WireArray(package.Items.Select(Item)))
        .Add("metadata", new WireObject()
            .Add("edges", new WireArray(package.Edges.Select(edge => new WireObject()
                .Add("id", edge.Id).Add("kind", edge.Kind).Add("source", edge.Source).Add("target", edge.Target).Add("selection", edge.Selection))))
            .Add("dropped", new WireArray(package.Dropped.Select(item => new WireObject()
                .Add("id", item.Id).Add("item_type", item.ItemType).Add("reason", item.Reason)))));

    private static WireObject Recipe(PackageRecipe recipe) => new WireObject()
        .Add("kind", recipe.Kind)
        .Add("selection", recipe.Selection)
        .Add("graph", recipe.Graph)
        .Add("graph_id", recipe.GraphId)
        .Add("profile", recipe.Profile)
        .Add("profile_id", recipe.ProfileId)
        .Add("nodes", WireValue.From(recipe.Nodes))
        .Add("edges", WireValue.From(recipe.Edges))
        .Add("events", WireValue.From(recipe.Events))
        .Add("manifest", recipe.Manifest)
        .Add("query", recipe.Query is { } query ? Query(query) : null);

    private static WireObject Query(NodeQuery query) => new WireObject()
        .Add("kinds", query.Kinds.Count == 0 ? null : WireValue.From(query.Kinds))
        .Add("ids", query.Ids.Count == 0 ? null : WireValue.From(query.Ids))
        .Add("labels", query.Labels.Count == 0 ? null : WireValue.From(query.Labels))
        .Add("text", query.Text);

    private static WireObject Item(PackageItem item) => new WireObject()
        .Add("id", item.Id)
        .Add("item_type", item.ItemType)
        .Add("kind", item.Kind)
        .Add("title", item.Title)
        .Add("text", item.Text)
        .Add("summary", item.Summary)
        .Add("token_estimate", item.TokenEstimate)
        .Add("source", item.Source is { } source ? Span(source) : null)
        .Add("origin", Span(item.Origin))
        .Add("provenance", item.Provenance is { } provenance ? ProvenanceWire(provenance) : null)
        .Add("policy", item.Policy is { } policy ? PolicyWire(policy) : null)
        .Add("freshness", item.Freshness is { } lifecycle ? LifecycleWire(lifecycle) : null)
        .Add("event", item.Event is { } detail ? EventWire(detail) : null);

    /// <summary>A source span as a wire value, written by the element writer.</summary>
    internal static WireValue Span(SourceSpan span) => WireJsonReader.Of(writer => ElementJson.WriteSpan(writer, span));

    /// <summary>Provenance as a wire value, written by the element writer.</summary>
    internal static WireValue ProvenanceWire(Provenance provenance) => WireJsonReader.Of(writer => ElementJson.WriteProvenance(writer, provenance));

    /// <summary>Policy metadata as a wire value, written by the element writer.</summary>
    internal static WireValue PolicyWire(MemoryPolicy policy) => WireJsonReader.Of(writer => ElementJson.WritePolicy(writer, policy));

    /// <summary>Lifecycle as a wire value, written by the element writer.</summary>
    internal static WireValue LifecycleWire(MemoryLifecycle lifecycle) => WireJsonReader.Of(writer => ElementJson.WriteLifecycle(writer, lifecycle));

    private static WireObject EventWire(EventDetail detail) => new WireObject()
        .Add("at", detail.At)
        .Add("actor", detail.Actor)
        .Add("path", detail.Path)
        .Add("nodes", detail.Nodes.Count == 0 ? null : WireValue.From(detail.Nodes))
        .Add("edges", detail.Edges.Count == 0 ? null : WireValue.From(detail.Edges));
}
