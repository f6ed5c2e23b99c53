using MemoryContracts.Benchmarks.Shared;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Storage.Files;
using Microsoft.Data.Sqlite;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Runtime.Benchmarks -- [folder] [runs] [appends] [replay-events]
// Durable appends (one writer; 16 concurrent writers with group commit) against the raw fsync rate of the same
// disk and against SQLite in WAL mode with synchronous=FULL, storing the same event lines; then replay of a log of
// replay-events records over a live graph of 10,000 nodes. Everything in one run, measurements alternating (the
// one-writer contenders in slices of 48 appends).
var folder = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("artifacts", "runtime-bench"));
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11;
var appends = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 480;
var replayEvents = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1_000_000;
const int Writers = 16;
Directory.CreateDirectory(folder);

var results = new Dictionary<string, List<double>>();
void Add(string name, double value)
{
    if (!results.TryGetValue(name, out var list))
    {
        results[name] = list = [];
    }

    list.Add(value);
}

// Run 0 warms up the JIT and the disk and is not recorded.
for (var run = 0; run <= runs; run++)
{
    var record = run == 0 ? (_, _) => { } : (Action<string, double>)Add;
    var (raw, rawReserved, ours, sqlite) = OneWriter(Fresh("one-writer"), appends);
    record("raw fsync, one writer", raw);
    record("raw fdatasync inside a reserve, one writer", rawReserved);
    record("MemoryContracts, one writer", ours);
    record("SQLite WAL, one writer", sqlite);
    record("raw fsync, 16 writers (no batching)", RawFsyncConcurrent(Fresh("raw-16"), appends, Writers));
    record("MemoryContracts, 16 writers (group commit)", Ours(Fresh("ours-16"), appends, Writers));
    record("MemoryContracts, 16 async callers (AppendAsync, group commit)", OursAsync(Fresh("ours-16-async"), appends, Writers));
    record("SQLite WAL, 16 writers sharing one connection", Sqlite(Fresh("sqlite-16-shared"), appends, Writers, shareConnection: true));
    record("SQLite WAL, 16 writers with a connection each", Sqlite(Fresh("sqlite-16"), appends, Writers, shareConnection: false));
}

Console.WriteLine($"Durable appends per second: median of {runs} runs, {appends} appends per run and writer count, alternating; disk of {folder}; {Environment.ProcessorCount} cores.");
Console.WriteLine();
Console.WriteLine("| writer | appends/s | runs |");
Console.WriteLine("|---|---:|---|");
foreach (var (name, values) in results)
{
    Console.WriteLine($"| {name} | {Measure.Median(values):F0} | {string.Join(", ", values.Select(value => value.ToString("F0", CultureInfo.InvariantCulture)))} |");
}

var single = Measure.Median(results["MemoryContracts, one writer"]) / Measure.Median(results["raw fsync, one writer"]);
var singleSamePrimitive = Measure.Median(results["MemoryContracts, one writer"]) / Measure.Median(results["raw fdatasync inside a reserve, one writer"]);
var sqliteBest = Math.Max(Measure.Median(results["SQLite WAL, 16 writers sharing one connection"]), Measure.Median(results["SQLite WAL, 16 writers with a connection each"]));
var group = Measure.Median(results["MemoryContracts, 16 writers (group commit)"]) / sqliteBest;
var singleVsSqlite = Measure.Median(results["MemoryContracts, one writer"]) / Measure.Median(results["SQLite WAL, one writer"]);
Console.WriteLine();
Console.WriteLine($"One writer: {single:P1} of the raw fsync rate (target >= 90%); {singleSamePrimitive:P1} of raw fdatasync inside a reserve (the log's own primitive); {singleVsSqlite:F2}x SQLite WAL.");
Console.WriteLine($"Group commit, 16 writers: {group:F2}x the better SQLite WAL setup with 16 writers (target >= 1.0x); {Measure.Median(results["MemoryContracts, 16 writers (group commit)"]) / Measure.Median(results["raw fsync, one writer"]):F2}x the raw one-writer fsync rate.");

Console.WriteLine();
Console.WriteLine($"Replay: {replayEvents:N0} records over a live graph of 10,000 nodes (median of {runs}):");
var replayFolder = Fresh("replay");
var tenth = Fresh("replay-tenth");
var logBytes = WriteLog(replayFolder, replayEvents);
WriteLog(tenth, replayEvents / 10);
var times = new List<double>();
long retained = 0, retainedTenth = 0;
for (var run = 0; run < runs; run++)
{
    var (seconds, heap) = Replay(replayFolder);
    times.Add(seconds);
    retained = heap;
    retainedTenth = Replay(tenth).RetainedBytes;
}

Console.WriteLine($"| log | records | replay s (median) | runs | retained heap after replay |");
Console.WriteLine("|---|---:|---:|---|---:|");
Console.WriteLine($"| {logBytes / 1e6:F0} MB | {replayEvents:N0} | {Measure.Median(times):F3} | {string.Join(", ", times.Select(time => time.ToString("F3", CultureInfo.InvariantCulture)))} | {retained / 1e6:F1} MB |");
Console.WriteLine($"| {new FileInfo(new WorkspaceLayout(tenth).EventsFile("bench")).Length / 1e6:F0} MB | {replayEvents / 10:N0} | | | {retainedTenth / 1e6:F1} MB |");
Console.WriteLine();
Console.WriteLine($"Target: {replayEvents:N0} records in <= 2 s ({(Measure.Median(times) <= 2 ? "met" : "not met")}); retained heap {retained / (double)Math.Max(1, retainedTenth):F2}x for 10x the log (memory follows the live graph, not the log).");

string Fresh(string name)
{
    var path = Path.Combine(folder, name);
    if (Directory.Exists(path))
    {
        Directory.Delete(path, recursive: true);
    }

    Directory.CreateDirectory(path);
    return path;
}

// One writer: the contenders take turns in slices of 48 appends on the same disk, so that a slow moment of the disk
// weighs on all alike; each rate is its appends over its own summed time. Two raw baselines: a line appended and
// fsynced (the file grows every time), and a line written over a reserve of spaces made beforehand and fdatasynced
// (the primitive the log itself uses while it is open).
static (double Raw, double RawReserved, double Ours, double Sqlite) OneWriter(string directory, int count)
{
    const int Slice = 48;
    var line = Encoding.UTF8.GetBytes(SampleLine(0));
    using var raw = new FileStream(Path.Combine(directory, "raw.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
    using var reserved = new FileStream(Path.Combine(directory, "reserved.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
    var spaces = new byte[line.Length * (count + Slice)];
    spaces.AsSpan().Fill((byte)' ');
    reserved.Write(spaces);
    reserved.Flush(flushToDisk: true);
    reserved.Position = 0;
    using var workspace = MemoryWorkspace.Create(Path.Combine(directory, "workspace"));
    var fixture = Path.Combine(directory, "bench.yaml");
    File.WriteAllText(fixture, "schema_version: markitect.memory.graph.v1\nid: bench\nnodes: [{id: seed, kind: observation, title: seed}]\n");
    workspace.Import(fixture, "bench");
    using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "events.db"), Pooling = false }.ToString());
    sqlite.Open();
    Execute(sqlite, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);");
    var times = new double[4];
    var done = 0;
    while (done < count)
    {
        var clock = Stopwatch.StartNew();
        for (var index = done; index < done + Slice; index++)
        {
            raw.Write(line);
            raw.Flush(flushToDisk: true);
        }

        times[0] += clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var index = done; index < done + Slice; index++)
        {
            reserved.Write(line);
            RawDataSync.Flush(reserved);
        }

        times[3] += clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var index = done; index < done + Slice; index++)
        {
            workspace.Append("bench", new GraphEvent($"e-{index}", "updated", "2026-11-21T10:00:00Z") { Nodes = [$"n-{index}"] }, new GraphChanges { PutNodes = [new GraphNode($"n-{index}", "observation", $"observation {index}") { Text = $"value {index}" }] });
        }

        times[1] += clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var index = done; index < done + Slice; index++)
        {
            using var insert = sqlite.CreateCommand();
            insert.CommandText = "INSERT INTO events (id, body) VALUES ($id, $body)";
            insert.Parameters.AddWithValue("$id", $"e-{index}");
            insert.Parameters.AddWithValue("$body", SampleLine(index));
            insert.ExecuteNonQuery();
        }

        times[2] += clock.Elapsed.TotalSeconds;
        done += Slice;
    }

    return (done / times[0], done / times[3], done / times[1], done / times[2]);
}

static double RawFsyncConcurrent(string directory, int count, int writers)
{
    var line = Encoding.UTF8.GetBytes(SampleLine(0));
    using var stream = new FileStream(Path.Combine(directory, "raw.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
    var gate = new object();
    var clock = Stopwatch.StartNew();
    Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, _ =>
    {
        for (var index = 0; index < count / writers; index++)
        {
            lock (gate)
            {
                stream.Write(line);
                stream.Flush(flushToDisk: true);
            }
        }
    });
    return writers * (count / writers) / clock.Elapsed.TotalSeconds;
}

static double Ours(string directory, int count, int writers)
{
    using var workspace = MemoryWorkspace.Create(directory);
    var fixture = Path.Combine(directory, "..", Path.GetFileName(directory) + ".yaml");
    File.WriteAllText(fixture, "schema_version: markitect.memory.graph.v1\nid: bench\nnodes: [{id: seed, kind: observation, title: seed}]\n");
    workspace.Import(fixture, "bench");
    return Measure.Rate(count, writers, (writer, index) =>
    {
        var id = $"w{writer}-{index}";
        workspace.Append("bench", new GraphEvent("e-" + id, "updated", "2026-11-21T10:00:00Z") { Nodes = ["n-" + id] }, new GraphChanges { PutNodes = [new GraphNode("n-" + id, "observation", "observation " + id) { Text = "value " + index }] });
    });
}

// The same appends as 16 concurrent asynchronous callers of IMemoryWorkspace.AppendAsync on the thread pool: they wait
// for their group commit without holding a thread.
static double OursAsync(string directory, int count, int writers)
{
    using var workspace = MemoryWorkspace.Create(directory);
    var fixture = Path.Combine(directory, "..", Path.GetFileName(directory) + ".yaml");
    File.WriteAllText(fixture, "schema_version: markitect.memory.graph.v1\nid: bench\nnodes: [{id: seed, kind: observation, title: seed}]\n");
    workspace.Import(fixture, "bench");
    IMemoryWorkspace memory = workspace;
    var perWriter = count / writers;
    var clock = Stopwatch.StartNew();
    Task.WaitAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
    {
        for (var index = 0; index < perWriter; index++)
        {
            var id = $"w{writer}-{index}";
            await memory.AppendAsync("bench", new GraphEvent("e-" + id, "updated", "2026-11-21T10:00:00Z") { Nodes = ["n-" + id] }, new GraphChanges { PutNodes = [new GraphNode("n-" + id, "observation", "observation " + id) { Text = "value " + index }] });
        }
    })).ToArray());
    return perWriter * writers / clock.Elapsed.TotalSeconds;
}

static double Sqlite(string directory, int count, int writers, bool shareConnection)
{
    var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "events.db"), Pooling = false, DefaultTimeout = 60 }.ToString();
    using (var setup = new SqliteConnection(connectionString))
    {
        setup.Open();
        Execute(setup, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);");
    }

    SqliteConnection Connect()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;");
        return connection;
    }

    // One shared connection serialized by a lock (what a careful application does), or a connection per writer
    // (SQLite then serializes the writers itself, with busy waits).
    using var shared = shareConnection ? Connect() : null;
    var gate = new object();
    var connections = new SqliteConnection[writers];
    return Measure.Rate(count, writers, writer =>
    {
        connections[writer] = shared ?? Connect();
        return () =>
        {
            if (!shareConnection)
            {
                connections[writer].Dispose();
            }
        };
    }, (writer, index) =>
    {
        lock (shareConnection ? gate : connections[writer])
        {
            using var insert = connections[writer].CreateCommand();
            insert.CommandText = "INSERT INTO events (id, body) VALUES ($id, $body)";
            insert.Parameters.AddWithValue("$id", $"e-w{writer}-{index}");
            insert.Parameters.AddWithValue("$body", SampleLine(index));
            insert.ExecuteNonQuery();
        }
    });
}

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static string SampleLine(int index) =>
    $"{{\"format\":\"markitect.memory.record.v1\",\"seq\":{index + 1},\"at\":\"2026-11-21T10:00:00Z\",\"event\":{{\"id\":\"e-{index}\",\"kind\":\"updated\",\"at\":\"2026-11-21T10:00:00Z\",\"nodes\":[\"n-{index}\"]}},\"changes\":{{\"put_nodes\":[{{\"id\":\"n-{index}\",\"kind\":\"observation\",\"title\":\"observation {index}\",\"text\":\"value {index}\"}}]}}}}\n";

static long WriteLog(string directory, int count)
{
    var layout = new WorkspaceLayout(directory);
    layout.Create();
    new FileGraphStore(layout).CreateGraph(new MemoryContracts.Runtime.Storage.GraphHeader("bench", null, null));
    using var log = new JsonlEventLog(layout);
    const int Batch = 10_000;
    for (var start = 0; start < count; start += Batch)
    {
        log.Append("bench", Enumerable.Range(start, Math.Min(Batch, count - start)).Select(index =>
        {
            var node = index % 10_000;
            return new MemoryRecord(0, "2026-11-21T10:00:00Z", new GraphEvent($"e-{index}", "updated", "2026-11-21T10:00:00Z") { Nodes = [$"n-{node}"] }, new GraphChanges { PutNodes = [new GraphNode($"n-{node}", "observation", $"observation {node}") { Text = $"value {index}" }] });
        }).ToArray());
    }

    return new FileInfo(layout.EventsFile("bench")).Length;
}

static (double Seconds, long RetainedBytes) Replay(string directory)
{
    GC.Collect();
    var before = GC.GetTotalMemory(forceFullCollection: true);
    using var workspace = MemoryWorkspace.Open(directory);
    var clock = Stopwatch.StartNew();
    var state = workspace.Replay("bench");
    var seconds = clock.Elapsed.TotalSeconds;
    if (state.NodeCount != Math.Min(10_000, (int)state.Sequence))
    {
        throw new InvalidOperationException($"replay produced {state.NodeCount} nodes");
    }

    var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
    GC.KeepAlive(state);
    return (seconds, retained);
}
