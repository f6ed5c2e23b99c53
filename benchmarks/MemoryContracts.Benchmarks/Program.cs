using System.Diagnostics;
using System.Globalization;
using System.Text;
using MemoryContracts.Benchmarks;
using MemoryContracts.Benchmarks.Shared;
using MemoryContracts.Validation;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Benchmarks -- <repo-root> <tool-dll or native tool> [runs]
// Compares `dotnet memory graph validate` (schema + semantics) with ajv-cli (schema only) on the same files and schema.
//        dotnet run -c Release --project benchmarks/MemoryContracts.Benchmarks -- <repo-root> --library-peer [runs]
// Compares the compiled validator with JsonSchema.Net in one process, schema only, on the same JSON graphs.
//        dotnet run -c Release --project benchmarks/MemoryContracts.Benchmarks -- <repo-root> --startup <native-tool> <tool-dll> [runs]
// Times one small fixture and the toolbelt's read calls, as processes: the native tool, the JIT one and ajv-cli.
if (args.Length > 3 && args[1] == "--startup")
{
    Console.Write(StartupBenchmark.Run(Path.GetFullPath(args[0]), Path.GetFullPath(args[2]), Path.GetFullPath(args[3]), args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 15));
    return 0;
}

if (args.Length > 1 && args[1] == "--library-peer")
{
    var repository = Path.GetFullPath(args[0]);
    var folder = Path.Combine(repository, "benchmarks", "data");
    var documents = new[] { 1_000, 10_000, 100_000 }.Select(nodes => (GraphGenerator.Write(folder, nodes).Json, nodes)).ToArray();
    Console.Write(LibraryPeer.Measure(Path.Combine(repository, "schemas", "markitect.memory.graph.v1.schema.json"), documents, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 9));
    return 0;
}

var root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var tool = Path.GetFullPath(args.Length > 1 ? args[1] : Path.Combine(root, "artifacts", "bench", "jit", "dotnet-memory.dll"));
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var ajv = Path.Combine(root, "benchmarks", "peer", "node_modules", ".bin", "ajv");
var schema = Path.Combine(root, "schemas", "markitect.memory.graph.v1.schema.json");
var data = Path.Combine(root, "benchmarks", "data");
int[] sizes = [1_000, 10_000, 100_000];

var report = new StringBuilder();
report.AppendLine($"Runs per cell: {runs} (median; the two tools alternate), after one warm-up run each. Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
report.AppendLine();
report.AppendLine("| graph | file size | dotnet memory (schema + semantics) | ajv-cli (schema only) | ratio | dotnet memory peak RSS | RSS / file size | ajv-cli peak RSS |");
report.AppendLine("|---|---|---|---|---|---|---|---|");
var inProcess = new List<(string Name, double NanosecondsPerNode)>();
foreach (var size in sizes)
{
    var (json, yaml) = GraphGenerator.Write(data, size);
    foreach (var file in new[] { json, yaml })
    {
        var (ours, peer) = MeasurePair(
            tool.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", [tool, "graph", "validate", file]) : (tool, ["graph", "validate", file]),
            (ajv, ["validate", "-s", schema, "-d", file, "--spec=draft7", "-c", "ajv-formats", "--strict=false"]));
        var bytes = new FileInfo(file).Length;
        report.AppendLine(string.Format(CultureInfo.InvariantCulture,
            "| {0} | {1:F1} MB | {2:F3} s | {3:F3} s | {4:F2}x | {5:F0} MB | {6:F2}x | {7:F0} MB |",
            Path.GetFileName(file), bytes / 1e6, ours.Seconds, peer.Seconds, ours.Seconds / peer.Seconds, ours.PeakKilobytes / 1024.0, ours.PeakKilobytes * 1024.0 / bytes, peer.PeakKilobytes / 1024.0));
        inProcess.Add((Path.GetFileName(file), InProcessNanosecondsPerNode(file, size)));
    }
}

report.AppendLine();
report.AppendLine("In-process cost per node (load + schema + semantics, warm, median of runs):");
report.AppendLine();
report.AppendLine("| graph | ns per node | growth against the 1k graph of the same format |");
report.AppendLine("|---|---|---|");
foreach (var (name, nanoseconds) in inProcess)
{
    var baseline = inProcess.First(entry => Path.GetExtension(entry.Name) == Path.GetExtension(name)).NanosecondsPerNode;
    report.AppendLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F0} | {2:F2}x |", name, nanoseconds, nanoseconds / baseline));
}

Console.Write(report.ToString());
return 0;

// Runs the two commands alternately, so that anything else the machine does weighs on both alike.
((double Seconds, long PeakKilobytes) First, (double Seconds, long PeakKilobytes) Second) MeasurePair((string Command, string[] Arguments) first, (string Command, string[] Arguments) second)
{
    var commands = new[] { first, second };
    foreach (var (command, arguments) in commands)
    {
        var warmup = ProcessMeasurement.Run(command, arguments);
        if (warmup.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {warmup.ExitCode}");
        }
    }

    var samples = new[] { new List<(double Seconds, long PeakKilobytes, int ExitCode)>(), new List<(double Seconds, long PeakKilobytes, int ExitCode)>() };
    for (var i = 0; i < runs; i++)
    {
        for (var c = 0; c < commands.Length; c++)
        {
            samples[c].Add(ProcessMeasurement.Run(commands[c].Command, commands[c].Arguments));
        }
    }

    return (Summarize(samples[0]), Summarize(samples[1]));
}

static (double Seconds, long PeakKilobytes) Summarize(List<(double Seconds, long PeakKilobytes, int ExitCode)> samples) =>
    (Measure.Median(samples.Select(sample => sample.Seconds)), samples.Max(sample => sample.PeakKilobytes));

// Small graphs are validated many times so that JIT warm-up and timer resolution do not dominate their figure.
double InProcessNanosecondsPerNode(string file, int nodes)
{
    var warmups = Math.Max(3, 300_000 / nodes);
    var measured = Math.Max(runs, 1_000_000 / nodes);
    var timings = new List<double>();
    for (var i = 0; i < warmups + measured; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = new ContractValidator().Validate(file);
        stopwatch.Stop();
        if (result.HasErrors)
        {
            throw new InvalidOperationException($"{file} is not valid: {result.Diagnostics[0]}");
        }

        if (i >= warmups)
        {
            timings.Add(stopwatch.Elapsed.TotalMilliseconds * 1e6 / nodes);
        }
    }

    return Measure.Median(timings);
}

