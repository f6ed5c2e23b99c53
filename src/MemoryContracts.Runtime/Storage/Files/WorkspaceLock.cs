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

    public static WorkspaceLock Acquire(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new WorkspaceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(25);
            }
            catch (IOException)
            {
                throw MemoryStoreException.Create(DiagnosticCatalog.WorkspaceLocked, path, path, (long)clock.Elapsed.TotalMilliseconds);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
