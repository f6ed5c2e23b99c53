using MemoryContracts.Runtime;

namespace MemoryContracts.Tool.Mcp;

/// <summary>
/// How the server reaches its workspace. A folder workspace is opened for each call and closed after it, so its lock
/// is held only while a call runs and several server processes take turns (none loses or repeats a write); a
/// PostgreSQL workspace, safe for many processes at once, stays open for the server's life.
/// </summary>
internal sealed class WorkspaceAccess : IDisposable
{
    private readonly Func<MemoryWorkspace>? _open;
    private readonly MemoryWorkspace? _shared;

    private WorkspaceAccess(Func<MemoryWorkspace>? open, MemoryWorkspace? shared) => (_open, _shared) = (open, shared);

    /// <summary>A folder workspace, opened (and created if needed) for each call.</summary>
    public static WorkspaceAccess PerCall(string folder) => new(() => MemoryWorkspace.Create(folder), null);

    /// <summary>A workspace that stays open (PostgreSQL).</summary>
    public static WorkspaceAccess Shared(MemoryWorkspace workspace) => new(null, workspace);

    /// <summary>Runs a call against the workspace.</summary>
    public T Use<T>(Func<MemoryWorkspace, T> call)
    {
        if (_shared is not null)
        {
            return call(_shared);
        }

        using var workspace = _open!();
        return call(workspace);
    }

    /// <inheritdoc />
    public void Dispose() => _shared?.Dispose();
}
