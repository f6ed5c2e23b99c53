using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Model;

/// <summary>A line span in a source document that a memory comes from.</summary>
/// <param name="Path">The document, relative to the repository root, with forward slashes.</param>
/// <param name="StartLine">First line, 1-based.</param>
/// <param name="EndLine">Last line, 1-based.</param>
/// <param name="StartColumn">First column, 1-based.</param>
/// <param name="EndColumn">Last column, 1-based.</param>
public sealed record SourceSpan(string Path, int? StartLine = null, int? EndLine = null, int? StartColumn = null, int? EndColumn = null);

/// <summary>Who or what produced a memory, and from what.</summary>
public sealed record Provenance
{
    /// <summary>The person, agent or tool that produced it.</summary>
    public string? Author { get; init; }

    /// <summary>How it was produced (a <c>ProvenanceMethod</c> term).</summary>
    public string? Method { get; init; }

    /// <summary>When it was produced.</summary>
    public string? RecordedAt { get; init; }

    /// <summary>Ids of the nodes it was derived from.</summary>
    public IReadOnlyList<string> DerivedFrom { get; init; } = [];

    /// <summary>How sure the producer was, from 0 to 1.</summary>
    public double? Confidence { get; init; }
}

/// <summary>A reference to an external policy decision, kept as metadata.</summary>
public sealed record ExternalPolicyReference
{
    /// <summary>Id of the decision.</summary>
    public string? DecisionId { get; init; }

    /// <summary>Version of the deciding policy.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>The issuing service.</summary>
    public string? Issuer { get; init; }

    /// <summary>The external id of the resource.</summary>
    public string? ResourceId { get; init; }

    /// <summary>When the decision was made.</summary>
    public string? DecidedAt { get; init; }
}

/// <summary>Who may see a memory, and when that must be checked again.</summary>
public sealed record MemoryPolicy
{
    /// <summary>Policy labels.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>How far the memory may travel (a <c>TrustZone</c> term).</summary>
    public string? TrustZone { get; init; }

    /// <summary>When to decide again (a <c>ReauthorizationHint</c> term).</summary>
    public string? Reauthorize { get; init; }

    /// <summary>External policy decisions.</summary>
    public IReadOnlyList<ExternalPolicyReference> External { get; init; } = [];
}

/// <summary>The life of a memory.</summary>
public sealed record MemoryLifecycle
{
    /// <summary>The state (a <c>LifecycleState</c> term).</summary>
    public string? State { get; init; }

    /// <summary>When it was created.</summary>
    public string? CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public string? UpdatedAt { get; init; }

    /// <summary>When a person last confirmed it.</summary>
    public string? ReviewedAt { get; init; }

    /// <summary>Days after the last change at which it becomes stale.</summary>
    public int? StaleAfterDays { get; init; }
}

/// <summary>A free-form scalar attribute value.</summary>
/// <param name="Kind">String, integer, float or boolean.</param>
/// <param name="Text">The value's spelling.</param>
public sealed record AttributeValue(DocumentValueKind Kind, string Text)
{
    /// <summary>A number from its JSON spelling: an integer literal is <see cref="DocumentValueKind.Integer"/>, anything else <see cref="DocumentValueKind.Float"/>; the text is kept to the digit.</summary>
    public static AttributeValue Number(string json) => new(NumberText.IsIntegerLiteral(json) ? DocumentValueKind.Integer : DocumentValueKind.Float, json);
}

/// <summary>A memory node.</summary>
public sealed record GraphNode(string Id, string Kind, string Title)
{
    /// <summary>The memory in full.</summary>
    public string? Text { get; init; }

    /// <summary>Where the memory comes from.</summary>
    public SourceSpan? Source { get; init; }

    /// <summary>Who or what produced it.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>Who may see it.</summary>
    public MemoryPolicy? Policy { get; init; }

    /// <summary>Its state and freshness.</summary>
    public MemoryLifecycle? Lifecycle { get; init; }

    /// <summary>Free-form attributes, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes { get; init; } = [];

    /// <summary>Where the node is defined in its graph fixture.</summary>
    public SourceLocation Origin { get; init; }
}

/// <summary>A typed, directed relationship between two nodes.</summary>
public sealed record GraphEdge(string Id, string Kind, string Source, string Target)
{
    /// <summary>Why the relationship holds.</summary>
    public string? Text { get; init; }

    /// <summary>Who or what asserted it.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>Free-form attributes, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes { get; init; } = [];

    /// <summary>Where the edge is defined in its graph fixture.</summary>
    public SourceLocation Origin { get; init; }
}

/// <summary>Something that happened to nodes or edges.</summary>
public sealed record GraphEvent(string Id, string Kind, string At)
{
    /// <summary>Who or what caused it.</summary>
    public string? Actor { get; init; }

    /// <summary>The conversational path it belongs to.</summary>
    public string? Path { get; init; }

    /// <summary>One line on what happened.</summary>
    public string? Summary { get; init; }

    /// <summary>Ids of the nodes it touched.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>Ids of the edges it touched.</summary>
    public IReadOnlyList<string> Edges { get; init; } = [];

    /// <summary>Free-form attributes, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes { get; init; } = [];

    /// <summary>Where the event is defined in its graph fixture.</summary>
    public SourceLocation Origin { get; init; }
}
