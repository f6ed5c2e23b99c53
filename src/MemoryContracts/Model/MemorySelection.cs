namespace MemoryContracts.Model;

/// <summary>The namespace a package belongs to.</summary>
/// <param name="Kind">A <c>NamespaceKind</c> term.</param>
/// <param name="Id">The id of the scope.</param>
public sealed record MemoryNamespace(string Kind, string Id);

/// <summary>A validated <c>markitect.memory.selection</c> fixture.</summary>
public sealed record MemorySelection(string SchemaVersion, string Id, string Graph)
{
    /// <summary>The package title.</summary>
    public string? Title { get; init; }

    /// <summary>What the package is for.</summary>
    public string? Description { get; init; }

    /// <summary>The profile file, relative to the selection, if any.</summary>
    public string? Profile { get; init; }

    /// <summary>Selected node ids, in priority order, repeats removed.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>Selected edge ids, repeats removed.</summary>
    public IReadOnlyList<string> Edges { get; init; } = [];

    /// <summary>Selected event ids, in priority order, repeats removed.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The selection's own budget, if any.</summary>
    public ActivationLimits? Budget { get; init; }

    /// <summary>The namespace, if any.</summary>
    public MemoryNamespace? Namespace { get; init; }
}
