namespace MemoryContracts.Runtime.Hosting;

/// <summary>
/// How <c>services.AddMemoryContracts(...)</c> sets the runtime up: the engine (a folder with <see cref="UseFiles"/>,
/// or PostgreSQL with <c>UsePostgres</c>), the context registry, and the toolbelt's memory folder. Bindable from
/// configuration (a <c>MemoryContracts</c> section: <c>Workspace</c>, <c>LockTimeout</c>, <c>Registry</c>,
/// <c>FixtureRoot</c>, <c>MemoryRoot</c>, <c>AllowedPaths</c>).
/// </summary>
public sealed class MemoryContractsOptions
{
    /// <summary>The workspace folder of the file engine (set by <see cref="UseFiles"/>, or bound from configuration).</summary>
    public string? Workspace { get; set; }

    /// <summary>How long opening waits for another process's lock on a folder workspace (then MC5002).</summary>
    public TimeSpan LockTimeout { get; set; } = WorkspaceOptions.Default.LockTimeout;

    /// <summary>The context registry folder.</summary>
    public string Registry { get; set; } = Context.ContextRegistry.DefaultFolder;

    /// <summary>The folder every fixture a registry recipe reads must stay inside (null: no check).</summary>
    public string? FixtureRoot { get; set; }

    /// <summary>The toolbelt's memory folder; the toolbelt is registered only when it is set.</summary>
    public string? MemoryRoot { get; set; }

    /// <summary>The folders under <see cref="MemoryRoot"/> the toolbelt may touch (all of it when empty).</summary>
    public List<string> AllowedPaths { get; set; } = [];

    /// <summary>Opens the workspace of an engine other than files (set by an engine's <c>Use...</c> method).</summary>
    internal Func<IServiceProvider, WorkspaceOptions, MemoryWorkspace>? OpenEngine { get; private set; }

    /// <summary>Keeps memory in a workspace folder (made a workspace if it is not one yet); one process writes it at a time.</summary>
    public MemoryContractsOptions UseFiles(string folder)
    {
        Workspace = folder;
        OpenEngine = null;
        return this;
    }

    /// <summary>Keeps memory in another engine: <paramref name="open"/> opens its workspace with the options the container made.</summary>
    public MemoryContractsOptions UseEngine(Func<IServiceProvider, WorkspaceOptions, MemoryWorkspace> open)
    {
        OpenEngine = open;
        Workspace = null;
        return this;
    }

    /// <summary>Opens the configured workspace.</summary>
    internal MemoryWorkspace Open(IServiceProvider services, WorkspaceOptions options) =>
        OpenEngine?.Invoke(services, options)
        ?? MemoryWorkspace.Create(Workspace ?? throw new InvalidOperationException("MemoryContracts has no engine: call UseFiles(folder) or UsePostgres(...), or set MemoryContracts:Workspace in configuration"), options);
}
