using MemoryContracts.Benchmarks.Shared;
using MemoryContracts.Postgres.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Postgres;
using Npgsql;

// Usage: MEMORYCONTRACTS_POSTGRES=... dotnet run -c Release --project benchmarks/MemoryContracts.Postgres.Benchmarks -- [runs] [appends] [replay-events]
// Durable appends through the PostgreSQL store (signed, chained, head-checked, group-committed) against plain
// single-row INSERTs of the same record line into a table with a unique event id, on the same server in the same
// run, for 1, 4 and 16 concurrent writers; then replay of replay-events records.
//        ... -- --marten [runs] [appends]
// The same appends against Marten's event store (one stream, one event per SaveChanges, Quick and Rich append modes).
var connectionString = Environment.GetEnvironmentVariable("MEMORYCONTRACTS_POSTGRES") ?? throw new InvalidOperationException("set MEMORYCONTRACTS_POSTGRES (see .ci/postgres)");
if (args.Length > 0 && args[0] == "--marten")
{
    var ownerConnection = Environment.GetEnvironmentVariable("MEMORYCONTRACTS_POSTGRES_OWNER") is { Length: > 0 } given
        ? given
        : new NpgsqlConnectionStringBuilder(connectionString) { Username = "memorycontracts_owner", Password = "memorycontracts_owner" }.ConnectionString;
    PostgresMigrations.Migrate(ownerConnection, new NpgsqlConnectionStringBuilder(connectionString).Username);
    await MemoryContracts.Postgres.Benchmarks.MartenPeer.RunAsync(
        connectionString,
        ownerConnection,
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 960);
    return;
}

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var appends = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 960;
var replayEvents = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
PostgresMigrations.Migrate(Environment.GetEnvironmentVariable("MEMORYCONTRACTS_POSTGRES_OWNER") ?? connectionString, new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Username); // as the schema owner (see .ci/postgres)
var keys = BenchmarkRecords.Keys;
using (var setup = new NpgsqlConnection(connectionString))
{
    setup.Open();
    using var create = new NpgsqlCommand("DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain (id bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, body text NOT NULL)", setup);
    create.ExecuteNonQuery();
}

var results = new Dictionary<int, (List<double> Ours, List<double> Plain)>();
for (var run = 0; run <= runs; run++)
{
    foreach (var writers in new[] { 1, 4, 16 })
    {
        var ours = Ours(writers, appends);
        var plain = Plain(writers, appends, run);
        if (run == 0)
        {
            continue; // warm-up
        }

        if (!results.TryGetValue(writers, out var lists))
        {
            results[writers] = lists = ([], []);
        }

        lists.Ours.Add(ours);
        lists.Plain.Add(plain);
    }
}

Console.WriteLine($"Durable appends per second on PostgreSQL {ServerVersion()}: median of {runs} runs, {appends} appends per run and writer count, alternating; {Environment.ProcessorCount} cores, loopback.");
Console.WriteLine();
Console.WriteLine("| writers | MemoryContracts (signed, chained, group commit) | plain INSERT | cost ratio (plain / ours) |");
Console.WriteLine("|---:|---:|---:|---:|");
foreach (var (writers, (ours, plain)) in results)
{
    Console.WriteLine($"| {writers} | {Measure.Median(ours):F0} | {Measure.Median(plain):F0} | {Measure.Median(plain) / Measure.Median(ours):F2}x |");
}

Console.WriteLine();
var owner = "bench-replay-" + Guid.NewGuid().ToString("N")[..8];
using (var writer = new PostgresMemoryStore(new PostgresStoreOptions(connectionString, owner, keys)))
{
    writer.CreateGraph(new MemoryContracts.Runtime.Storage.GraphHeader("bench", null, null));
    var clock = Stopwatch.StartNew();
    for (var start = 0; start < replayEvents; start += 10_000)
    {
        writer.Append("bench", Enumerable.Range(start, Math.Min(10_000, replayEvents - start)).Select(BenchmarkRecords.Update).ToArray());
    }

    Console.WriteLine($"Wrote {replayEvents:N0} records in batches of 10,000 in {clock.Elapsed.TotalSeconds:F1} s.");
}

var times = new List<double>();
long retained = 0;
for (var run = 0; run < runs; run++)
{
    GC.Collect();
    var before = GC.GetTotalMemory(forceFullCollection: true);
    using var workspace = PostgresWorkspace.Open(new PostgresStoreOptions(connectionString, owner, keys));
    var clock = Stopwatch.StartNew();
    var state = workspace.Replay("bench");
    times.Add(clock.Elapsed.TotalSeconds);
    retained = GC.GetTotalMemory(forceFullCollection: true) - before;
    GC.KeepAlive(state);
}

Console.WriteLine($"| records | replay s (median of {runs}) | runs | retained heap |");
Console.WriteLine("|---:|---:|---|---:|");
Console.WriteLine($"| {replayEvents:N0} | {Measure.Median(times):F3} | {string.Join(", ", times.Select(time => time.ToString("F3", CultureInfo.InvariantCulture)))} | {retained / 1e6:F1} MB |");

double Ours(int writers, int count)
{
    using var store = new PostgresMemoryStore(new PostgresStoreOptions(connectionString, "bench-" + Guid.NewGuid().ToString("N")[..8], keys));
    store.Append("g", [BenchmarkRecords.Update(-1)]);
    return Measure.Rate(count, writers, (writer, index) => store.Append("g", [BenchmarkRecords.Update(writer * 1_000_000 + index)]));
}

double Plain(int writers, int count, int run)
{
    // The same connection settings the store uses: no reset when a connection returns to the pool, statements
    // prepared automatically; the plain INSERT gets every advantage the ledger has.
    using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 }.ConnectionString);
    var prefix = $"r{run}-w{writers}-{Guid.NewGuid():N}-";
    return Measure.Rate(count, writers, (writer, index) =>
    {
        var record = BenchmarkRecords.Update(writer * 1_000_000 + index);
        using var connection = source.OpenConnection();
        using var insert = new NpgsqlCommand("INSERT INTO bench_plain (event_id, body) VALUES ($1, $2)", connection);
        insert.Parameters.AddWithValue(prefix + record.Event!.Id);
        insert.Parameters.AddWithValue(System.Text.Encoding.UTF8.GetString(MemoryJson.WriteRecord(record)));
        insert.ExecuteNonQuery();
    });
}

string ServerVersion()
{
    using var connection = new NpgsqlConnection(connectionString);
    connection.Open();
    return connection.PostgreSqlVersion.ToString();
}
