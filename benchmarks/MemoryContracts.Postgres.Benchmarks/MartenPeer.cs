using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using MemoryContracts.Benchmarks.Shared;
using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Postgres;

namespace MemoryContracts.Postgres.Benchmarks;

/// <summary>
/// Our ledger against Marten's event store on the same server in the same run: every writer appends one event per
/// call to one stream (a graph for us, a string-keyed stream for Marten), each call a committed transaction
/// (synchronous_commit on, the server default), 1 and 16 concurrent writers, asynchronous on both sides. Marten runs in
/// its Quick append mode and in its default (Rich) mode; the three alternate within each run. Our ledger takes
/// concurrent writers of one graph in its group commit; Marten refuses a concurrent append to one stream on its
/// version, so those appends are retried and the retries reported.
/// </summary>
internal static class MartenPeer
{
    public static async Task RunAsync(string connectionString, string ownerConnection, int runs, int appends)
    {
        var keys = BenchmarkRecords.Keys;
        using var quick = Store(ownerConnection, "bench_marten_quick", EventAppendMode.Quick);
        using var rich = Store(ownerConnection, "bench_marten_rich", EventAppendMode.Rich);
        await quick.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await rich.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var results = new Dictionary<int, (List<double> Ours, List<double> Quick, List<double> Rich, int QuickRetries, int RichRetries)>();
        var ownStreams = new List<(double Quick, double Rich)>();
        for (var run = 0; run <= runs; run++)
        {
            foreach (var writers in new[] { 1, 16 })
            {
                using var ledger = new PostgresMemoryStore(new PostgresStoreOptions(connectionString, "bench-" + Guid.NewGuid().ToString("N")[..8], keys));
                ledger.Append("g", [BenchmarkRecords.Update(-1)]);
                var ours = await RateAsync(appends, writers, async (writer, index) => await ledger.AppendAsync("g", [BenchmarkRecords.Update(writer * 1_000_000 + index)]));
                var quickRetries = new Retries();
                var quickStream = "s-" + Guid.NewGuid().ToString("N");
                await AppendAsync(quick, quickStream, -1, quickRetries); // the stream exists before the clock starts, as our graph does
                var quickRate = await RateAsync(appends, writers, (writer, index) => AppendAsync(quick, quickStream, writer * 1_000_000 + index, quickRetries));
                var richRetries = new Retries();
                var richStream = "s-" + Guid.NewGuid().ToString("N");
                await AppendAsync(rich, richStream, -1, richRetries);
                var richRate = await RateAsync(appends, writers, (writer, index) => AppendAsync(rich, richStream, writer * 1_000_000 + index, richRetries));
                if (writers > 1)
                {
                    // Marten's own best case for many writers: a stream each, so nothing collides.
                    var streams = Enumerable.Range(0, writers).Select(_ => "s-" + Guid.NewGuid().ToString("N")).ToArray();
                    var ownRetries = new Retries();
                    foreach (var own in streams)
                    {
                        await AppendAsync(quick, own, -1, ownRetries);
                        await AppendAsync(rich, own, -1, ownRetries);
                    }

                    var ownQuick = await RateAsync(appends, writers, (writer, index) => AppendAsync(quick, streams[writer], writer * 1_000_000 + index, ownRetries));
                    var ownRich = await RateAsync(appends, writers, (writer, index) => AppendAsync(rich, streams[writer], writer * 1_000_000 + index, ownRetries));
                    if (run > 0)
                    {
                        ownStreams.Add((ownQuick, ownRich));
                    }
                }

                if (run == 0)
                {
                    continue; // warm-up
                }

                if (!results.TryGetValue(writers, out var lists))
                {
                    results[writers] = lists = ([], [], [], 0, 0);
                }

                lists.Ours.Add(ours);
                lists.Quick.Add(quickRate);
                lists.Rich.Add(richRate);
                results[writers] = lists with { QuickRetries = lists.QuickRetries + quickRetries.Count, RichRetries = lists.RichRetries + richRetries.Count };
            }
        }

        Console.WriteLine($"Durable appends per second, one event per call to one stream, median of {runs} runs of {appends} appends per writer count, alternating; Marten 9.62.0, {Environment.ProcessorCount} cores, loopback.");
        Console.WriteLine();
        Console.WriteLine("| writers | MemoryContracts (signed, chained, head, idempotent ids) | Marten Quick | Marten Rich (default) | cost ratio ours / Quick | ours / Rich | Marten retries (Quick, Rich) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (writers, (ours, quickRates, richRates, quickRetries, richRetries)) in results)
        {
            var (o, q, r) = (Measure.Median(ours), Measure.Median(quickRates), Measure.Median(richRates));
            Console.WriteLine($"| {writers} | {o:F0} | {q:F0} | {r:F0} | {q / o:F2}x | {r / o:F2}x | {quickRetries}, {richRetries} |");
        }

        var ours16 = Measure.Median(results[16].Ours);
        var (quick16, rich16) = (Measure.Median(ownStreams.Select(pair => pair.Quick)), Measure.Median(ownStreams.Select(pair => pair.Rich)));
        Console.WriteLine($"| 16, Marten with a stream per writer | {ours16:F0} (one graph) | {quick16:F0} | {rich16:F0} | {quick16 / ours16:F2}x | {rich16 / ours16:F2}x | 0, 0 |");
    }

    private static DocumentStore Store(string connection, string schema, EventAppendMode mode) =>
        DocumentStore.For(options =>
        {
            options.Connection(connection);
            options.DatabaseSchemaName = schema;
            options.AutoCreateSchemaObjects = AutoCreate.All;
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.Events.AppendMode = mode;
        });

    /// <summary>
    /// Appends one event in its own session. Concurrent writers of one Marten stream collide on its version (in both
    /// append modes); a collision is retried until the event lands, as an application would, and counted.
    /// </summary>
    private static async Task AppendAsync(DocumentStore store, string stream, int index, Retries retries)
    {
        var node = Math.Abs(index) % 10_000;
        while (true)
        {
            try
            {
                await using var session = store.LightweightSession();
                session.Events.Append(stream, new NodeUpdated($"e-{index}", $"n-{node}", $"observation {node}", $"value {index}"));
                await session.SaveChangesAsync();
                return;
            }
            catch (Exception exception) when (exception is EventStreamUnexpectedMaxEventIdException || exception.InnerException is Npgsql.PostgresException { SqlState: "23505" })
            {
                Interlocked.Increment(ref retries.Count);
            }
        }
    }

    /// <summary>How many appends collided and were retried.</summary>
    private sealed class Retries
    {
        public int Count;
    }

    private static async Task<double> RateAsync(int count, int writers, Func<int, int, Task> append)
    {
        var perWriter = count / writers;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var index = 0; index < perWriter; index++)
            {
                await append(writer, index);
            }
        })));
        return writers * perWriter / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The event Marten stores: the same fields our record carries for an updated node.</summary>
    public sealed record NodeUpdated(string EventId, string Node, string Title, string Text);
}
