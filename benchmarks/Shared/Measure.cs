using System.Diagnostics;

namespace MemoryContracts.Benchmarks.Shared;

/// <summary>The timing helpers the runtime benchmarks share.</summary>
internal static class Measure
{
    /// <summary>
    /// Starts one thread per writer (each first runs <paramref name="setUp"/>, whose result it runs at the end),
    /// releases them together, and returns appends per second until the last one finishes.
    /// </summary>
    public static double Rate(int count, int writers, Func<int, Action> setUp, Action<int, int> append)
    {
        var perWriter = count / writers;
        using var start = new Barrier(writers + 1);
        var threads = Enumerable.Range(0, writers).Select(writer => new Thread(() =>
        {
            var tearDown = setUp(writer);
            start.SignalAndWait();
            for (var index = 0; index < perWriter; index++)
            {
                append(writer, index);
            }

            tearDown();
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        return writers * perWriter / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Appends per second with nothing to set up per writer.</summary>
    public static double Rate(int count, int writers, Action<int, int> append) => Rate(count, writers, _ => () => { }, append);

    /// <summary>The median.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
