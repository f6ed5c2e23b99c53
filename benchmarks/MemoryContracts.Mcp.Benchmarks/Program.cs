using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MemoryContracts.Runtime.Toolbelt;
using ModelContextProtocol.Client;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Mcp.Benchmarks -- <repository root> [calls] [rounds]
// Tool-call round trips over stdio, one client per server, measured from the client's call to its answer:
// 'dotnet memory mcp' against the reference filesystem and memory servers (benchmarks/peer, npm), in one run,
// alternating in rounds so that the machine's state is shared, p50 and p95 of every call.
var root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
var peer = Path.Combine(root, "benchmarks", "peer", "node_modules", "@modelcontextprotocol");
var tool = Path.Combine(root, "src", "MemoryContracts.Tool", "bin", "Release", "net8.0", "dotnet-memory.dll");
var folder = Directory.CreateTempSubdirectory("mc-mcp-bench-").FullName;

var memoryRoot = Path.Combine(folder, "memory");
Directory.CreateDirectory(Path.Combine(memoryRoot, "notes"));
var note = MemoryTemplates.Create("profile", "bench", "Bench");
File.WriteAllText(Path.Combine(memoryRoot, "notes", "bench.md"), note);
var fsRoot = Path.Combine(folder, "fs");
Directory.CreateDirectory(fsRoot);
File.WriteAllText(Path.Combine(fsRoot, "bench.md"), note);

await using var ours = await Start("memorycontracts", "dotnet", [tool, "mcp", "--root", memoryRoot, "--workspace", Path.Combine(folder, "ledger")], null);
await using var filesystem = await Start("server-filesystem", "node", [Path.Combine(peer, "server-filesystem", "dist", "index.js"), fsRoot], null);
await using var memory = await Start("server-memory", "node", [Path.Combine(peer, "server-memory", "dist", "index.js")], new Dictionary<string, string?> { ["MEMORY_FILE_PATH"] = Path.Combine(folder, "memory.jsonl") });
await memory.CallToolAsync("create_entities", Arguments("""{"entities": [{"name": "bench", "entityType": "note", "observations": []}]}"""));

var counter = 0;
var operations = new (string Name, McpClient Client, string Tool, Func<string> ArgumentsJson)[]
{
    ("ours: fs_read", ours, "fs_read", () => """{"path": "notes/bench.md"}"""),
    ("server-filesystem: read_text_file", filesystem, "read_text_file", () => JsonSerializer.Serialize(new { path = Path.Combine(fsRoot, "bench.md") })),
    ("ours: md_patch_section (validated, audited, fsync'd event)", ours, "md_patch_section", () => JsonSerializer.Serialize(new { path = "notes/bench.md", anchor = "notes v1", body = $"note {++counter}" })),
    ("server-filesystem: write_file", filesystem, "write_file", () => JsonSerializer.Serialize(new { path = Path.Combine(fsRoot, "bench.md"), content = note.Replace("## Notes <!-- anchor: notes v1 -->\n", $"## Notes <!-- anchor: notes v1 -->\n\nnote {++counter}\n", StringComparison.Ordinal) })),
    ("server-memory: add_observations", memory, "add_observations", () => JsonSerializer.Serialize(new { observations = new[] { new { entityName = "bench", contents = new[] { $"note {++counter}" } } } })),
};

var latencies = operations.ToDictionary(operation => operation.Name, _ => new List<double>());
foreach (var operation in operations)
{
    for (var warmUp = 0; warmUp < 20; warmUp++)
    {
        await Call(operation.Client, operation.Tool, operation.ArgumentsJson());
    }
}

for (var round = 0; round < rounds; round++)
{
    foreach (var operation in operations)
    {
        for (var call = 0; call < calls / rounds; call++)
        {
            var clock = Stopwatch.StartNew();
            await Call(operation.Client, operation.Tool, operation.ArgumentsJson());
            latencies[operation.Name].Add(clock.Elapsed.TotalMilliseconds);
        }
    }
}

Console.WriteLine($"{calls} calls each, {rounds} alternating rounds, {Environment.ProcessorCount} cores");
Console.WriteLine("| call | p50 ms | p95 ms |");
Console.WriteLine("|---|---:|---:|");
foreach (var (name, values) in latencies)
{
    values.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Percentile(values, 0.50):F2} | {Percentile(values, 0.95):F2} |"));
}

Directory.Delete(folder, recursive: true);

static async Task<McpClient> Start(string name, string command, string[] arguments, IDictionary<string, string?>? environment) =>
    await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions { Name = name, Command = command, Arguments = arguments, EnvironmentVariables = environment }));

static async Task Call(McpClient client, string tool, string argumentsJson)
{
    var result = await client.CallToolAsync(tool, Arguments(argumentsJson));
    if (result.IsError is true)
    {
        throw new InvalidOperationException($"{tool} failed: {string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(block => block.Text))}");
    }
}

static Dictionary<string, object?> Arguments(string json) =>
    JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(pair => pair.Key, pair => (object?)pair.Value);

static double Percentile(List<double> sorted, double fraction) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
