namespace MemoryContracts.Model;

/// <summary>Limits on one activation.</summary>
/// <param name="MaxItems">At most this many items, if set.</param>
/// <param name="MaxTokens">At most this many estimated tokens, if set.</param>
public sealed record ActivationLimits(int? MaxItems, int? MaxTokens);

/// <summary>A rule that ages the memories of one kind.</summary>
public sealed record RetentionRule(string Id, string MemoryKind, string Action, int AfterDays)
{
    /// <summary>Only nodes of these kinds; all when empty.</summary>
    public IReadOnlyList<string> NodeKinds { get; init; } = [];

    /// <summary>Whether applying needs an explicit approval.</summary>
    public bool ReviewRequired { get; init; }
}

/// <summary>A validated <c>markitect.memory.profile</c> fixture.</summary>
public sealed record MemoryProfile(string SchemaVersion, string Id)
{
    /// <summary>The title.</summary>
    public string? Title { get; init; }

    /// <summary>What the memory is for.</summary>
    public string? Intent { get; init; }

    /// <summary>The declared memory kinds, in file order.</summary>
    public IReadOnlyList<string> MemoryKinds { get; init; } = [];

    /// <summary>The store of each memory kind, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Stores { get; init; } = [];

    /// <summary>Activation limits.</summary>
    public ActivationLimits Activation { get; init; } = new(null, null);

    /// <summary>Retention rules.</summary>
    public IReadOnlyList<RetentionRule> Retention { get; init; } = [];

    /// <summary>Lifecycle actions that need an approval marker.</summary>
    public IReadOnlyList<string> ReviewRequiredFor { get; init; } = [];

    /// <summary>People or roles that may approve.</summary>
    public IReadOnlyList<string> Reviewers { get; init; } = [];

    /// <summary>The public key of each reviewer (<c>ecdsa-p256:</c> and the base64 SubjectPublicKeyInfo), in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ReviewerKeys { get; init; } = [];
}
