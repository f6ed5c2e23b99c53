namespace MemoryContracts.Runtime.Storage;

/// <summary>
/// The asynchronous form of an operation an adapter does synchronously (in memory, or a local file call with no
/// asynchronous form): cancellation is checked once before it starts, and the task comes back completed.
/// </summary>
internal static class SynchronousWork
{
    /// <summary>Runs <paramref name="work"/> unless cancellation was requested.</summary>
    public static ValueTask Run(Action work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        work();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="work"/> unless cancellation was requested, and hands back its result.</summary>
    public static ValueTask<T> Result<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(work());
    }
}
