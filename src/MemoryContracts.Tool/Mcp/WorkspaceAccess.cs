using MemoryContracts.Runtime;

namespace MemoryContracts.Tool.Mcp;

/// <summary>
/// How the server reaches its workspace. A PostgreSQL workspace, safe for many processes at once, stays open for the
/// server's life. A folder workspace has one writer at a time (its lock), so the server holds it only while it is
/// busy: it opens it for a call, keeps it for the calls that follow within <see cref="IdleWindow"/>, and lets it go
/// when idle, or after holding it for <see cref="HoldLimit"/> (pausing past a waiter's next try), so another server
/// or a command waiting for the lock gets its turn within a fraction of a second and no one waits out its timeout.
/// </summary>
internal sealed class WorkspaceAccess : IDisposable
{
    /// <summary>How long a folder workspace stays open after a call, for the next one.</summary>
    public static readonly TimeSpan IdleWindow = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a folder workspace is held at most before the lock is offered to others.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromMilliseconds(100);

    private readonly Func<MemoryWorkspace>? _open;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Timer? _idle;
    private MemoryWorkspace? _workspace;
    private DateTime _openedAt;

    private WorkspaceAccess(Func<MemoryWorkspace>? open, MemoryWorkspace? shared)
    {
        _open = open;
        _workspace = shared;
        _idle = open is null ? null : new Timer(_ => Release());
    }

    /// <summary>A folder workspace (created if needed), held while calls keep coming.</summary>
    public static WorkspaceAccess Leased(string folder) => new(() => MemoryWorkspace.Create(folder), null);

    /// <summary>A workspace that stays open (PostgreSQL).</summary>
    public static WorkspaceAccess Shared(MemoryWorkspace workspace) => new(null, workspace);

    /// <summary>Runs a call against the workspace; calls take turns.</summary>
    public async ValueTask<T> UseAsync<T>(Func<MemoryWorkspace, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_open is null)
            {
                return await call(_workspace!).ConfigureAwait(false);
            }

            _idle!.Change(Timeout.Infinite, Timeout.Infinite);
            if (_workspace is not null && DateTime.UtcNow - _openedAt > HoldLimit)
            {
                Close();
                await Task.Delay(TimeSpan.FromMilliseconds(40), cancellationToken).ConfigureAwait(false); // longer than a waiter's poll (25 ms): it takes the lock now
            }

            if (_workspace is null)
            {
                _workspace = _open();
                _openedAt = DateTime.UtcNow;
            }

            try
            {
                return await call(_workspace).ConfigureAwait(false);
            }
            finally
            {
                _idle.Change(IdleWindow, Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _idle?.Dispose();
        Release();
    }

    private void Release()
    {
        _gate.Wait();
        try
        {
            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Close()
    {
        _workspace?.Dispose();
        _workspace = null;
    }
}
