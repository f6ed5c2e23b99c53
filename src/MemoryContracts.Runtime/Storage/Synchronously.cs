namespace MemoryContracts.Runtime.Storage;

/// <summary>
/// Runs the one code path that serves a synchronous and an asynchronous form (the <c>useAsync</c> pattern of Npgsql):
/// called with <c>useAsync: false</c> it blocks where it waits and never yields, so its task has completed on return.
/// </summary>
internal static class Synchronously
{
    /// <summary>The result of a task run with <c>useAsync: false</c>.</summary>
    public static T Run<T>(ValueTask<T> task) =>
        task.IsCompleted ? task.GetAwaiter().GetResult() : throw new InvalidOperationException("a synchronous run yielded");

    /// <summary>Completes a task run with <c>useAsync: false</c>, throwing what it threw.</summary>
    public static void Run(ValueTask task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("a synchronous run yielded");
        }

        task.GetAwaiter().GetResult();
    }
}
