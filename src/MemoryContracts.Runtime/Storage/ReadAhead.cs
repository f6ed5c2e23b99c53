namespace MemoryContracts.Runtime.Storage;

/// <summary>Maps batches on the thread pool, up to one per core ahead of the caller, and yields the results in input order.</summary>
internal static class ReadAhead
{
    public static IEnumerable<TResult> Map<TBatch, TResult>(IEnumerable<TBatch> batches, Func<TBatch, TResult[]> map)
    {
        var ahead = new Queue<Task<TResult[]>>();
        var limit = Math.Max(2, Environment.ProcessorCount);
        using var source = batches.GetEnumerator();
        while (true)
        {
            while (ahead.Count < limit && source.MoveNext())
            {
                var batch = source.Current;
                ahead.Enqueue(Task.Run(() => map(batch)));
            }

            if (ahead.Count == 0)
            {
                yield break;
            }

            foreach (var result in ahead.Dequeue().GetAwaiter().GetResult())
            {
                yield return result;
            }
        }
    }
}
