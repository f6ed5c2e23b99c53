using System.Runtime.CompilerServices;

namespace MemoryContracts.Runtime.Storage;

/// <summary>Hands a sequence whose items are at hand (in memory, or read from a local file) to an asynchronous reader.</summary>
internal static class AsyncSequence
{
    /// <summary>The items, in order, checking <paramref name="cancellationToken"/> before each.</summary>
    public static async IAsyncEnumerable<T> Of<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }
}
