namespace MemoryContracts.Runtime;

/// <summary>How a workspace behaves.</summary>
public sealed record WorkspaceOptions
{
    /// <summary>The defaults: system clock, wait up to 5 seconds for another process's lock.</summary>
    public static WorkspaceOptions Default { get; } = new();

    /// <summary>The clock for record and audit times and for retention ages.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long opening waits for another process to release the workspace (then MC5002).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Opens a file workspace for reading only: no file is created, moved or written (so it works on a full or
    /// read-only disk), a torn last line is reported and left in place, and every write is refused.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// Where the runtime logs: categories <c>MemoryContracts.Storage</c>, <c>.Lifecycle</c>, <c>.Retrieval</c>,
    /// <c>.Toolbelt</c> and <c>.Postgres</c>, with event ids (docs/runtime.md). Nothing of a memory item's content is
    /// logged at Information or above: ids, counts, codes and actors only. No logging when not set.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>Who answers retrieval permission questions; the built-in label policy when not set.</summary>
    public Retrieval.IPolicyGateway Policy { get; init; } = new Retrieval.LabelPolicy();
}
