using System.Diagnostics;
using System.Globalization;
using System.Text;
using MemoryContracts.Benchmarks.Shared;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Validation;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Context.Benchmarks -- [folder] [runs]
// A 100,000-node graph is written and loaded once; then, each run: a full-text query over all nodes, packing a
// 1,000-item package from the loaded graph (policy filter, compile, write package.json), and activating it
// from the registry (read package.json, re-check the policy, budget, summary, lifecycle record).
var folder = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("artifacts", "context-bench"));
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11;
Directory.CreateDirectory(folder);
var graphPath = Path.Combine(folder, "graph-100k.json");
File.WriteAllText(graphPath, Graph(100_000));
var policyPath = Path.Combine(folder, "policy.yaml");
File.WriteAllText(policyPath, "schema_version: markitect.context.policy.v1\nid: bench-policy\ndeny_labels: [secret]\nmax_trust_zone: team\n");

var clock = Stopwatch.StartNew();
var graph = new ContractValidator().Validate(graphPath).Graph!;
var policy = new ContractValidator().Validate(policyPath).Policy!;
Console.WriteLine($"Loaded the 100,000-node graph ({new FileInfo(graphPath).Length / 1e6:F0} MB) in {clock.Elapsed.TotalSeconds:F2} s (not counted below).");

// Every 100th node's text holds the word "quartz": the query finds 1,000 nodes.
var query = new NodeQuery { Text = "quartz" };
var registry = new ContextRegistry(Path.Combine(folder, "registry"));
registry.Pack(new ContextRecipe("query", graphPath, "quartz-context") { Query = query, Policy = policyPath, Budget = new ActivationLimits(1000, null) }, "bench");
var queries = new List<double>();
var packs = new List<double>();
var activations = new List<double>();
for (var run = 0; run <= runs; run++)
{
    clock.Restart();
    var matches = graph.Nodes.Where(query.Matches).Select(node => node.Id).ToArray();
    var queryTime = clock.Elapsed.TotalMilliseconds;

    clock.Restart();
    var allowed = matches.Where(id => graph.FindNode(id)!.Policy?.Labels.Contains("secret") != true).ToArray();
    var template = new ContextPackage("quartz-context", new PackageRecipe("query") { Graph = "graph-100k.json", GraphId = graph.Id, Query = query }, new PackageBudget(1000, null, "query"));
    var package = SelectionCompiler.Compile(template, [new PackagePick(graph, "graph-100k.json", allowed, [], [])]).Package;
    File.WriteAllText(Path.Combine(folder, "packed.json"), ContextPackageWriter.Write(package, PackageFormat.Json));
    var packTime = clock.Elapsed.TotalMilliseconds;

    clock.Restart();
    var envelope = registry.Activate(ContextRegistry.DefaultNamespace, "quartz-context", "bench");
    var activateTime = clock.Elapsed.TotalMilliseconds;
    if (matches.Length != 1000 || package.Items.Count != 1000 || envelope.Items.Count != 1000)
    {
        throw new InvalidOperationException($"expected 1,000 items: query {matches.Length}, package {package.Items.Count}, activation {envelope.Items.Count}");
    }

    if (run > 0)
    {
        queries.Add(queryTime);
        packs.Add(packTime);
        activations.Add(activateTime);
    }
}

Console.WriteLine($"Median of {runs} runs after one warm-up, {Environment.ProcessorCount} cores:");
Console.WriteLine();
Console.WriteLine("| step | median | runs (ms) |");
Console.WriteLine("|---|---:|---|");
Console.WriteLine($"| full-text query over 100,000 nodes (1,000 matches) | {Measure.Median(queries):F1} ms | {Join(queries)} |");
Console.WriteLine($"| pack a 1,000-item package (policy filter, compile, write) | {Measure.Median(packs):F1} ms | {Join(packs)} |");
Console.WriteLine($"| activate it from the registry | {Measure.Median(activations):F1} ms | {Join(activations)} |");
Console.WriteLine();
Console.WriteLine($"Target: each under 100 ms after the graph is loaded ({(new[] { queries, packs, activations }.All(times => Measure.Median(times) < 100) ? "met" : "not met")}).");

static string Join(List<double> times) => string.Join(", ", times.Select(time => time.ToString("F1", CultureInfo.InvariantCulture)));

static string Graph(int count)
{
    var kinds = MemoryContracts.NodeKinds.WireNames;
    var text = new StringBuilder("{\"schema_version\":\"markitect.memory.graph.v1\",\"id\":\"bench-100k\",\"nodes\":[");
    for (var index = 0; index < count; index++)
    {
        var word = index % 100 == 0 ? "quartz" : "granite";
        text.Append(CultureInfo.InvariantCulture, $"{(index == 0 ? "" : ",")}{{\"id\":\"n{index}\",\"kind\":\"{kinds[index % kinds.Count]}\",\"title\":\"Memory {index}\",\"text\":\"A remembered fact about {word} number {index}, recorded for the benchmark.\",\"source\":{{\"path\":\"docs/n{index % 500}.md\",\"start_line\":{index % 90 + 1},\"end_line\":{index % 90 + 5}}},\"policy\":{{\"labels\":[\"design\"],\"trust_zone\":\"project\"}},\"lifecycle\":{{\"state\":\"active\",\"updated_at\":\"2026-11-01T00:00:00Z\"}}}}");
    }

    text.Append("],\"edges\":[");
    for (var index = 1; index < count; index++)
    {
        text.Append(CultureInfo.InvariantCulture, $"{(index == 1 ? "" : ",")}{{\"id\":\"e{index}\",\"kind\":\"relates_to\",\"source\":\"n{index}\",\"target\":\"n{index - 1}\"}}");
    }

    return text.Append("]}").ToString();
}
