using System.Diagnostics;
using System.Globalization;
using System.Text;
using MemoryContracts.Benchmarks.Shared;
using MemoryContracts.IO;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Toolbelt;

// Usage: [MEMORYCONTRACTS_POSTGRES=...] dotnet run -c Release --project benchmarks/MemoryContracts.Toolbelt.Benchmarks -- [folder] [runs] [operations]
// md.patch_section with its event (saga: pending + committed record, history copy) on the file ledger and, when
// a server is given, on PostgreSQL, against a plain atomic file write of the same new file content plus a plain
// fsync'd append of the same event bytes, in one run, alternating, median of the runs.
var folder = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("artifacts", "toolbelt-bench"));
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
var operations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var postgres = Environment.GetEnvironmentVariable("MEMORYCONTRACTS_POSTGRES");
if (Directory.Exists(folder))
{
    Directory.Delete(folder, recursive: true);
}

if (postgres is not null)
{
    PostgresMigrations.Migrate(Environment.GetEnvironmentVariable("MEMORYCONTRACTS_POSTGRES_OWNER") ?? postgres, new Npgsql.NpgsqlConnectionStringBuilder(postgres).Username); // as the schema owner (see .ci/postgres)
}

var keys = new IntegrityKeys("v1", new Dictionary<string, byte[]> { ["v1"] = "benchmark-key-0123456789abcdef"u8.ToArray() });
var results = new Dictionary<string, List<double>>();
for (var run = 0; run <= runs; run++)
{
    var plain = Plain(Path.Combine(folder, $"plain-{run}"), operations);
    var files = Toolbelt(Path.Combine(folder, $"files-{run}"), () => MemoryWorkspace.Create(Path.Combine(folder, $"files-{run}", "ledger")), operations);
    var onPostgres = postgres is null ? double.NaN : Toolbelt(Path.Combine(folder, $"pg-{run}"), () => PostgresWorkspace.Open(new PostgresStoreOptions(postgres, "bench-" + Guid.NewGuid().ToString("N")[..8], keys)), operations);
    if (run == 0)
    {
        continue; // warm-up
    }

    Add("plain file write + plain append", plain);
    Add("patch_section with its event, file ledger", files);
    if (postgres is not null)
    {
        Add("patch_section with its event, PostgreSQL ledger", onPostgres);
    }
}

Console.WriteLine($"Operations per second, median of {runs} runs of {operations}, alternating; {Environment.ProcessorCount} cores; disk of {folder}.");
Console.WriteLine();
Console.WriteLine("| operation | ops/s | cost ratio (plain / it) | runs |");
Console.WriteLine("|---|---:|---:|---|");
var baseline = Measure.Median(results["plain file write + plain append"]);
foreach (var (name, values) in results)
{
    Console.WriteLine($"| {name} | {Measure.Median(values):F0} | {baseline / Measure.Median(values):F2}x | {string.Join(", ", values.Select(value => value.ToString("F0", CultureInfo.InvariantCulture)))} |");
}

void Add(string name, double value)
{
    if (!results.TryGetValue(name, out var list))
    {
        results[name] = list = [];
    }

    list.Add(value);
}

static double Toolbelt(string root, Func<MemoryWorkspace> open, int count)
{
    using var workspace = open();
    var toolbelt = new MemoryToolbelt(Path.Combine(root, "memory"), workspace);
    toolbelt.Write(new ToolRequest { Path = "users/ada.md", Template = "profile", Title = "Ada" });
    var clock = Stopwatch.StartNew();
    for (var index = 0; index < count; index++)
    {
        toolbelt.PatchSection(new ToolRequest { Path = "users/ada.md", Anchor = "notes v1", Body = $"Note number {index}: the build stays green.", Rationale = "benchmark", ToolCallId = $"call-{index}" });
    }

    return count / clock.Elapsed.TotalSeconds;
}

// The same bytes without the toolbelt: the new file written atomically, and an event line appended and fsync'd.
static double Plain(string root, int count)
{
    Directory.CreateDirectory(root);
    var file = Path.Combine(root, "ada.md");
    var content = MemoryTemplates.Create("profile", "ada", "Ada");
    AtomicFile.WriteAllText(file, content);
    using var log = new FileStream(Path.Combine(root, "events.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
    var clock = Stopwatch.StartNew();
    for (var index = 0; index < count; index++)
    {
        var body = $"Note number {index}: the build stays green.";
        AtomicFile.WriteAllText(file, content.Replace("## Notes <!-- anchor: notes v1 -->\n", $"## Notes <!-- anchor: notes v1 -->\n{body}\n", StringComparison.Ordinal));
        log.Write(Encoding.UTF8.GetBytes($"{{\"event\":\"patch_section\",\"file\":\"users/ada.md\",\"anchor\":\"notes v1\",\"body\":\"{body}\",\"call\":\"call-{index}\"}}\n"));
        log.Flush(flushToDisk: true);
    }

    return count / clock.Elapsed.TotalSeconds;
}
