using System.Diagnostics;
using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>
/// One writer per workspace: an exclusive lock on <c>workspace.lock</c> (an OS file lock, released by the OS when
/// the process dies, so a crash never leaves the workspace locked). A second opener waits up to its timeout, then
/// gets MC5002.
/// </summary>
internal sealed class WorkspaceLock : IDisposable
{
    private readonly FileStream _stream;

    private WorkspaceLock(FileStream stream)
    {
        _stream = stream;
    }

    public static WorkspaceLock Acquire(string path, TimeSpan timeout) => Synchronously.Run(AcquireAsync(useAsync: false, path, timeout, CancellationToken.None));

    /// <summary>Takes the lock, waiting (asynchronously when <paramref name="useAsync"/>) up to the timeout; cancelling the wait takes nothing.</summary>
    public static async ValueTask<WorkspaceLock> AcquireAsync(bool useAsync, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new WorkspaceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                // Held by another writer: wait below and try again.
            }
            catch (IOException)
            {
                throw MemoryStoreException.Create(DiagnosticCatalog.WorkspaceLocked, path, path, (long)clock.Elapsed.TotalMilliseconds);
            }

            if (useAsync)
            {
                await Task.Delay(25, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Thread.Sleep(25);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
